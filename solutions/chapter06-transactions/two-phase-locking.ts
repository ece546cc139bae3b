/**
 * Exercise 6.4: serializability by strict two-phase locking. Every read takes a shared lock on
 * its row, every scan a shared lock on its whole key range (a predicate lock, which also covers
 * keys not yet inserted, so no phantom appears), every write an exclusive lock; all of them are
 * held until commit or abort. Deadlocks are found by the lock manager's wait-for graph.
 * @module
 */

import type { KeyRange } from '../../shared/kv.js';
import { lockName } from './lock-manager.js';
import { ReadCommittedEngine, type LockingTransaction } from './read-committed.js';
import type { IsolationLevel } from './transaction.js';
import { showRange } from './write-set.js';

/** Serializable transactions over `store` by strict two-phase locking. */
export class TwoPhaseLockingEngine extends ReadCommittedEngine {
  override readonly level: IsolationLevel = 'serializable-2pl';

  /** A shared lock on `key`, held to the end of the transaction. */
  override lockForRead(txn: LockingTransaction, key: Uint8Array): void {
    txn.lock(this.locks.acquire(txn.id, key, 'shared'), lockName(key));
  }

  /** A shared lock on all of `range`, present keys and future inserts alike. */
  override lockForScan(txn: LockingTransaction, range: KeyRange): void {
    txn.lock(this.locks.acquireRange(txn.id, range), `the range lock on ${showRange(range)}`);
  }
}
