/**
 * Exercise 6.3: snapshot isolation with multi-version concurrency control (MVCC).
 *
 * Every write is a new **version**, stored at once in the injected `OrderedKV` under the key
 * `encodeKey([key, writer])` (`shared/tuple-key.ts`), where `writer` is the writing transaction's
 * id; the value is `0x01` then the bytes, or `0x00` alone for a deletion (a tombstone). All
 * versions of a key are adjacent in the store, oldest writer first. Which transactions committed,
 * and when, is kept in memory (this engine does not survive a restart; exercise 6.1 is about
 * durability).
 *
 * A transaction's **snapshot** is taken when it begins: the next transaction id then (`xmax`)
 * and the set of transactions in progress. A version is **visible** to a transaction when it is
 * the transaction's own, or when its writer began before the snapshot (`writer < xmax`), was not
 * in progress when it was taken, and committed. A read returns the newest visible version.
 *
 * **First committer wins**: a transaction may not commit a write to a key that another
 * transaction, invisible to its snapshot, committed a write to; it is aborted with reason
 * `'write-conflict'` (checked when writing, against what has committed by then, and again at
 * commit). Committed versions of one key are therefore ordered by writer id as by commit time.
 *
 * **Garbage collection** ({@link SnapshotEngine.gc}) removes versions that no live snapshot
 * can see: below the horizon (the oldest transaction id some live snapshot may not see as
 * committed), only the newest committed version of a key is visible to anyone.
 *
 * Serializable snapshot isolation (exercise 6.4) adds bookkeeping through three hooks,
 * {@link SnapshotEngine.onRead}, {@link SnapshotEngine.onWrite} and
 * {@link SnapshotEngine.onCommit}, which do nothing here.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { Entry, KeyRange, OrderedKV } from '../../shared/kv.js';
import type { IsolationLevel, Transaction, TransactionEngine, TxnStatus } from './transaction.js';

const SI = { exercise: '6.3 Snapshot isolation', file: 'chapter06-transactions/snapshot-isolation.ts', section: '6.3 Snapshot isolation' };

/** What a snapshot sees: transactions below `xmax`, except those in progress when it was taken. */
export interface Snapshot {
  readonly xmax: number;
  readonly inProgress: ReadonlySet<number>;
}

/** One stored version, decoded. */
export interface Version {
  readonly key: Uint8Array;
  readonly writer: number;
  /** `undefined` for a tombstone. */
  readonly value: Uint8Array | undefined;
}

/** Snapshot-isolated transactions over a multi-version `store`. */
export class SnapshotEngine implements TransactionEngine {
  readonly level: IsolationLevel = 'snapshot';

  constructor(readonly store: OrderedKV) {}

  /** Takes a snapshot (`xmax`, the transactions in progress) and starts a transaction with it. */
  begin(): Transaction {
    throw new NotImplementedError(SI);
  }

  /** The status of transaction `id`: a transaction this engine never began counts as aborted. */
  statusOf(id: number): TxnStatus {
    throw new NotImplementedError(SI);
  }

  /** True when the version written by `writer` is visible to transaction `reader` with `snapshot`. */
  isVisible(writer: number, reader: number, snapshot: Snapshot): boolean {
    throw new NotImplementedError(SI);
  }

  /** Every stored version of `key`, newest writer first. */
  versionsOf(key: Uint8Array): Version[] {
    throw new NotImplementedError(SI);
  }

  /** Every stored version of every key in `range`, in key order, newest writer first per key. */
  versionsIn(range: KeyRange): Version[] {
    throw new NotImplementedError(SI);
  }

  /** Stores (or replaces) `writer`'s version of `key`. */
  writeVersion(key: Uint8Array, writer: number, value: Uint8Array | undefined): void {
    throw new NotImplementedError(SI);
  }

  /**
   * The conflict first-committer-wins forbids: a version of `key` by another transaction that
   * committed but is invisible to `snapshot`. Returns its writer, or undefined.
   */
  committedConflict(key: Uint8Array, txn: number, snapshot: Snapshot): number | undefined {
    throw new NotImplementedError(SI);
  }

  /** Marks `txn` ended, and removes its versions if it aborted. */
  finish(txn: number, status: 'committed' | 'aborted', written: readonly Uint8Array[]): void {
    throw new NotImplementedError(SI);
  }

  /** Hook for SSI: `txn` read `key` (or scanned a range), and these transactions wrote versions it could not see. */
  onRead(_txn: number, _read: Uint8Array | KeyRange, _invisibleWriters: readonly number[]): void {}

  /** Hook for SSI: `txn` is about to write `key`. */
  onWrite(_txn: number, _key: Uint8Array): void {}

  /** Hook for SSI: `txn` passed the write-conflict check and is about to commit; to refuse, throw `abortWith`'s error. */
  onCommit(_txn: number): void {}

  /**
   * Removes every version that no live snapshot can see, and returns how many it removed. Never
   * removes a version some active transaction could read.
   */
  gc(): number {
    throw new NotImplementedError(SI);
  }

  /** How many versions the store holds. */
  versionCount(): number {
    throw new NotImplementedError(SI);
  }

  /** The transactions still active. */
  activeTransactions(): number[] {
    throw new NotImplementedError(SI);
  }
}

/** A transaction under snapshot isolation: reads from its snapshot, writes versions at once. */
export class SnapshotTransaction implements Transaction {
  constructor(private readonly engine: SnapshotEngine, readonly id: number, readonly snapshot: Snapshot) {}

  get status(): TxnStatus {
    throw new NotImplementedError(SI);
  }

  /** The newest version visible to this snapshot; reports the invisible writers it skipped to `onRead`. */
  get(key: Uint8Array): Uint8Array | undefined {
    throw new NotImplementedError(SI);
  }

  scan(range: KeyRange = {}): Entry[] {
    throw new NotImplementedError(SI);
  }

  /** Checks for a committed conflict, calls `onWrite`, then writes the version at once. */
  put(key: Uint8Array, value: Uint8Array): void {
    throw new NotImplementedError(SI);
  }

  delete(key: Uint8Array): void {
    throw new NotImplementedError(SI);
  }

  /** Checks every written key again (first committer wins), calls `onCommit`, then finishes. */
  commit(): void {
    throw new NotImplementedError(SI);
  }

  abort(): void {
    throw new NotImplementedError(SI);
  }

  /** Aborts this transaction with `reason` (used by the SSI hooks too) and returns the error to throw. */
  abortWith(reason: 'write-conflict' | 'serialization-failure', detail: string): Error {
    void this.engine;
    throw new NotImplementedError(SI);
  }
}
