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
import { NotImplementedError } from '../../shared/errors.js';

/** The error every stub below throws, naming its exercise. */
function todo(exercise: string): NotImplementedError {
  return new NotImplementedError({ exercise, file: 'chapter04-replication/replication-log.ts', section: exercise });
}

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
    throw todo('1.1 The replication log');
  }

  /** The entry at `offset`, or `undefined` if it is not held (dropped, or not yet written). */
  entry(offset: number): LogEntry | undefined {
    throw todo('1.1 The replication log');
  }

  /** Up to `max` entries from `from` on, in offset order. */
  read(from: number, max: number): LogEntry[] {
    throw todo('1.1 The replication log');
  }

  /**
   * The offset of the last entry written in `epoch` or earlier: where a replica whose newest
   * entry has that epoch stops agreeing with this log (entries after it were never here).
   */
  endOffsetOf(epoch: number): number {
    throw todo('1.1 The replication log');
  }

  /**
   * The newest epoch at or before `epoch` that this log has recorded (0 if none): with
   * `endOffsetOf(epoch)`, what a leader tells a follower whose last entry has that epoch.
   */
  lastEpochAtOrBefore(epoch: number): number {
    throw todo('1.1 The replication log');
  }

  /**
   * Removes every entry after `offset`, newest first, in one atomic batch together with
   * `undo(entry)` for each (the operations that take the data back to before the entry).
   * Returns the removed entries, newest first. `offset` must not be before `firstOffset - 1`.
   */
  truncateAfter(offset: number, undo: (entry: LogEntry) => readonly BatchOp[]): LogEntry[] {
    throw todo('1.1 The replication log');
  }

  /** Drops the entries before `offset` (they are covered by a snapshot). */
  dropBefore(offset: number): void {
    throw todo('1.1 The replication log');
  }

  /**
   * Empties the log so that the next append is at `offset + 1`, in one batch with `alsoApply`:
   * what a follower does when it installs a snapshot of the data up to `offset`, written in
   * `epoch`. (The epochs before it are then unknown here: `endOffsetOf` answers `offset` for them.)
   */
  reset(offset: number, epoch: number, alsoApply: readonly BatchOp[] = []): void {
    throw todo('1.1 The replication log');
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
