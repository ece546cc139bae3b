/**
 * A replication log kept in an ordered store: entries at consecutive offsets, appended only at
 * the end, atomically with the changes they make to the replica's data.
 *
 * Layout under the log's prefix `P` (integers big-endian):
 *
 * | key                     | value                                               |
 * |-------------------------|-----------------------------------------------------|
 * | `P` `e` u64 offset      | the entry (`log-entry.ts`)                          |
 * | `P` `p` u32 epoch       | u64: the offset of the first entry of that epoch    |
 * | `P` `m`                 | f64 first retained offset, f64 last offset, u32 last epoch |
 *
 * Entries in `[first, last]` are present; older ones were dropped after a snapshot made them
 * unnecessary. Offsets start at 1; an empty log has `last = 0`.
 * @module
 */

import { concatBytes, utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import type { BatchOp, OrderedKV } from '../../shared/kv.js';
import { decodeEntry, encodeEntry, type LogEntry } from './log-entry.js';

interface Meta {
  readonly first: number;
  readonly last: number;
  readonly lastEpoch: number;
}

/** Big-endian u64 (for offsets below 2^53), so that byte order is numeric order. */
function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(n / 2 ** 32));
  view.setUint32(4, n >>> 0);
  return out;
}

function readU64(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(0) * 2 ** 32 + view.getUint32(4);
}

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n);
  return out;
}

/** The replication log of one replica. */
export class ReplicationLog {
  private readonly kv: OrderedKV;
  private readonly entriesPrefix: Uint8Array;
  private readonly epochsPrefix: Uint8Array;
  private readonly metaKey: Uint8Array;
  private meta: Meta;

  /** Opens the log stored in `kv` under `prefix`, or an empty one. */
  constructor(kv: OrderedKV, prefix: Uint8Array) {
    this.kv = kv;
    this.entriesPrefix = concatBytes(prefix, utf8('e'));
    this.epochsPrefix = concatBytes(prefix, utf8('p'));
    this.metaKey = concatBytes(prefix, utf8('m'));
    const stored = kv.get(this.metaKey);
    if (stored === undefined) this.meta = { first: 1, last: 0, lastEpoch: 0 };
    else {
      const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
      this.meta = { first: view.getFloat64(0), last: view.getFloat64(8), lastEpoch: view.getUint32(16) };
    }
  }

  /** The offset of the oldest entry still held; `lastOffset + 1` when none is. */
  get firstOffset(): number {
    return this.meta.first;
  }

  /** The offset of the newest entry; 0 when nothing was ever appended. */
  get lastOffset(): number {
    return this.meta.last;
  }

  /** The epoch of the newest entry; 0 when nothing was ever appended. */
  get lastEpoch(): number {
    return this.meta.lastEpoch;
  }

  /**
   * Appends `entry` in **one** atomic batch with `alsoApply` (the entry's effect on the data): the
   * entry, its data operations and the log's bookkeeping are a single `batch` call on the store,
   * so a crash keeps all of them or none. Its offset must be `lastOffset + 1` (a log has no gaps)
   * and its epoch at least `lastEpoch` (epochs never go back); either violation is a `UsageError`
   * and changes nothing.
   */
  append(entry: LogEntry, alsoApply: readonly BatchOp[] = []): void {
    if (entry.offset !== this.meta.last + 1) {
      throw new UsageError(`log append at offset ${entry.offset}, but the next offset is ${this.meta.last + 1}`);
    }
    if (entry.epoch < this.meta.lastEpoch) {
      throw new UsageError(`log append of epoch ${entry.epoch} after an entry of epoch ${this.meta.lastEpoch}`);
    }
    const ops: BatchOp[] = [{ type: 'put', key: this.entryKey(entry.offset), value: encodeEntry(entry) }, ...alsoApply];
    if (entry.epoch > this.meta.lastEpoch) {
      ops.push({ type: 'put', key: concatBytes(this.epochsPrefix, u32(entry.epoch)), value: u64(entry.offset) });
    }
    const meta = { first: this.meta.first, last: entry.offset, lastEpoch: entry.epoch };
    ops.push(this.metaOp(meta));
    this.kv.batch(ops);
    this.meta = meta;
  }

  /** The entry at `offset`, or `undefined` if it is not held (dropped, or not yet written). */
  entry(offset: number): LogEntry | undefined {
    if (offset < this.meta.first || offset > this.meta.last) return undefined;
    const stored = this.kv.get(this.entryKey(offset));
    return stored === undefined ? undefined : decodeEntry(offset, stored);
  }

  /** Up to `max` entries from `from` on, in offset order. */
  read(from: number, max: number): LogEntry[] {
    const out: LogEntry[] = [];
    for (let offset = Math.max(from, this.meta.first); offset <= this.meta.last && out.length < max; offset++) {
      out.push(this.entry(offset)!);
    }
    return out;
  }

  /**
   * The offset of the last entry written in `epoch` or earlier: where a replica whose newest
   * entry has that epoch stops agreeing with this log (entries after it were never here).
   */
  endOffsetOf(epoch: number): number {
    const start = concatBytes(this.epochsPrefix, u32(epoch + 1));
    for (const { value } of this.kv.scan({ start, end: concatBytes(this.epochsPrefix, u32(0xffffffff)), limit: 1 })) {
      return Math.min(this.meta.last, readU64(value) - 1);
    }
    return this.meta.last;
  }

  /**
   * The newest epoch at or before `epoch` that this log has recorded (0 if none): with
   * `endOffsetOf(epoch)`, what a leader tells a follower whose last entry has that epoch.
   */
  lastEpochAtOrBefore(epoch: number): number {
    const range = { start: this.epochsPrefix, end: concatBytes(this.epochsPrefix, u32(epoch + 1)), reverse: true, limit: 1 };
    for (const { key } of this.kv.scan(range)) return this.epochOfKey(key);
    return 0;
  }

  /**
   * Removes every entry after `offset`, newest first, in one atomic batch together with
   * `undo(entry)` for each (the operations that take the data back to before the entry).
   * Returns the removed entries, newest first. `offset` must not be before `firstOffset - 1`.
   */
  truncateAfter(offset: number, undo: (entry: LogEntry) => readonly BatchOp[]): LogEntry[] {
    if (offset >= this.meta.last) return [];
    if (offset < this.meta.first - 1) {
      throw new UsageError(`cannot truncate the log after ${offset}: entries before ${this.meta.first} were dropped`);
    }
    const removed: LogEntry[] = [];
    const ops: BatchOp[] = [];
    for (let at = this.meta.last; at > offset; at--) {
      const entry = this.entry(at)!;
      removed.push(entry);
      ops.push({ type: 'delete', key: this.entryKey(at) }, ...undo(entry));
    }
    let lastEpoch = 0;
    for (const { key, value } of [...this.kv.scan({ start: this.epochsPrefix, end: concatBytes(this.epochsPrefix, u32(0xffffffff)) })]) {
      const startOffset = readU64(value);
      if (startOffset > offset) ops.push({ type: 'delete', key });
      else lastEpoch = this.epochOfKey(key);
    }
    const meta = { first: this.meta.first, last: offset, lastEpoch: offset === 0 ? 0 : lastEpoch };
    ops.push(this.metaOp(meta));
    this.kv.batch(ops);
    this.meta = meta;
    return removed;
  }

  /** Drops the entries before `offset` (they are covered by a snapshot). */
  dropBefore(offset: number): void {
    const until = Math.min(offset, this.meta.last + 1);
    if (until <= this.meta.first) return;
    const ops: BatchOp[] = [];
    for (let at = this.meta.first; at < until; at++) ops.push({ type: 'delete', key: this.entryKey(at) });
    const meta = { ...this.meta, first: until };
    ops.push(this.metaOp(meta));
    this.kv.batch(ops);
    this.meta = meta;
  }

  /**
   * Empties the log so that the next append is at `offset + 1`, in one batch with `alsoApply`:
   * what a follower does when it installs a snapshot of the data up to `offset`, written in
   * `epoch`. (The epochs before it are then unknown here: `endOffsetOf` answers `offset` for them.)
   */
  reset(offset: number, epoch: number, alsoApply: readonly BatchOp[] = []): void {
    const ops: BatchOp[] = [];
    for (const { key } of [...this.kv.scan({ start: this.entriesPrefix, end: concatBytes(this.entriesPrefix, u64(Number.MAX_SAFE_INTEGER)) })]) {
      ops.push({ type: 'delete', key });
    }
    for (const { key } of [...this.kv.scan({ start: this.epochsPrefix, end: concatBytes(this.epochsPrefix, u32(0xffffffff)) })]) {
      ops.push({ type: 'delete', key });
    }
    ops.push({ type: 'put', key: concatBytes(this.epochsPrefix, u32(epoch)), value: u64(offset + 1) });
    const meta = { first: offset + 1, last: offset, lastEpoch: epoch };
    ops.push(this.metaOp(meta), ...alsoApply);
    this.kv.batch(ops);
    this.meta = meta;
  }

  private epochOfKey(key: Uint8Array): number {
    return new DataView(key.buffer, key.byteOffset + this.epochsPrefix.length).getUint32(0);
  }

  private entryKey(offset: number): Uint8Array {
    return concatBytes(this.entriesPrefix, u64(offset));
  }

  private metaOp(meta: Meta): BatchOp {
    const value = new Uint8Array(20);
    const view = new DataView(value.buffer);
    view.setFloat64(0, meta.first);
    view.setFloat64(8, meta.last);
    view.setUint32(16, meta.lastEpoch);
    return { type: 'put', key: this.metaKey, value };
  }
}
