/**
 * Exercise 2.3, part 2: the sorted string table (SSTable), an immutable file of sorted entries.
 * See the notes, "2.3 SSTables".
 *
 * Format (integers unsigned 32-bit little-endian; a table is smaller than 4 GiB):
 *
 * ```text
 * table  := dataBlock × b   filterBlock   indexBlock   footer
 * dataBlock   := a block.ts block of entries, about `blockBytes` long, keys ascending across blocks
 * filterBlock := bloomFilterBytes  crc32c:u32               (a bloom-filter.ts filter of every key)
 * indexBlock  := a block.ts block with one entry per data block:
 *                key = the block's last key, value = blockOffset:u32 blockLength:u32
 * footer      := filterOffset:u32 filterLength:u32 indexOffset:u32 indexLength:u32
 *                entryCount:u32 magic:u32 crc32c:u32        (28 bytes, crc of the 24 before it)
 * ```
 *
 * Indexing blocks by their *last* key means the first index entry >= the key names the only
 * block that can hold it. Every byte of the file is under a checksum.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { FileHandle, FileSystem } from '../../shared/fs/file-system.js';
import type { Block } from './block.js';
import type { BlockCache } from './block-cache.js';
import { hashKey, type KeyHash } from './bloom-filter.js';
import type { ScanBounds, Stored, StoredEntry } from './entry.js';

/** Bytes of the footer. */
export const FOOTER_BYTES = 28;
/** The footer's magic number, "SST1" read as a little-endian u32. */
export const TABLE_MAGIC = 0x31545353;

/** Tuning of the tables a writer makes. */
export interface TableOptions {
  /** Target size of a data block (default 4096). */
  readonly blockBytes?: number;
  /** Bloom filter bits per key (default 10). */
  readonly bloomBitsPerKey?: number;
}

/** What a finished table holds. */
export interface TableSummary {
  readonly entryCount: number;
  readonly sizeBytes: number;
}

const TODO = { exercise: '2.3 SSTables', file: 'chapter02-storage-engines/sstable.ts', section: '2.3 SSTables' };

/** Writes one SSTable from entries added in strictly increasing key order. */
export class SSTableWriter {
  /** Writes to `file`, which must be empty. */
  constructor(file: FileHandle, options: TableOptions = {}) {
    void file;
    void options;
  }

  /** Number of entries added so far. */
  get entryCount(): number {
    throw new NotImplementedError(TODO);
  }

  /** Bytes the table will take so far (blocks written or buffered). */
  get sizeBytes(): number {
    throw new NotImplementedError(TODO);
  }

  /** Adds an entry (`null` is a tombstone); keys must strictly increase (else a `UsageError`). */
  add(key: Uint8Array, value: Stored): void {
    throw new NotImplementedError(TODO);
  }

  /** Writes the last block, the filter, the index and the footer, and fsyncs the file. */
  finish(): TableSummary {
    throw new NotImplementedError(TODO);
  }
}

/** Reads an SSTable: the index and filter live in memory, data blocks go through a cache. */
export class SSTableReader {
  /** The table's path. */
  readonly path: string;
  /** Number of entries (tombstones included). */
  readonly entryCount: number;
  /** Size of the file in bytes. */
  readonly sizeBytes: number;

  private constructor(path: string, file: FileHandle, cache: BlockCache<Block>) {
    void cache;
    this.path = path;
    this.entryCount = 0;
    this.sizeBytes = file.size();
    throw new NotImplementedError(TODO);
  }

  /**
   * Opens the table at `path`, reading and verifying its footer, filter and index. A checksum or
   * layout failure raises a `CorruptionError` naming the file and the offset of the bad part.
   */
  static open(fs: FileSystem, path: string, cache: BlockCache<Block>): SSTableReader {
    const file = fs.open(path, 'read');
    try {
      return new SSTableReader(path, file, cache);
    } catch (error) {
      file.close(); // a table that fails to open must not leak its file handle
      throw error;
    }
  }

  /** The Bloom filter's answer: false means the table certainly does not hold `key`. */
  mayContain(key: Uint8Array): boolean {
    throw new NotImplementedError(TODO);
  }

  /**
   * What the table stores for `key`: a value (a fresh copy), `null` for a tombstone, or
   * `undefined` when it holds nothing for it. Reads at most one data block, and none when the
   * Bloom filter rules the key out. `hash` is `hashKey(key)`, if the caller already has it.
   */
  get(key: Uint8Array, hash: KeyHash = hashKey(key)): Stored | undefined {
    throw new NotImplementedError(TODO);
  }

  /**
   * Entries within `bounds`, in key order or reversed, tombstones included. Keys and values may
   * be views into cached blocks.
   */
  entries(bounds?: ScanBounds): IterableIterator<StoredEntry> {
    throw new NotImplementedError(TODO);
  }

  /** Closes the file. */
  close(): void {
    throw new NotImplementedError(TODO);
  }
}
