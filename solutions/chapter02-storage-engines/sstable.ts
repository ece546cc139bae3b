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

import { compareBytes } from '../../shared/bytes.js';
import { crc32c } from '../../shared/checksum.js';
import { CorruptionError, UsageError } from '../../shared/errors.js';
import type { FileHandle, FileSystem } from '../../shared/fs/file-system.js';
import { Block, BlockBuilder } from './block.js';
import type { BlockCache } from './block-cache.js';
import { BloomFilter, hashKey, type KeyHash } from './bloom-filter.js';
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

/** Size of the write buffer: blocks are written to the file in chunks of about this size. */
const WRITE_BUFFER_BYTES = 64 * 1024;

/** Writes one SSTable from entries added in strictly increasing key order. */
export class SSTableWriter {
  private readonly file: FileHandle;
  private readonly blockBytes: number;
  private readonly bloomBitsPerKey: number;
  private readonly block = new BlockBuilder();
  private readonly index = new BlockBuilder();
  // Each key's Bloom filter hashes, computed in `add` while the key is fresh in the CPU's cache.
  private readonly hashes: KeyHash[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private offset = 0;
  private previousBlockLast: Uint8Array | undefined; // the last key of the last finished block

  /** Writes to `file`, which must be empty. */
  constructor(file: FileHandle, options: TableOptions = {}) {
    this.file = file;
    this.blockBytes = options.blockBytes ?? 4096;
    this.bloomBitsPerKey = options.bloomBitsPerKey ?? 10;
  }

  /** Number of entries added so far. */
  get entryCount(): number {
    return this.hashes.length;
  }

  /** Bytes the table will take so far (blocks written or buffered). */
  get sizeBytes(): number {
    return this.offset + this.block.sizeBytes;
  }

  /** Adds an entry (`null` is a tombstone); keys must strictly increase (else a `UsageError`). */
  add(key: Uint8Array, value: Stored): void {
    // The block builder checks the order within a block; the first key of a block is checked
    // here, against the last key of the block before it.
    if (this.block.count === 0 && this.previousBlockLast !== undefined && compareBytes(this.previousBlockLast, key) >= 0) {
      throw new UsageError('SSTableWriter.add: keys must be added in strictly increasing order');
    }
    this.block.add(key, value);
    this.hashes.push(hashKey(key));
    if (this.block.sizeBytes >= this.blockBytes) this.finishBlock();
  }

  /** Writes the last block, the filter, the index and the footer, and fsyncs the file. */
  finish(): TableSummary {
    if (this.block.count > 0) this.finishBlock();
    const filter = BloomFilter.create(this.hashes.length, this.bloomBitsPerKey);
    for (const hash of this.hashes) filter.addHash(hash);
    const filterBytes = withChecksum(filter.toBytes());
    const filterOffset = this.emit(filterBytes);
    const indexBytes = this.index.finish();
    const indexOffset = this.emit(indexBytes);
    const footer = new Uint8Array(FOOTER_BYTES);
    const view = new DataView(footer.buffer);
    [filterOffset, filterBytes.length, indexOffset, indexBytes.length, this.hashes.length, TABLE_MAGIC].forEach((v, i) =>
      view.setUint32(4 * i, v, true),
    );
    view.setUint32(24, crc32c(footer, 0, 24), true);
    this.emit(footer);
    this.flushPending();
    this.file.sync();
    return { entryCount: this.hashes.length, sizeBytes: this.offset };
  }

  private finishBlock(): void {
    const last = this.block.last!;
    this.previousBlockLast = last;
    const bytes = this.block.finish();
    const offset = this.emit(bytes);
    const handle = new Uint8Array(8);
    const view = new DataView(handle.buffer);
    view.setUint32(0, offset, true);
    view.setUint32(4, bytes.length, true);
    this.index.add(last, handle);
  }

  /** Queues `bytes` at the end of the table and returns their offset. */
  private emit(bytes: Uint8Array): number {
    const at = this.offset;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    this.offset += bytes.length;
    if (this.pendingBytes >= WRITE_BUFFER_BYTES) this.flushPending();
    return at;
  }

  private flushPending(): void {
    if (this.pendingBytes === 0) return;
    const chunk = new Uint8Array(this.pendingBytes);
    let at = 0;
    for (const p of this.pending) {
      chunk.set(p, at);
      at += p.length;
    }
    this.file.append(chunk);
    this.pending = [];
    this.pendingBytes = 0;
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
  private readonly file: FileHandle;
  private readonly cache: BlockCache<Block>;
  private readonly tableId: number;
  private readonly filter: BloomFilter;
  // One element per data block: its last key, offset and length (from the index block).
  private readonly lastKeys: Uint8Array[] = [];
  private readonly blockOffsets: number[] = [];
  private readonly blockLengths: number[] = [];

  private constructor(path: string, file: FileHandle, cache: BlockCache<Block>) {
    this.path = path;
    this.file = file;
    this.cache = cache;
    this.tableId = cache.newTableId();
    this.sizeBytes = file.size();
    if (this.sizeBytes < FOOTER_BYTES) {
      throw new CorruptionError(path, 0, `${this.sizeBytes} bytes is too short for a table`);
    }
    const footerAt = this.sizeBytes - FOOTER_BYTES;
    const footer = file.read(footerAt, FOOTER_BYTES);
    const view = new DataView(footer.buffer, footer.byteOffset, footer.byteLength);
    if (view.getUint32(24, true) !== crc32c(footer, 0, 24) || view.getUint32(20, true) !== TABLE_MAGIC) {
      throw new CorruptionError(path, footerAt, 'bad footer checksum or magic number');
    }
    const [filterAt, filterLength, indexAt, indexLength] = [0, 4, 8, 12].map((o) => view.getUint32(o, true)) as [
      number,
      number,
      number,
      number,
    ];
    this.entryCount = view.getUint32(16, true);
    if (filterAt + filterLength > indexAt || indexAt + indexLength > footerAt || filterLength < 5) {
      throw new CorruptionError(path, footerAt, 'footer offsets are out of bounds');
    }
    const filterBytes = file.read(filterAt, filterLength);
    const filterView = new DataView(filterBytes.buffer, filterBytes.byteOffset, filterBytes.byteLength);
    if (filterView.getUint32(filterLength - 4, true) !== crc32c(filterBytes, 0, filterLength - 4)) {
      throw new CorruptionError(path, filterAt, 'filter block checksum mismatch');
    }
    this.filter = BloomFilter.fromBytes(filterBytes.subarray(0, filterLength - 4));
    const index = Block.decode(file.read(indexAt, indexLength), path, indexAt);
    for (let i = 0; i < index.count; i++) {
      const handle = index.valueAt(i)!;
      const hv = new DataView(handle.buffer, handle.byteOffset, handle.byteLength);
      this.lastKeys.push(index.keyAt(i));
      this.blockOffsets.push(hv.getUint32(0, true));
      this.blockLengths.push(hv.getUint32(4, true));
    }
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
    return this.filter.mayContain(key);
  }

  /**
   * What the table stores for `key`: a value (a fresh copy), `null` for a tombstone, or
   * `undefined` when it holds nothing for it. Reads at most one data block, and none when the
   * Bloom filter rules the key out. `hash` is `hashKey(key)`, if the caller already has it.
   */
  get(key: Uint8Array, hash: KeyHash = hashKey(key)): Stored | undefined {
    if (!this.filter.mayContainHash(hash)) return undefined;
    const b = this.blockFor(key);
    if (b === this.lastKeys.length) return undefined;
    const block = this.readBlock(b);
    const i = block.lowerBound(key);
    if (i === block.count || compareBytes(block.keyAt(i), key) !== 0) return undefined;
    const value = block.valueAt(i);
    return value === null ? null : value.slice();
  }

  /**
   * Entries within `bounds`, in key order or reversed, tombstones included. Keys and values are
   * views into cached blocks: read-only, copy them to keep them.
   */
  *entries(bounds: ScanBounds = {}): IterableIterator<StoredEntry> {
    const { start, end } = bounds;
    const blocks = this.lastKeys.length;
    if (!bounds.reverse) {
      for (let b = start === undefined ? 0 : this.blockFor(start); b < blocks; b++) {
        const block = this.readBlock(b);
        for (let i = start === undefined ? 0 : block.lowerBound(start); i < block.count; i++) {
          const key = block.keyAt(i);
          if (end !== undefined && compareBytes(key, end) >= 0) return;
          yield { key, value: block.valueAt(i) };
        }
      }
      return;
    }
    for (let b = end === undefined ? blocks - 1 : Math.min(this.blockFor(end), blocks - 1); b >= 0; b--) {
      const block = this.readBlock(b);
      for (let i = (end === undefined ? block.count : block.lowerBound(end)) - 1; i >= 0; i--) {
        const key = block.keyAt(i);
        if (start !== undefined && compareBytes(key, start) < 0) return;
        yield { key, value: block.valueAt(i) };
      }
    }
  }

  /** Closes the file. */
  close(): void {
    this.file.close();
  }

  /** Index of the first block whose last key is >= `key`: the only block that can hold it. */
  private blockFor(key: Uint8Array): number {
    let lo = 0;
    let hi = this.lastKeys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.lastKeys[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private readBlock(b: number): Block {
    const offset = this.blockOffsets[b]!;
    const cached = this.cache.get(this.tableId, offset);
    if (cached !== undefined) return cached;
    const length = this.blockLengths[b]!;
    const bytes = this.file.read(offset, length);
    if (bytes.length !== length) throw new CorruptionError(this.path, offset, 'data block runs past the end of the file');
    const block = Block.decode(bytes, this.path, offset);
    this.cache.set(this.tableId, offset, block, length);
    return block;
  }
}

function withChecksum(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 4);
  out.set(bytes);
  new DataView(out.buffer).setUint32(bytes.length, crc32c(bytes), true);
  return out;
}

