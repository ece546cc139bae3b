/**
 * What every transaction engine of this chapter offers, whatever its isolation level. Given code,
 * identical in `chapters/` and `solutions/`.
 *
 * Transactions are **step-driven**: one call is one step, and a step never waits. When a step
 * needs a lock that another transaction holds, it throws `LockWait` having changed nothing,
 * and the caller (a scheduler, in the anomaly lab) runs other transactions' steps and calls it
 * again later. That is what lets a test enumerate every interleaving of a few transactions
 * deterministically, with no threads and no timeouts.
 * @module
 */

import type { Entry, KeyRange } from '../../shared/kv.js';
import { TransactionAborted, TransactionStateError } from './errors.js';

/** The isolation levels the chapter builds, weakest first. */
export type IsolationLevel = 'read-committed' | 'snapshot' | 'serializable-2pl' | 'serializable-ssi';

/** Where a transaction is in its life. */
export type TxnStatus = 'active' | 'committed' | 'aborted';

/**
 * One transaction. Every operation of an active transaction may throw:
 *
 * - `LockWait`: nothing happened; call it again later.
 * - {@link TransactionAborted}: the database aborted the transaction (its writes are undone, its
 *   locks released, `status` is `'aborted'`).
 *
 * Any operation (and `commit`) after the transaction ended throws a `TransactionStateError`;
 * `abort()` after the end does nothing if it was aborted, and throws if it was committed.
 */
export interface Transaction {
  /** Unique per engine, increasing in the order transactions began. */
  readonly id: number;
  readonly status: TxnStatus;
  /** The value of `key` as this transaction sees it (its own writes included). */
  get(key: Uint8Array): Uint8Array | undefined;
  put(key: Uint8Array, value: Uint8Array): void;
  delete(key: Uint8Array): void;
  /** The entries in `range` as this transaction sees them, in key order (`reverse`, `limit` honoured). */
  scan(range?: KeyRange): Entry[];
  /** Makes every write visible to later transactions, atomically. */
  commit(): void;
  /** Undoes every write and releases every lock. */
  abort(): void;
}

/** A store that runs transactions at one isolation level. */
export interface TransactionEngine {
  readonly level: IsolationLevel;
  /** Starts a transaction. */
  begin(): Transaction;
}

/**
 * The bookkeeping every engine's transactions share: the status, and the checks that refuse an
 * operation on a transaction that has ended.
 */
export class TxnLifecycle {
  status: TxnStatus = 'active';

  constructor(readonly id: number) {}

  /** Throws a `TransactionStateError` unless the transaction is still active. */
  ensureActive(operation: string): void {
    if (this.status !== 'active') {
      throw new TransactionStateError(this.id, operation, `T${this.id} has already ${this.status === 'committed' ? 'committed' : 'been aborted'}`);
    }
  }

  /**
   * True when `abort()` has work to do; false when the transaction was already aborted (a second
   * abort is harmless). Throws when it had committed: a commit cannot be taken back.
   */
  startAbort(): boolean {
    if (this.status === 'aborted') return false;
    if (this.status === 'committed') throw new TransactionStateError(this.id, 'abort', `T${this.id} has already committed`);
    return true;
  }

  /** Marks the transaction aborted and builds the error to throw. */
  aborted(reason: TransactionAborted['reason'], detail: string): TransactionAborted {
    this.status = 'aborted';
    return new TransactionAborted(this.id, reason, detail);
  }
}

/**
 * A connection's view of transactions, as in SQL: `begin`, then operations, then `commit` or
 * `abort`. At most one transaction is open at a time; a nested `begin`, or an operation with no
 * transaction open, throws a `TransactionStateError`.
 */
export class Session {
  private current: Transaction | undefined;

  constructor(private readonly engine: TransactionEngine) {}

  /** The open transaction, if any. */
  get transaction(): Transaction | undefined {
    return this.current?.status === 'active' ? this.current : undefined;
  }

  begin(): Transaction {
    const open = this.transaction;
    if (open !== undefined) throw new TransactionStateError(open.id, 'begin', `T${open.id} is still open; commit or abort it first (transactions do not nest)`);
    this.current = this.engine.begin();
    return this.current;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.open('get').get(key);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.open('put').put(key, value);
  }

  delete(key: Uint8Array): void {
    this.open('delete').delete(key);
  }

  scan(range?: KeyRange): Entry[] {
    return this.open('scan').scan(range);
  }

  commit(): void {
    this.open('commit').commit();
  }

  abort(): void {
    this.open('abort').abort();
  }

  private open(operation: string): Transaction {
    const txn = this.transaction;
    if (txn === undefined) throw new TransactionStateError(this.current?.id, operation, 'no transaction is open; call begin() first');
    return txn;
  }
}
