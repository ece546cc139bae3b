/**
 * Exercise 6.2: read committed. No dirty reads: a transaction's writes stay in its private write
 * set until commit, so others read only committed values. No dirty writes: a write takes an
 * exclusive row lock, held until commit or abort, so a second writer of the same row waits.
 *
 * The committed data lives in an injected `OrderedKV`; a commit applies the write set to it as
 * one atomic `batch`. Strict two-phase locking (exercise 6.4) is this engine plus read locks, so
 * the engine calls two hooks, {@link ReadCommittedEngine.lockForRead} and
 * {@link ReadCommittedEngine.lockForScan}, that take no locks here.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { Entry, KeyRange, OrderedKV } from '../../shared/kv.js';
import { LockManager, type LockResult } from './lock-manager.js';
import type { IsolationLevel, Transaction, TransactionEngine, TxnStatus } from './transaction.js';

const RC = { exercise: '6.2 Read committed', file: 'chapter06-transactions/read-committed.ts', section: '6.2 Read committed' };

/** Transactions at read committed over `store`, which holds only committed data. */
export class ReadCommittedEngine implements TransactionEngine {
  readonly level: IsolationLevel = 'read-committed';
  /** The row locks of every transaction of this engine. */
  readonly locks = new LockManager();
  private nextId = 1;

  constructor(readonly store: OrderedKV) {}

  begin(): Transaction {
    return new LockingTransaction(this, this.nextId++);
  }

  /** Called before `txn` reads `key` from the store. Read committed takes no read lock. */
  lockForRead(_txn: LockingTransaction, _key: Uint8Array): void {}

  /** Called before `txn` scans `range` of the store. Read committed takes no lock. */
  lockForScan(_txn: LockingTransaction, _range: KeyRange): void {}
}

/**
 * A transaction of a locking engine: buffered writes under exclusive locks, applied in one batch
 * at commit; every lock released at commit or abort, never before.
 */
export class LockingTransaction implements Transaction {
  constructor(private readonly engine: ReadCommittedEngine, readonly id: number) {}

  get status(): TxnStatus {
    throw new NotImplementedError(RC);
  }

  /** Own write first; otherwise `engine.lockForRead`, then the committed value. */
  get(key: Uint8Array): Uint8Array | undefined {
    throw new NotImplementedError(RC);
  }

  /** Takes the exclusive row lock (held to the end), then buffers the write. */
  put(key: Uint8Array, value: Uint8Array): void {
    throw new NotImplementedError(RC);
  }

  delete(key: Uint8Array): void {
    throw new NotImplementedError(RC);
  }

  /** `engine.lockForScan`, then the committed rows overlaid with own writes. */
  scan(range: KeyRange = {}): Entry[] {
    throw new NotImplementedError(RC);
  }

  /** Applies the write set as one `batch`, then releases every lock. */
  commit(): void {
    throw new NotImplementedError(RC);
  }

  /** Drops the write set and releases every lock; a second abort does nothing. */
  abort(): void {
    throw new NotImplementedError(RC);
  }

  /**
   * Goes on if `result` granted the lock; otherwise throws `LockWait` (nothing changed), or, when
   * waiting would deadlock, aborts this transaction and throws `TransactionAborted`.
   */
  lock(result: LockResult, what: string): void {
    void this.engine;
    throw new NotImplementedError(RC);
  }
}
