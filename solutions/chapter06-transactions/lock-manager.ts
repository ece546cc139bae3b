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
import { inRange, type KeyRange } from '../../shared/kv.js';
import { keyId } from './write-set.js';

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

interface KeyLock {
  readonly key: Uint8Array;
  readonly shared: Set<number>;
  exclusive: number | undefined;
}

/** Row and range locks of one engine, and the wait-for graph between its transactions. */
export class LockManager {
  private readonly keys = new Map<string, KeyLock>();
  private readonly ranges: { readonly txn: number; readonly range: KeyRange }[] = [];
  /** txn → the transactions its refused request waits for. */
  private readonly waits = new Map<number, readonly number[]>();

  /**
   * Grants `txn` a lock on `key` in `mode`, or says who is in the way. Shared locks are
   * compatible with each other; an exclusive lock with nothing another transaction holds on the
   * key, nor with another's shared range lock covering it. Locks a transaction already holds never
   * stand in its own way (asking for exclusive while holding shared upgrades the lock).
   */
  acquire(txn: number, key: Uint8Array, mode: LockMode): LockResult {
    const lock = this.keys.get(keyId(key));
    const holders = new Set<number>();
    if (lock?.exclusive !== undefined && lock.exclusive !== txn) holders.add(lock.exclusive);
    if (mode === 'exclusive') {
      for (const other of lock?.shared ?? []) if (other !== txn) holders.add(other);
      for (const held of this.ranges) if (held.txn !== txn && inRange(key, held.range)) holders.add(held.txn);
    }
    if (holders.size > 0) return this.refuse(txn, [...holders].sort((x, y) => x - y));
    this.waits.delete(txn);
    const entry = lock ?? { key: key.slice(), shared: new Set<number>(), exclusive: undefined };
    this.keys.set(keyId(key), entry);
    if (mode === 'shared') entry.shared.add(txn);
    else entry.exclusive = txn;
    return { granted: true };
  }

  /**
   * Grants `txn` a shared lock on every key in `range`, present or not yet inserted: a predicate
   * lock. It conflicts with another transaction's exclusive lock on any key in the range, and
   * makes later exclusive requests by others on keys in the range wait.
   */
  acquireRange(txn: number, range: KeyRange): LockResult {
    const holders = new Set<number>();
    for (const lock of this.keys.values()) {
      if (lock.exclusive !== undefined && lock.exclusive !== txn && inRange(lock.key, range)) holders.add(lock.exclusive);
    }
    if (holders.size > 0) return this.refuse(txn, [...holders].sort((x, y) => x - y));
    this.waits.delete(txn);
    this.ranges.push({ txn, range: { ...(range.start && { start: range.start.slice() }), ...(range.end && { end: range.end.slice() }) } });
    return { granted: true };
  }

  /** Releases one row lock of `txn` early (strict two-phase locking never does this). */
  release(txn: number, key: Uint8Array): void {
    const lock = this.keys.get(keyId(key));
    if (lock === undefined) return;
    lock.shared.delete(txn);
    if (lock.exclusive === txn) lock.exclusive = undefined;
    if (lock.exclusive === undefined && lock.shared.size === 0) this.keys.delete(keyId(key));
  }

  /** Releases every lock of `txn` and forgets what it waited for: it committed or aborted. */
  releaseAll(txn: number): void {
    for (const lock of [...this.keys.values()]) this.release(txn, lock.key);
    for (let i = this.ranges.length - 1; i >= 0; i--) if (this.ranges[i]!.txn === txn) this.ranges.splice(i, 1);
    this.waits.delete(txn);
  }

  /** The transactions holding a lock on `key`, for tests and explanations. */
  holdersOf(key: Uint8Array): { readonly shared: readonly number[]; readonly exclusive: number | undefined } {
    const lock = this.keys.get(keyId(key));
    return { shared: [...(lock?.shared ?? [])].sort((x, y) => x - y), exclusive: lock?.exclusive };
  }

  /** The wait-for graph: each waiting transaction and whom it waits for. */
  waitsFor(): ReadonlyMap<number, readonly number[]> {
    return new Map(this.waits);
  }

  /** Records that `txn` waits for `holders`; if that closes a cycle, `txn` is the victim. */
  private refuse(txn: number, holders: readonly number[]): LockResult {
    this.waits.set(txn, holders);
    const cycle = this.cycleThrough(txn);
    if (cycle === undefined) return { granted: false, holders };
    this.waits.delete(txn); // the victim stops waiting: it is about to abort
    return { granted: false, holders, deadlock: cycle };
  }

  /** A path txn → … → txn in the wait-for graph, or undefined. Depth-first, from `txn`'s edges. */
  private cycleThrough(txn: number): number[] | undefined {
    const seen = new Set<number>();
    const path: number[] = [txn];
    const visit = (node: number): boolean => {
      for (const next of this.waits.get(node) ?? []) {
        if (next === txn) return true;
        if (seen.has(next)) continue;
        seen.add(next);
        path.push(next);
        if (visit(next)) return true;
        path.pop();
      }
      return false;
    };
    return visit(txn) ? [...path, txn] : undefined;
  }
}

/** A key for lock names and messages. */
export function lockName(key: Uint8Array): string {
  return `the lock on "${showBytes(key)}"`;
}
