/**
 * Exercises 1.2 and 1.3: a Bitcask-style store. Every write is appended to a log; an in-memory
 * hash index maps each live key to the record that holds its newest value. See the notes,
 * "1.2 The hash index and recovery" and "1.3 Segments and merging".
 *
 * On disk, in the store's directory:
 *
 * ```text
 * NNNNNN.log      a segment: log records (log-record.ts frames holding write-batch.ts batches),
 *                 appended in order; only the newest segment is written to
 * NNNNNN.merged   the result of a merge: one put per live key of every segment numbered <= NNNNNN;
 *                 once it exists, those segments (and older merged files) are ignored
 * merge.tmp       a merge in progress; deleted on open
 * ```
 *
 * Recovery loads the newest `.merged` file, then replays every segment numbered after it, oldest
 * first. Only the newest segment may end in a torn tail (a torn record, or zero bytes: see
 * `scanFrames`), which is dropped (and cut off the file); a torn tail in an older segment means
 * data was lost in the middle: `CorruptionError`.
 * @module
 */

import { compareBytes } from '../../shared/bytes.js';
import { CorruptionError, UsageError } from '../../shared/errors.js';
import type { FileHandle, FileSystem } from '../../shared/fs/file-system.js';
import { inRange, type BatchOp, type DurableKV, type Entry, type KeyRange } from '../../shared/kv.js';
import { encodeFrame, FRAME_HEADER_BYTES, scanFrames } from './log-record.js';
import type { SyncPolicy } from './sync-policy.js';
import { decodeBatch, encodeBatch } from './write-batch.js';

/** How a {@link Bitcask} store is laid out and when it syncs. */
export interface BitcaskOptions {
  /** Directory of the store, relative to the file system's root; created if missing. */
  readonly dir: string;
  /** See `sync-policy.ts`; default `'none'`. */
  readonly syncPolicy?: SyncPolicy;
  /** The active segment is closed and a new one started once it reaches this size (default 1 MiB). */
  readonly segmentBytes?: number;
  /** Merge automatically once this many closed segments exist (default 8; 0 never merges). */
  readonly mergeAfterSegments?: number;
}

/** Where the newest value of a key lives: one frame of one file. */
interface Location {
  /** File id: the segment number, or the merged file's number negated. */
  readonly file: number;
  readonly offset: number;
  readonly length: number;
}

const SEGMENT = /^(\d{6})\.log$/;
const MERGED = /^(\d{6})\.merged$/;

/** A log-structured store with an in-memory hash index; see the module comment. */
export class Bitcask implements DurableKV {
  private readonly fs: FileSystem;
  private readonly dir: string;
  private readonly syncPolicy: SyncPolicy;
  private readonly segmentBytes: number;
  private readonly mergeAfterSegments: number;
  // Invariant: index.get(k) is the location of the newest record of k, which is a put.
  private readonly index = new Map<string, Location>();
  private readonly handles = new Map<number, FileHandle>();
  private readonly segments: number[] = []; // closed segments, oldest first
  private merged: number | undefined; // number of the newest merged file, if any
  private active!: FileHandle;
  // Where the next record goes in the active segment: kept here so that a put is one write
  // system call (`append` would first ask the file for its size).
  private activeEnd = 0;
  private activeNumber = 0;
  private closed = false;
  private version = 0;

  /** Opens (or creates) the store in `options.dir`, rebuilding the index by scanning the files. */
  constructor(fs: FileSystem, options: BitcaskOptions) {
    this.fs = fs;
    this.dir = options.dir;
    this.syncPolicy = options.syncPolicy ?? 'none';
    this.segmentBytes = options.segmentBytes ?? 1 << 20;
    this.mergeAfterSegments = options.mergeAfterSegments ?? 8;
    fs.mkdir(this.dir);
    this.recover();
  }

  /** Number of segment files (closed and active), for tests of rotation and merging. */
  get segmentCount(): number {
    return this.segments.length + 1;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.checkOpen();
    const at = this.index.get(indexKey(key));
    if (at === undefined) return undefined;
    const op = this.readOp(at, key);
    return op.type === 'put' ? op.value : undefined;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.batch([{ type: 'put', key, value }]);
  }

  delete(key: Uint8Array): void {
    this.batch([{ type: 'delete', key }]);
  }

  batch(ops: readonly BatchOp[]): void {
    this.checkOpen();
    if (ops.length === 0) return;
    this.version++;
    const frame = encodeFrame(encodeBatch(ops));
    const offset = this.activeEnd;
    this.active.write(offset, frame);
    this.activeEnd += frame.length;
    if (this.syncPolicy === 'every-write') this.active.sync();
    this.apply(decodeLocations(ops), { file: this.activeNumber, offset, length: frame.length });
    if (offset + frame.length >= this.segmentBytes) this.rotate();
  }

  *scan(range: KeyRange = {}): IterableIterator<Entry> {
    this.checkOpen();
    // A hash index has no order: collect the keys in range and sort them. This is the price
    // Bitcask pays for O(1) point reads (see the notes).
    const keys: Uint8Array[] = [];
    for (const k of this.index.keys()) {
      const key = fromIndexKey(k);
      if (inRange(key, range)) keys.push(key);
    }
    keys.sort(compareBytes);
    if (range.reverse) keys.reverse();
    const limit = Math.min(range.limit ?? Infinity, keys.length);
    const version = this.version;
    for (let i = 0; i < limit; i++) {
      const value = this.get(keys[i]!);
      if (value !== undefined) yield { key: keys[i]!, value };
      if (this.version !== version) throw new UsageError('Bitcask: the store was modified during a scan');
    }
  }

  sync(): void {
    this.checkOpen();
    this.active.sync();
  }

  close(): void {
    if (this.closed) return;
    this.active.sync();
    for (const h of this.handles.values()) h.close();
    this.handles.clear();
    this.closed = true;
  }

  /**
   * Rewrites every closed segment into one merged file holding only the live keys they hold, then
   * deletes them. The active segment is left alone. Crash-safe: the merged file is complete and
   * durable before its name appears, and recovery ignores the segments it replaces.
   */
  merge(): void {
    this.checkOpen();
    if (this.segments.length === 0) return;
    const upTo = this.segments[this.segments.length - 1]!;
    const replaced = new Set<number>(this.segments);
    if (this.merged !== undefined) replaced.add(-this.merged);
    const tmpPath = `${this.dir}/merge.tmp`;
    const out = this.fs.open(tmpPath, 'truncate');
    const moved: Array<[string, Location]> = [];
    for (const [k, at] of this.index) {
      if (!replaced.has(at.file)) continue; // newest value is in the active segment
      const key = fromIndexKey(k);
      const op = this.readOp(at, key);
      const frame = encodeFrame(encodeBatch([op]));
      moved.push([k, { file: -upTo, offset: out.append(frame), length: frame.length }]);
    }
    out.sync();
    out.close();
    this.fs.rename(tmpPath, `${this.dir}/${name(upTo, 'merged')}`);
    this.fs.syncDir(this.dir); // the commit point: from here on recovery uses the merged file
    for (const [k, at] of moved) this.index.set(k, at);
    for (const file of replaced) {
      this.handles.get(file)?.close();
      this.handles.delete(file);
      this.fs.remove(`${this.dir}/${file < 0 ? name(-file, 'merged') : name(file, 'log')}`);
    }
    this.fs.syncDir(this.dir);
    this.segments.length = 0;
    this.merged = upTo;
  }

  private recover(): void {
    const names = this.fs.list(this.dir);
    if (names.includes('merge.tmp')) this.fs.remove(`${this.dir}/merge.tmp`);
    const segmentNumbers = numbersOf(names, SEGMENT);
    const mergedNumbers = numbersOf(names, MERGED);
    this.merged = mergedNumbers[mergedNumbers.length - 1];
    const floor = this.merged ?? 0;
    // Files a finished merge replaced but a crash left behind.
    for (const n of segmentNumbers.filter((n) => n <= floor)) this.fs.remove(`${this.dir}/${name(n, 'log')}`);
    for (const n of mergedNumbers.filter((n) => n < floor)) this.fs.remove(`${this.dir}/${name(n, 'merged')}`);
    if (this.merged !== undefined) this.replay(-this.merged, false);
    const live = segmentNumbers.filter((n) => n > floor);
    live.forEach((n, i) => this.replay(n, i === live.length - 1));
    if (live.length > 0) {
      this.activeNumber = live.pop()!;
      this.segments.push(...live);
      this.active = this.handle(this.activeNumber);
      this.activeEnd = this.active.size();
    } else {
      this.startSegment(floor + 1);
    }
  }

  /** Replays one file into the index; `isNewest` allows (and cuts off) a torn tail. */
  private replay(file: number, isNewest: boolean): void {
    const path = this.pathOf(file);
    const handle = this.handle(file);
    const bytes = handle.read(0, handle.size());
    const scan = scanFrames(bytes, path);
    if (scan.tornBytes > 0) {
      if (!isNewest) throw new CorruptionError(path, scan.validBytes, 'a torn record in a segment that is not the newest');
      handle.truncate(scan.validBytes);
      handle.sync();
    }
    for (const frame of scan.frames) {
      const ops = decodeBatch(frame.payload, path, frame.offset);
      this.apply(decodeLocations(ops), { file, offset: frame.offset, length: frame.payload.length + FRAME_HEADER_BYTES });
    }
  }

  private apply(changes: Array<[string, boolean]>, at: Location): void {
    for (const [k, isPut] of changes) {
      if (isPut) this.index.set(k, at);
      else this.index.delete(k);
    }
  }

  private rotate(): void {
    // The closed segment is synced so that a torn record can only ever be in the newest one.
    this.active.sync();
    this.segments.push(this.activeNumber);
    this.startSegment(this.activeNumber + 1);
    if (this.mergeAfterSegments > 0 && this.segments.length >= this.mergeAfterSegments) this.merge();
  }

  private startSegment(n: number): void {
    this.activeNumber = n;
    this.active = this.fs.open(`${this.dir}/${name(n, 'log')}`, 'create');
    this.activeEnd = this.active.size();
    this.handles.set(n, this.active);
    this.fs.syncDir(this.dir); // the new file's name must be durable before writes to it count
  }

  /** Reads and verifies the frame at `at` and returns the last op on `key` in it. */
  private readOp(at: Location, key: Uint8Array): BatchOp {
    const path = this.pathOf(at.file);
    const bytes = this.handle(at.file).read(at.offset, at.length);
    const scan = scanFrames(bytes, path);
    const frame = scan.frames[0];
    if (frame === undefined || scan.frames.length !== 1 || scan.tornBytes !== 0) {
      throw new CorruptionError(path, at.offset, 'the indexed record is incomplete');
    }
    const ops = decodeBatch(frame.payload, path, at.offset);
    for (let i = ops.length - 1; i >= 0; i--) if (compareBytes(ops[i]!.key, key) === 0) return ops[i]!;
    throw new CorruptionError(path, at.offset, 'the indexed record does not hold the key');
  }

  private handle(file: number): FileHandle {
    let h = this.handles.get(file);
    if (h === undefined) {
      h = this.fs.open(this.pathOf(file), 'readwrite');
      this.handles.set(file, h);
    }
    return h;
  }

  private pathOf(file: number): string {
    return `${this.dir}/${file < 0 ? name(-file, 'merged') : name(file, 'log')}`;
  }

  private checkOpen(): void {
    if (this.closed) throw new UsageError('Bitcask: the store is closed');
  }
}

/** For each op of a batch, its index key and whether it is a put (later ops win). */
function decodeLocations(ops: readonly BatchOp[]): Array<[string, boolean]> {
  return ops.map((op) => [indexKey(op.key), op.type === 'put']);
}

/** A JavaScript `Map` cannot key on byte arrays by content; one char per byte can. */
function indexKey(key: Uint8Array): string {
  let s = '';
  for (let i = 0; i < key.length; i++) s += String.fromCharCode(key[i]!);
  return s;
}

function fromIndexKey(k: string): Uint8Array {
  const out = new Uint8Array(k.length);
  for (let i = 0; i < k.length; i++) out[i] = k.charCodeAt(i);
  return out;
}

function numbersOf(names: readonly string[], pattern: RegExp): number[] {
  const out: number[] = [];
  for (const n of names) {
    const m = pattern.exec(n);
    if (m) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}

function name(n: number, ext: 'log' | 'merged'): string {
  return `${String(n).padStart(6, '0')}.${ext}`;
}
