/**
 * A {@link DurableKV} held in memory and logged to a {@link FileSystem}: the store a node of a
 * distributed chapter keeps its state in, so that a crash loses exactly what it did not sync.
 *
 * Reads are served from a {@link MemoryKV}. Writes change it at once and wait in a list of
 * pending operations; {@link DurableMemoryKV.sync} writes them to the log as **one** record and
 * fsyncs it. The rules, on any `FileSystem` that keeps the durability contract of
 * `shared/fs/sim-disk.ts`:
 *
 * - **Sync policy.** `'none'` (the default): a write is durable once a later `sync()` or
 *   `close()` returns. `'every-write'`: every `put`, `delete` and `batch` syncs before it returns.
 *   `sync()` with nothing pending does nothing.
 * - **What a crash keeps.** Reopening after a crash recovers exactly the state of the last sync
 *   that returned, or, when the crash interrupted a sync, possibly that sync too: in every crash
 *   mode of the simulated disk, even `'keep'` (a process crash), since unsynced writes never left
 *   memory. A sync is all or nothing, so a `batch` (and every write of one sync together) survives
 *   whole or not at all.
 * - **Files.** In directory `dir`: `kv-NNNNNN.log`, a sequence of checksummed frames, and briefly
 *   `kv-NNNNNN.log.tmp` during a compaction. A frame is `length:u32 crc32c(length):u32
 *   crc32c(payload):u32 payload` (little-endian), the payload `count:u32` then `count` operations
 *   (`0x01 keyLength:u32 key valueLength:u32 value` or `0x02 keyLength:u32 key`).
 * - **Recovery** replays the newest log. The last frame may be damaged by a crash in the middle of
 *   a sync: torn (it runs past the end of the file), or with a sector that was never written
 *   (all zeros). Such a tail is cut off, and the cut fsynced, before anything is appended. Any
 *   other frame that fails its checksum raises a `CorruptionError`.
 * - **Compaction.** Once the log reaches `compactBytes` and twice its size after the last
 *   compaction, the next sync rewrites it as one snapshot frame: written to a `.tmp` file,
 *   fsynced, renamed to the next log number, and the directory fsynced (the commit point); the
 *   old log is then removed. A crash at any step leaves the old log or the new one.
 *
 * After the disk crashes, this instance is dead with the process it belonged to (its file handle
 * throws): open a new one on the same directory.
 * @module
 */

import { crc32c } from './checksum.js';
import { CorruptionError, UsageError } from './errors.js';
import { SECTOR_BYTES, type FileHandle, type FileSystem } from './fs/file-system.js';
import type { BatchOp, DurableKV, Entry, KeyRange } from './kv.js';
import { MemoryKV } from './memory-kv.js';

/** How a {@link DurableMemoryKV} is opened. */
export interface DurableMemoryKVOptions {
  /** The directory of the store's files; created if absent. */
  readonly dir: string;
  /** `'none'` (default): durable after `sync()` or `close()`; `'every-write'`: before each write returns. */
  readonly syncPolicy?: 'none' | 'every-write';
  /** Log size in bytes from which a sync may compact the log (default 1 MiB). */
  readonly compactBytes?: number;
}

const LOG_NAME = /^kv-(\d{6})\.log$/;
const HEADER_BYTES = 12;
const PUT = 1;
const DELETE = 2;

/** An in-memory ordered store whose synced writes survive crashes; see the module comment. */
export class DurableMemoryKV implements DurableKV {
  private readonly fs: FileSystem;
  private readonly dir: string;
  private readonly syncPolicy: 'none' | 'every-write';
  private readonly compactBytes: number;
  private readonly memory = new MemoryKV();
  private pending: BatchOp[] = [];
  private logNumber: number;
  private log: FileHandle;
  private end: number;
  private compactAt: number;
  private closed = false;

  /** Opens the store in `options.dir` of `fs`, recovering what the last incarnation synced. */
  constructor(fs: FileSystem, options: DurableMemoryKVOptions) {
    this.fs = fs;
    this.dir = options.dir;
    this.syncPolicy = options.syncPolicy ?? 'none';
    this.compactBytes = options.compactBytes ?? 1 << 20;
    if (this.syncPolicy !== 'none' && this.syncPolicy !== 'every-write') {
      throw new UsageError(`DurableMemoryKV: syncPolicy must be 'none' or 'every-write', got ${JSON.stringify(options.syncPolicy)}`);
    }
    if (!Number.isInteger(this.compactBytes) || this.compactBytes < 1) {
      throw new UsageError(`DurableMemoryKV: compactBytes must be a positive integer, got ${options.compactBytes}`);
    }
    fs.mkdir(this.dir);
    const numbers: number[] = [];
    for (const name of fs.list(this.dir)) {
      const match = LOG_NAME.exec(name);
      if (match !== null) numbers.push(Number(match[1]));
      else if (name.startsWith('kv-') && name.endsWith('.log.tmp')) fs.remove(this.path(name)); // a compaction that did not commit
    }
    numbers.sort((a, b) => a - b);
    const newest = numbers.pop();
    for (const old of numbers) fs.remove(this.logPath(old)); // replaced by a committed compaction
    if (newest === undefined) {
      this.logNumber = 1;
      this.log = fs.open(this.logPath(1), 'truncate');
      fs.syncDir(this.dir);
      this.end = 0;
    } else {
      this.logNumber = newest;
      this.log = fs.open(this.logPath(newest), 'readwrite');
      this.end = this.recover();
    }
    this.compactAt = Math.max(this.compactBytes, 2 * this.end);
  }

  /** Number of keys stored. */
  get size(): number {
    return this.memory.size;
  }

  /** Bytes in the current log file (what a reopen replays). */
  get logBytes(): number {
    return this.end;
  }

  /** Writes not yet made durable by a sync. */
  get pendingOps(): number {
    return this.pending.length;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.checkOpen();
    return this.memory.get(key);
  }

  scan(range?: KeyRange): IterableIterator<Entry> {
    this.checkOpen();
    return this.memory.scan(range);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.batch([{ type: 'put', key, value }]);
  }

  delete(key: Uint8Array): void {
    this.batch([{ type: 'delete', key }]);
  }

  batch(ops: readonly BatchOp[]): void {
    this.checkOpen();
    for (const op of ops) {
      this.pending.push(op.type === 'put' ? { type: 'put', key: op.key.slice(), value: op.value.slice() } : { type: 'delete', key: op.key.slice() });
    }
    this.memory.batch(ops);
    if (this.syncPolicy === 'every-write') this.sync();
  }

  /** Makes every write so far durable: one frame appended to the log, then one fsync. */
  sync(): void {
    this.checkOpen();
    if (this.pending.length === 0) return;
    const frame = encodeFrame(this.pending);
    this.log.write(this.end, frame);
    this.log.sync();
    this.end += frame.length;
    this.pending = [];
    if (this.end >= this.compactAt) this.compact();
  }

  /**
   * Rewrites the log as one snapshot of the store (after syncing what is pending), so that the
   * log stops growing with overwritten and deleted keys. Crash-safe; see the module comment.
   */
  compact(): void {
    this.sync();
    const snapshot: BatchOp[] = [...this.memory.scan()].map((e) => ({ type: 'put', key: e.key, value: e.value }));
    const frame = encodeFrame(snapshot);
    const next = this.logNumber + 1;
    const tmp = `${this.logPath(next)}.tmp`;
    const out = this.fs.open(tmp, 'truncate');
    out.write(0, frame);
    out.sync();
    this.fs.rename(tmp, this.logPath(next));
    this.fs.syncDir(this.dir); // the commit point: from here on, reopening reads the new log
    this.log.close();
    this.fs.remove(this.logPath(this.logNumber));
    this.log = out;
    this.logNumber = next;
    this.end = frame.length;
    this.compactAt = Math.max(this.compactBytes, 2 * this.end);
  }

  /** Syncs, then releases the log file. Any later call throws a `UsageError`. */
  close(): void {
    if (this.closed) return;
    this.sync();
    this.log.close();
    this.closed = true;
  }

  /** Replays the log into memory, cuts off a tail a crash damaged, and returns the log's end. */
  private recover(): number {
    const path = this.logPath(this.logNumber);
    const bytes = this.log.read(0, this.log.size());
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let at = 0;
    for (;;) {
      const payload = nextPayload(bytes, view, at, path);
      if (payload === undefined) break;
      this.memory.batch(decodeOps(payload, path, at + HEADER_BYTES));
      at += HEADER_BYTES + payload.length;
    }
    if (at < bytes.length) {
      this.log.truncate(at);
      this.log.sync(); // unsynced, the cut could be lost and the damaged bytes come back
    }
    return at;
  }

  private logPath(n: number): string {
    return this.path(`kv-${String(n).padStart(6, '0')}.log`);
  }

  private path(name: string): string {
    return this.dir === '' ? name : `${this.dir}/${name}`;
  }

  private checkOpen(): void {
    if (this.closed) throw new UsageError(`DurableMemoryKV in ${JSON.stringify(this.dir)}: the store is closed`);
  }
}

/** One frame holding `ops`. */
function encodeFrame(ops: readonly BatchOp[]): Uint8Array {
  let size = HEADER_BYTES + 4;
  for (const op of ops) size += 5 + op.key.length + (op.type === 'put' ? 4 + op.value.length : 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = HEADER_BYTES;
  const bytes = (data: Uint8Array): void => {
    view.setUint32(at, data.length, true);
    out.set(data, at + 4);
    at += 4 + data.length;
  };
  view.setUint32(at, ops.length, true);
  at += 4;
  for (const op of ops) {
    out[at++] = op.type === 'put' ? PUT : DELETE;
    bytes(op.key);
    if (op.type === 'put') bytes(op.value);
  }
  view.setUint32(0, size - HEADER_BYTES, true);
  view.setUint32(4, crc32c(out, 0, 4), true);
  view.setUint32(8, crc32c(out, HEADER_BYTES), true);
  return out;
}

/**
 * The payload of the frame at `at`, or `undefined` where the log ends: at the end of the file, or
 * at a frame a crash damaged (torn, or failing its checksum over a zeroed sector). Throws a
 * `CorruptionError` for a frame that fails its checksum otherwise.
 */
function nextPayload(bytes: Uint8Array, view: DataView, at: number, path: string): Uint8Array | undefined {
  if (at + HEADER_BYTES > bytes.length) return undefined;
  if (view.getUint32(at + 4, true) !== crc32c(bytes, at, at + 4)) {
    if (zeroedSector(bytes, at, at + HEADER_BYTES)) return undefined;
    throw new CorruptionError(path, at, 'the checksum of the frame length does not match');
  }
  const start = at + HEADER_BYTES;
  const end = start + view.getUint32(at, true);
  if (end > bytes.length) return undefined;
  if (view.getUint32(at + 8, true) !== crc32c(bytes, start, end)) {
    if (zeroedSector(bytes, at, end)) return undefined;
    throw new CorruptionError(path, at, 'the checksum of the frame payload does not match');
  }
  return bytes.subarray(start, end);
}

/** True when `bytes[from, to)` is all zeros within one of the sectors it lies in. */
function zeroedSector(bytes: Uint8Array, from: number, to: number): boolean {
  let zeros = true;
  for (let i = from; i < to; i++) {
    if (bytes[i] !== 0) zeros = false;
    const sectorEnds = (i + 1) % SECTOR_BYTES === 0 || i + 1 === to;
    if (sectorEnds) {
      if (zeros) return true;
      zeros = true;
    }
  }
  return false;
}

/** The operations of a payload whose checksum passed; a malformed one is corruption. */
function decodeOps(payload: Uint8Array, path: string, base: number): BatchOp[] {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let at = 0;
  const fail = (what: string): never => {
    throw new CorruptionError(path, base + at, `a frame payload ${what}`);
  };
  const u32 = (): number => {
    if (at + 4 > payload.length) fail('is cut inside a length');
    const n = view.getUint32(at, true);
    at += 4;
    return n;
  };
  const bytes = (): Uint8Array => {
    const n = u32();
    if (at + n > payload.length) fail('is cut inside a key or value');
    const out = payload.slice(at, at + n);
    at += n;
    return out;
  };
  const ops: BatchOp[] = [];
  for (let count = u32(); count > 0; count--) {
    const type = at < payload.length ? payload[at++] : fail('is cut before an operation');
    if (type === PUT) ops.push({ type: 'put', key: bytes(), value: bytes() });
    else if (type === DELETE) ops.push({ type: 'delete', key: bytes() });
    else fail(`has an unknown operation type ${type}`);
  }
  if (at !== payload.length) fail('has bytes after its last operation');
  return ops;
}
