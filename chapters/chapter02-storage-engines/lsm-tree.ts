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

import { NotImplementedError } from '../../shared/errors.js';
import type { FileSystem } from '../../shared/fs/file-system.js';
import type { BatchOp, DurableKV, Entry, KeyRange } from '../../shared/kv.js';
import type { SyncPolicy } from './sync-policy.js';

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

const READ = { exercise: '2.5 The read path', file: 'chapter02-storage-engines/lsm-tree.ts', section: '2.5 The read path' };
const COMPACT = { exercise: '2.6 Compaction', file: 'chapter02-storage-engines/lsm-tree.ts', section: '2.6 Compaction' };

/**
 * A log-structured merge-tree implementing {@link DurableKV}; see the module comment. Must make
 * true: a write reaches the WAL before the memtable; a full memtable becomes a new SSTable and
 * the manifest switches to it and to a fresh WAL in one atomic step; reads go newest first and
 * the first layer that knows a key answers; reopening rebuilds the same state from the manifest,
 * the tables and the WAL.
 */
export class LsmTree implements DurableKV {
  /** Opens (or creates) the store in `options.dir` and recovers it; see "2.7". */
  constructor(fs: FileSystem, options: LsmOptions) {
    void fs;
    void options;
    throw new NotImplementedError(READ);
  }

  /** The live SSTables, newest first. */
  get tables(): TableDescription[] {
    throw new NotImplementedError(READ);
  }

  /** The newest value of `key`: memtable first, then tables newest first, Bloom filters first. */
  get(key: Uint8Array): Uint8Array | undefined {
    throw new NotImplementedError(READ);
  }

  /** A batch of one put. */
  put(key: Uint8Array, value: Uint8Array): void {
    throw new NotImplementedError(READ);
  }

  /** A batch of one delete: a tombstone. */
  delete(key: Uint8Array): void {
    throw new NotImplementedError(READ);
  }

  /** Appends `ops` to the WAL as one record, applies them to the memtable, flushes when full. */
  batch(ops: readonly BatchOp[]): void {
    throw new NotImplementedError(READ);
  }

  /** The live entries in `range`, merged from every layer, tombstones hidden. */
  scan(range?: KeyRange): IterableIterator<Entry> {
    throw new NotImplementedError(READ);
  }

  /** Makes every acknowledged write durable (fsyncs the WAL). */
  sync(): void {
    throw new NotImplementedError(READ);
  }

  /** Syncs and closes every file; later calls throw a `UsageError`. */
  close(): void {
    throw new NotImplementedError(READ);
  }

  /**
   * Writes the memtable to a new SSTable and starts a new, empty log; then compacts if the
   * policy asks for it. Crash-safe: the manifest switches to the new table and log in one step.
   */
  flush(): void {
    throw new NotImplementedError(READ);
  }

  /** Merges every SSTable into one, dropping shadowed versions and tombstones. */
  compactAll(): void {
    throw new NotImplementedError(COMPACT);
  }
}
