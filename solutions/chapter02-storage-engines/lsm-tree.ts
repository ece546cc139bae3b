/**
 * Exercises 2.5 to 2.7 put together: the LSM-tree, the default storage engine of the
 * mini-database. See the notes, "2.5 The read path", "2.6 Compaction" and "2.7 The manifest and
 * recovery".
 *
 * Writes go to the write-ahead log, then to the memtable. When the memtable reaches
 * `memtableBytes` it is flushed to a new SSTable, a new log is started, the manifest is replaced,
 * and size-tiered compaction merges tables as needed. Reads look in the memtable, then in each
 * SSTable from newest to oldest, skipping those whose Bloom filter rules the key out; the first
 * layer that knows the key (a value or a tombstone) answers.
 *
 * Files in the store's directory: `MANIFEST`, `NNNNNN.wal` (the live write-ahead log) and
 * `NNNNNN.sst` (the live tables), numbered from one counter kept in the manifest.
 * @module
 */

import { CorruptionError, UsageError } from '../../shared/errors.js';
import type { FileSystem } from '../../shared/fs/file-system.js';
import type { BatchOp, DurableKV, Entry, KeyRange } from '../../shared/kv.js';
import { Random } from '../../shared/random.js';
import type { Block } from './block.js';
import { BlockCache } from './block-cache.js';
import { hashKey } from './bloom-filter.js';
import { compactEntries, pickCompaction } from './compaction.js';
import type { ScanBounds } from './entry.js';
import { MANIFEST_FILE, readManifest, writeManifest, type Manifest } from './manifest.js';
import { Memtable } from './memtable.js';
import { mergeSorted } from './merging-iterator.js';
import { SSTableReader, SSTableWriter } from './sstable.js';
import type { SyncPolicy } from './sync-policy.js';
import { replayWal, WalWriter } from './wal.js';

/** Configuration of an {@link LsmTree}. */
export interface LsmOptions {
  /** Directory of the store, relative to the file system's root; created if missing. */
  readonly dir: string;
  /** See `sync-policy.ts`; default `'none'`. */
  readonly syncPolicy?: SyncPolicy;
  /** Flush the memtable once it holds about this many bytes (default 4 MiB). */
  readonly memtableBytes?: number;
  /** Target size of an SSTable data block (default 4096). */
  readonly blockBytes?: number;
  /** Bloom filter bits per key (default 10). */
  readonly bloomBitsPerKey?: number;
  /** Capacity of the block cache shared by all tables (default 8 MiB). */
  readonly blockCacheBytes?: number;
  /** Tables of one tier merged at once (default 4). */
  readonly tierFanIn?: number;
  /**
   * Under sync policy `'none'`, log records may wait in memory until this many bytes are
   * pending (default 0: each write reaches the file before it returns). See `wal.ts`.
   */
  readonly walBufferBytes?: number;
}

/** One live SSTable, as {@link LsmTree.tables} describes it. */
export interface TableDescription {
  /** The table's file, relative to the file system's root. */
  readonly path: string;
  /** Entries in it, tombstones included. */
  readonly entryCount: number;
  readonly sizeBytes: number;
}

/** A log-structured merge-tree implementing {@link DurableKV}; see the module comment. */
export class LsmTree implements DurableKV {
  private readonly fs: FileSystem;
  private readonly dir: string;
  private readonly syncPolicy: SyncPolicy;
  private readonly memtableBytes: number;
  private readonly blockBytes: number;
  private readonly bloomBitsPerKey: number;
  private readonly fanIn: number;
  private readonly walBufferBytes: number;
  private readonly cache: BlockCache<Block>;
  private readonly random = new Random(0x15a);
  private memtable: Memtable;
  private arena = new Arena(); // holds the memtable's keys and values
  private readers: SSTableReader[] = []; // newest first, as in the manifest
  private manifest: Manifest;
  private wal: WalWriter;
  private closed = false;
  private version = 0;

  /** Opens (or creates) the store in `options.dir` and recovers it; see "2.7". */
  constructor(fs: FileSystem, options: LsmOptions) {
    this.fs = fs;
    this.dir = options.dir;
    this.syncPolicy = options.syncPolicy ?? 'none';
    this.memtableBytes = options.memtableBytes ?? 4 << 20;
    this.blockBytes = options.blockBytes ?? 4096;
    this.bloomBitsPerKey = options.bloomBitsPerKey ?? 10;
    this.fanIn = options.tierFanIn ?? 4;
    this.walBufferBytes = options.walBufferBytes ?? 0;
    this.cache = new BlockCache<Block>(options.blockCacheBytes ?? 8 << 20);
    this.memtable = new Memtable(this.random);
    fs.mkdir(this.dir);
    const found = readManifest(fs, this.dir);
    if (found === undefined) {
      this.manifest = { nextFileNumber: 2, walNumber: 1, tables: [] };
      fs.open(this.walPath(1), 'truncate').close();
      writeManifest(fs, this.dir, this.manifest);
    } else {
      this.manifest = found;
    }
    this.removeLeftovers();
    this.readers = this.manifest.tables.map((n) => this.openTable(n));
    const walPath = this.walPath(this.manifest.walNumber);
    if (!fs.exists(walPath)) throw new CorruptionError(walPath, 0, 'the write-ahead log named by the manifest is missing');
    for (const ops of replayWal(fs, walPath).batches) this.applyToMemtable(ops);
    this.wal = new WalWriter(fs.open(walPath, 'readwrite'), this.syncPolicy, this.walBufferBytes);
  }

  /** The live SSTables, newest first. */
  get tables(): TableDescription[] {
    return this.readers.map((r) => ({ path: r.path, entryCount: r.entryCount, sizeBytes: r.sizeBytes }));
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.checkOpen();
    const inMemory = this.memtable.get(key);
    if (inMemory !== undefined) return inMemory === null ? undefined : inMemory.slice();
    const hash = hashKey(key); // hashed once for every table's Bloom filter
    for (const table of this.readers) {
      const stored = table.get(key, hash); // consults the table's Bloom filter first
      if (stored !== undefined) return stored ?? undefined;
    }
    return undefined;
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
    this.wal.append(ops); // the log first: once this returns, recovery can redo the batch
    this.applyToMemtable(ops);
    if (this.memtable.sizeBytes >= this.memtableBytes) this.flush();
  }

  *scan(range: KeyRange = {}): IterableIterator<Entry> {
    this.checkOpen();
    const bounds: ScanBounds = { start: range.start, end: range.end, reverse: range.reverse };
    const sources = [this.memtable.entries(bounds), ...this.readers.map((r) => r.entries(bounds))];
    const limit = range.limit ?? Infinity;
    const version = this.version;
    let yielded = 0;
    for (const entry of mergeSorted(sources, range.reverse)) {
      if (yielded >= limit) return;
      if (entry.value === null) continue; // deleted: the tombstone hides older versions too
      yield { key: entry.key.slice(), value: entry.value.slice() };
      yielded++;
      if (this.version !== version) throw new UsageError('LsmTree: the store was modified during a scan');
    }
  }

  sync(): void {
    this.checkOpen();
    this.wal.sync();
  }

  close(): void {
    if (this.closed) return;
    this.wal.close();
    for (const r of this.readers) r.close();
    this.closed = true;
  }

  /**
   * Writes the memtable to a new SSTable and starts a new, empty log; then compacts if the
   * policy asks for it. Crash-safe: the manifest switches to the new table and log in one step.
   */
  flush(): void {
    this.checkOpen();
    if (this.memtable.size === 0) return;
    const tableNumber = this.manifest.nextFileNumber;
    const walNumber = tableNumber + 1;
    // Tombstones are written too: they must hide older versions in older tables. Only when no
    // older table exists can they be left out.
    const dropTombstones = this.readers.length === 0;
    const entryCount = this.writeTable(tableNumber, compactEntries([this.memtable.entries()], dropTombstones));
    this.fs.open(this.walPath(walNumber), 'truncate').close();
    const oldWal = this.manifest.walNumber;
    const output = entryCount > 0 ? [tableNumber] : [];
    this.commit({ nextFileNumber: walNumber + 1, walNumber, tables: [...output, ...this.manifest.tables] });
    if (entryCount === 0) this.fs.remove(this.tablePath(tableNumber));
    else this.readers.unshift(this.openTable(tableNumber));
    this.wal.close();
    this.fs.remove(this.walPath(oldWal));
    this.wal = new WalWriter(this.fs.open(this.walPath(walNumber), 'readwrite'), this.syncPolicy, this.walBufferBytes);
    this.memtable = new Memtable(this.random);
    this.arena = new Arena();
    this.version++;
    this.compactWhileNeeded();
  }

  /** Merges every SSTable into one, dropping shadowed versions and tombstones. */
  compactAll(): void {
    this.checkOpen();
    if (this.readers.length > 1 || this.readers.some((r) => r.entryCount > 0)) this.compactRange(0, this.readers.length);
  }

  private compactWhileNeeded(): void {
    for (;;) {
      const pick = pickCompaction(this.readers, { baseBytes: this.memtableBytes, fanIn: this.fanIn });
      if (pick === undefined) return;
      this.compactRange(pick.start, pick.end);
    }
  }

  /** Replaces tables `[start, end)` (newest first) by one merged table. */
  private compactRange(start: number, end: number): void {
    this.version++;
    const inputs = this.readers.slice(start, end);
    const number = this.manifest.nextFileNumber;
    // A tombstone may be dropped only if no table older than the inputs could hold its key.
    const dropTombstones = end === this.readers.length;
    const entryCount = this.writeTable(number, compactEntries(inputs.map((r) => r.entries()), dropTombstones));
    const inputNumbers = new Set(this.manifest.tables.slice(start, end));
    const output = entryCount > 0 ? [number] : [];
    const tables = [...this.manifest.tables.slice(0, start), ...output, ...this.manifest.tables.slice(end)];
    this.commit({ nextFileNumber: number + 1, walNumber: this.manifest.walNumber, tables });
    for (const r of inputs) r.close();
    for (const n of inputNumbers) this.fs.remove(this.tablePath(n));
    if (entryCount === 0) this.fs.remove(this.tablePath(number));
    const outputs = output.map((n) => this.openTable(n));
    this.readers = [...this.readers.slice(0, start), ...outputs, ...this.readers.slice(end)];
  }

  /** Writes (and fsyncs) table `number` from sorted entries; returns how many it holds. */
  private writeTable(number: number, entries: Iterable<{ key: Uint8Array; value: Uint8Array | null }>): number {
    const file = this.fs.open(this.tablePath(number), 'truncate');
    const writer = new SSTableWriter(file, { blockBytes: this.blockBytes, bloomBitsPerKey: this.bloomBitsPerKey });
    for (const e of entries) writer.add(e.key, e.value);
    const summary = writer.finish();
    file.close();
    return summary.entryCount;
  }

  /** Makes `next` the durable manifest (its writeManifest also syncs the directory). */
  private commit(next: Manifest): void {
    writeManifest(this.fs, this.dir, next);
    this.manifest = next;
  }

  private applyToMemtable(ops: readonly BatchOp[]): void {
    // Copies, so that a caller reusing its arrays never changes the store.
    const arena = this.arena;
    for (const op of ops) this.memtable.put(arena.copy(op.key), op.type === 'put' ? arena.copy(op.value) : null);
  }

  /** Deletes files a crash left behind: tables and logs the manifest does not name. */
  private removeLeftovers(): void {
    const live = new Set([...this.manifest.tables.map((n) => tableName(n)), walName(this.manifest.walNumber), MANIFEST_FILE]);
    for (const name of this.fs.list(this.dir)) {
      if (!live.has(name) && /^(\d{6}\.(sst|wal)|MANIFEST\.tmp)$/.test(name)) this.fs.remove(`${this.dir}/${name}`);
    }
  }

  private openTable(number: number): SSTableReader {
    const path = this.tablePath(number);
    if (!this.fs.exists(path)) throw new CorruptionError(path, 0, 'a table named by the manifest is missing');
    return SSTableReader.open(this.fs, path, this.cache);
  }

  private tablePath(number: number): string {
    return `${this.dir}/${tableName(number)}`;
  }

  private walPath(number: number): string {
    return `${this.dir}/${walName(number)}`;
  }

  private checkOpen(): void {
    if (this.closed) throw new UsageError('LsmTree: the store is closed');
  }
}

/** Size of an {@link Arena} chunk. */
const ARENA_CHUNK_BYTES = 256 << 10;

/**
 * Copies of the memtable's keys and values, packed side by side into large chunks. Allocating
 * a JavaScript typed array costs far more than copying a hundred bytes into one, so this makes
 * one allocation per 256 KiB of writes instead of two per write; the chunks are freed with the
 * memtable whose entries point into them.
 */
class Arena {
  private chunk = new Uint8Array(0);
  private used = 0;

  /** A copy of `bytes`: a view into a chunk, or a fresh array when `bytes` is large. */
  copy(bytes: Uint8Array): Uint8Array {
    const n = bytes.length;
    if (n > ARENA_CHUNK_BYTES / 8) return bytes.slice(); // would waste too much of a chunk
    if (this.used + n > this.chunk.length) {
      this.chunk = new Uint8Array(ARENA_CHUNK_BYTES);
      this.used = 0;
    }
    const out = this.chunk.subarray(this.used, this.used + n);
    out.set(bytes);
    this.used += n;
    return out;
  }
}

function tableName(n: number): string {
  return `${String(n).padStart(6, '0')}.sst`;
}

function walName(n: number): string {
  return `${String(n).padStart(6, '0')}.wal`;
}
