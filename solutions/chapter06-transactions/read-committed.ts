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

import type { Entry, KeyRange, OrderedKV } from '../../shared/kv.js';
import { LockWait } from './errors.js';
import { LockManager, lockName, type LockResult } from './lock-manager.js';
import { TxnLifecycle, type IsolationLevel, type Transaction, type TransactionEngine, type TxnStatus } from './transaction.js';
import { WriteSet } from './write-set.js';

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
  private readonly life: TxnLifecycle;
  private readonly writes = new WriteSet();

  constructor(private readonly engine: ReadCommittedEngine, readonly id: number) {
    this.life = new TxnLifecycle(id);
  }

  get status(): TxnStatus {
    return this.life.status;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.life.ensureActive('get');
    const own = this.writes.get(key);
    if (own.found) return own.value;
    this.engine.lockForRead(this, key);
    return this.engine.store.get(key);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.life.ensureActive('put');
    this.lock(this.engine.locks.acquire(this.id, key, 'exclusive'), lockName(key));
    this.writes.put(key, value);
  }

  delete(key: Uint8Array): void {
    this.life.ensureActive('delete');
    this.lock(this.engine.locks.acquire(this.id, key, 'exclusive'), lockName(key));
    this.writes.delete(key);
  }

  scan(range: KeyRange = {}): Entry[] {
    this.life.ensureActive('scan');
    this.engine.lockForScan(this, range);
    const bounds = { ...(range.start && { start: range.start }), ...(range.end && { end: range.end }) };
    return this.writes.overlay(this.engine.store.scan(bounds), range);
  }

  commit(): void {
    this.life.ensureActive('commit');
    this.engine.store.batch(this.writes.ops());
    this.life.status = 'committed';
    this.engine.locks.releaseAll(this.id);
  }

  abort(): void {
    if (!this.life.startAbort()) return;
    this.life.status = 'aborted';
    this.engine.locks.releaseAll(this.id);
  }

  /**
   * Goes on if `result` granted the lock; otherwise throws `LockWait` (nothing changed), or, when
   * waiting would deadlock, aborts this transaction and throws `TransactionAborted`.
   */
  lock(result: LockResult, what: string): void {
    if (result.granted) return;
    if (result.deadlock !== undefined) {
      const cycle = result.deadlock.map((t) => `T${t}`).join(' → ');
      const error = this.life.aborted('deadlock', `waiting for ${what} would close the cycle ${cycle} in the wait-for graph; T${this.id} is the victim, the others go on`);
      this.engine.locks.releaseAll(this.id);
      throw error;
    }
    throw new LockWait(this.id, what, result.holders);
  }
}
