/**
 * Exercises 6.2 and 6.4: a lock manager with shared and exclusive row locks, shared range locks
 * (for predicates), and deadlock detection on the wait-for graph.
 *
 * Nothing here ever waits. {@link LockManager.acquire} either grants a lock or answers which
 * transactions stand in the way; the engine turns that into a `LockWait` (try again later) and
 * the caller runs other transactions meanwhile. While a request is refused, the requester
 * *waits for* the holders: those edges form the wait-for graph. A refused request whose edges
 * close a cycle is a deadlock: no transaction on the cycle can ever proceed, so the requester is
 * chosen as the victim (exactly one per cycle: the one whose request closed it), and the answer
 * names the cycle.
 * @module
 */

import { showBytes } from '../../shared/bytes.js';
import { NotImplementedError } from '../../shared/errors.js';
import type { KeyRange } from '../../shared/kv.js';

const LOCKS = { exercise: '6.2 Read committed', file: 'chapter06-transactions/lock-manager.ts', section: '6.2 Read committed' };
const DEADLOCKS = { exercise: '6.4 Serializability', file: 'chapter06-transactions/lock-manager.ts', section: '6.4 Serializability' };

export type LockMode = 'shared' | 'exclusive';

/** The answer to a lock request. */
export type LockResult =
  | { readonly granted: true }
  /**
   * Refused; `holders` hold conflicting locks, in increasing order. With `deadlock`, waiting would
   * close that cycle, given from the requester round to it again: T2 waiting for T1, which waits for
   * T2, is `[2, 1, 2]`.
   */
  | { readonly granted: false; readonly holders: readonly number[]; readonly deadlock?: readonly number[] };

/** Row and range locks of one engine, and the wait-for graph between its transactions. */
export class LockManager {
  /**
   * Grants `txn` a lock on `key` in `mode`, or says who is in the way. Shared locks are
   * compatible with each other; an exclusive lock with nothing another transaction holds on the
   * key, nor with another's shared range lock covering it. Locks a transaction already holds never
   * stand in its own way (asking for exclusive while holding shared upgrades the lock). A refused
   * request records the wait-for edges; if they close a cycle, the answer names it (`deadlock`).
   */
  acquire(txn: number, key: Uint8Array, mode: LockMode): LockResult {
    throw new NotImplementedError(LOCKS);
  }

  /**
   * Grants `txn` a shared lock on every key in `range`, present or not yet inserted: a predicate
   * lock. It conflicts with another transaction's exclusive lock on any key in the range, and
   * makes later exclusive requests by others on keys in the range wait.
   */
  acquireRange(txn: number, range: KeyRange): LockResult {
    throw new NotImplementedError(DEADLOCKS);
  }

  /** Releases one row lock of `txn` early (strict two-phase locking never does this). */
  release(txn: number, key: Uint8Array): void {
    throw new NotImplementedError(LOCKS);
  }

  /** Releases every lock of `txn` and forgets what it waited for: it committed or aborted. */
  releaseAll(txn: number): void {
    throw new NotImplementedError(LOCKS);
  }

  /** The transactions holding a lock on `key`, for tests and explanations. */
  holdersOf(key: Uint8Array): { readonly shared: readonly number[]; readonly exclusive: number | undefined } {
    throw new NotImplementedError(LOCKS);
  }

  /** The wait-for graph: each waiting transaction and whom it waits for. */
  waitsFor(): ReadonlyMap<number, readonly number[]> {
    throw new NotImplementedError(DEADLOCKS);
  }
}

/** A key for lock names and messages. */
export function lockName(key: Uint8Array): string {
  return `the lock on "${showBytes(key)}"`;
}
