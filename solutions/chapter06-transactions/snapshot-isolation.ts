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

import { prefixRange, type Entry, type KeyRange, type OrderedKV } from '../../shared/kv.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import { showBytes } from '../../shared/bytes.js';
import { TxnLifecycle, type IsolationLevel, type Transaction, type TransactionEngine, type TxnStatus } from './transaction.js';
import { keyId, limitRange } from './write-set.js';

const TOMBSTONE = 0x00;
const VALUE = 0x01;

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
  private nextId = 1;
  /** Status of every transaction that began, kept for the engine's lifetime (a bonus task: forget ids below the gc horizon). */
  private readonly status = new Map<number, TxnStatus>();
  /** The snapshot of every active transaction. */
  private readonly active = new Map<number, Snapshot>();

  constructor(readonly store: OrderedKV) {}

  begin(): Transaction {
    const id = this.nextId++;
    const snapshot: Snapshot = { xmax: id, inProgress: new Set(this.active.keys()) };
    this.active.set(id, snapshot);
    this.status.set(id, 'active');
    return new SnapshotTransaction(this, id, snapshot);
  }

  /** The status of transaction `id`: a transaction this engine never began counts as aborted. */
  statusOf(id: number): TxnStatus {
    return this.status.get(id) ?? 'aborted';
  }

  /** True when the version written by `writer` is visible to transaction `reader` with `snapshot`. */
  isVisible(writer: number, reader: number, snapshot: Snapshot): boolean {
    if (writer === reader) return true;
    return writer < snapshot.xmax && !snapshot.inProgress.has(writer) && this.statusOf(writer) === 'committed';
  }

  /** Every stored version of `key`, newest writer first. */
  versionsOf(key: Uint8Array): Version[] {
    return [...this.store.scan({ ...prefixRange(encodeKey([key])), reverse: true })].map(decodeVersion);
  }

  /** Every stored version of every key in `range`, in key order, newest writer first per key. */
  versionsIn(range: KeyRange): Version[] {
    const bounds = { ...(range.start && { start: encodeKey([range.start]) }), ...(range.end && { end: encodeKey([range.end]) }) };
    const versions = [...this.store.scan(bounds)].map(decodeVersion);
    // Within a key the scan is oldest first; reverse each run of equal keys.
    const out: Version[] = [];
    let run: Version[] = [];
    for (const version of versions) {
      if (run.length > 0 && keyId(run[0]!.key) !== keyId(version.key)) {
        out.push(...run.reverse());
        run = [];
      }
      run.push(version);
    }
    out.push(...run.reverse());
    return out;
  }

  /** Stores (or replaces) `writer`'s version of `key`. */
  writeVersion(key: Uint8Array, writer: number, value: Uint8Array | undefined): void {
    this.store.put(encodeKey([key, writer]), encodeVersionValue(value));
  }

  /**
   * The conflict first-committer-wins forbids: a version of `key` by another transaction that
   * committed but is invisible to `snapshot`. Returns its writer, or undefined.
   */
  committedConflict(key: Uint8Array, txn: number, snapshot: Snapshot): number | undefined {
    for (const version of this.versionsOf(key)) {
      if (version.writer !== txn && this.statusOf(version.writer) === 'committed' && !this.isVisible(version.writer, txn, snapshot)) return version.writer;
    }
    return undefined;
  }

  /** Marks `txn` ended, and removes its versions if it aborted. */
  finish(txn: number, status: 'committed' | 'aborted', written: readonly Uint8Array[]): void {
    if (status === 'aborted') this.store.batch(written.map((key) => ({ type: 'delete', key: encodeKey([key, txn]) })));
    this.status.set(txn, status);
    this.active.delete(txn);
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
    let horizon = this.nextId;
    for (const [id, snapshot] of this.active) {
      horizon = Math.min(horizon, id, snapshot.xmax, ...snapshot.inProgress);
    }
    const doomed: Uint8Array[] = [];
    let key: string | undefined;
    let keptBelowHorizon = false;
    for (const version of this.versionsIn({})) {
      if (keyId(version.key) !== key) {
        key = keyId(version.key);
        keptBelowHorizon = false;
      }
      if (version.writer >= horizon || this.statusOf(version.writer) !== 'committed') continue;
      // Newest first: the first committed version below the horizon is what every live snapshot
      // reads; the older ones are seen by nobody. A tombstone there means "absent" for everyone.
      if (keptBelowHorizon || version.value === undefined) doomed.push(encodeKey([version.key, version.writer]));
      keptBelowHorizon = true;
    }
    this.store.batch(doomed.map((k) => ({ type: 'delete', key: k })));
    return doomed.length;
  }

  /** How many versions the store holds. */
  versionCount(): number {
    let count = 0;
    for (const _ of this.store.scan()) count++;
    return count;
  }

  /** The transactions still active. */
  activeTransactions(): number[] {
    return [...this.active.keys()];
  }
}

/** A transaction under snapshot isolation: reads from its snapshot, writes versions at once. */
export class SnapshotTransaction implements Transaction {
  private readonly life: TxnLifecycle;
  private readonly written: Uint8Array[] = [];
  private readonly writtenIds = new Set<string>();

  constructor(private readonly engine: SnapshotEngine, readonly id: number, readonly snapshot: Snapshot) {
    this.life = new TxnLifecycle(id);
  }

  get status(): TxnStatus {
    return this.life.status;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.life.ensureActive('get');
    const invisible: number[] = [];
    let found: Version | undefined;
    for (const version of this.engine.versionsOf(key)) {
      if (this.engine.isVisible(version.writer, this.id, this.snapshot)) {
        found = version;
        break;
      }
      invisible.push(version.writer);
    }
    this.engine.onRead(this.id, key, invisible);
    return found?.value;
  }

  scan(range: KeyRange = {}): Entry[] {
    this.life.ensureActive('scan');
    const invisible = new Set<number>();
    const entries: Entry[] = [];
    let key: string | undefined;
    let done = false;
    for (const version of this.engine.versionsIn(range)) {
      if (keyId(version.key) !== key) {
        key = keyId(version.key);
        done = false;
      }
      if (done) continue;
      if (!this.engine.isVisible(version.writer, this.id, this.snapshot)) {
        invisible.add(version.writer);
        continue;
      }
      done = true;
      if (version.value !== undefined) entries.push({ key: version.key, value: version.value });
    }
    this.engine.onRead(this.id, range, [...invisible].sort((x, y) => x - y));
    return limitRange(entries, range);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.write(key, value);
  }

  delete(key: Uint8Array): void {
    this.write(key, undefined);
  }

  commit(): void {
    this.life.ensureActive('commit');
    for (const key of this.written) this.checkConflict(key, 'commit');
    this.engine.onCommit(this.id); // SSI may abort here, through abortWith
    this.life.status = 'committed';
    this.engine.finish(this.id, 'committed', this.written);
  }

  abort(): void {
    if (!this.life.startAbort()) return;
    this.life.status = 'aborted';
    this.engine.finish(this.id, 'aborted', this.written);
  }

  /** Aborts this transaction with `reason` (used by the SSI hooks too) and returns the error to throw. */
  abortWith(reason: 'write-conflict' | 'serialization-failure', detail: string): Error {
    const error = this.life.aborted(reason, detail);
    this.engine.finish(this.id, 'aborted', this.written);
    return error;
  }

  private write(key: Uint8Array, value: Uint8Array | undefined): void {
    this.life.ensureActive(value === undefined ? 'delete' : 'put');
    this.checkConflict(key, 'write');
    this.engine.onWrite(this.id, key);
    this.engine.writeVersion(key, this.id, value);
    if (!this.writtenIds.has(keyId(key))) {
      this.writtenIds.add(keyId(key));
      this.written.push(key.slice());
    }
  }

  private checkConflict(key: Uint8Array, when: string): void {
    const winner = this.engine.committedConflict(key, this.id, this.snapshot);
    if (winner === undefined) return;
    throw this.abortWith('write-conflict', `at ${when}: T${winner} committed a write to "${showBytes(key)}" after T${this.id}'s snapshot was taken; the first committer wins`);
  }
}

function encodeVersionValue(value: Uint8Array | undefined): Uint8Array {
  if (value === undefined) return Uint8Array.of(TOMBSTONE);
  const out = new Uint8Array(1 + value.length);
  out[0] = VALUE;
  out.set(value, 1);
  return out;
}

function decodeVersion(entry: Entry): Version {
  const [key, writer] = decodeKey(entry.key);
  if (!(key instanceof Uint8Array) || typeof writer !== 'number') throw new Error(`not a version key: "${showBytes(entry.key)}"`);
  return { key, writer, value: entry.value[0] === TOMBSTONE ? undefined : entry.value.slice(1) };
}
