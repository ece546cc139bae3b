/**
 * Exercise 2.3, part 1: the sorted block, the unit an SSTable is read in. See the notes,
 * "2.3 SSTables".
 *
 * Format (integers unsigned 32-bit little-endian):
 *
 * ```text
 * block := entry × n   entryOffset:u32 × n   n:u32   crc32c:u32
 * entry := keyLength:u32  valueLength:u32  key  value
 *          valueLength = 0xffffffff marks a tombstone, which has no value bytes
 * ```
 *
 * Entries are sorted by key with no duplicates. The offset array lets a reader binary-search the
 * block in place, without decoding it; the checksum covers every byte before it.
 * @module
 */

import { compareBytes } from '../../shared/bytes.js';
import { crc32c } from '../../shared/checksum.js';
import { CorruptionError, UsageError } from '../../shared/errors.js';
import type { Stored } from './entry.js';

/** `valueLength` of a tombstone. */
export const TOMBSTONE_LENGTH = 0xffffffff;
/** Bytes of an entry's header: key length and value length. */
const ENTRY_HEADER_BYTES = 8;
/** Bytes after the offset array: the entry count and the checksum. */
const BLOCK_TRAILER_BYTES = 4 + 4;

/** Builds one block from entries added in strictly increasing key order. */
export class BlockBuilder {
  // Entries are written straight into one growing buffer: no allocation per entry.
  private buffer = new Uint8Array(8192);
  private view = new DataView(this.buffer.buffer);
  private bytes = 0;
  private readonly offsets: number[] = [];
  private lastKey: Uint8Array | undefined;

  /** Number of entries added. */
  get count(): number {
    return this.offsets.length;
  }

  /** Size the block will have when finished. */
  get sizeBytes(): number {
    return this.bytes + 4 * this.offsets.length + BLOCK_TRAILER_BYTES;
  }

  /** The last key added, if any. */
  get last(): Uint8Array | undefined {
    return this.lastKey;
  }

  /** Appends an entry; its key must sort after the previous one (else a `UsageError`). */
  add(key: Uint8Array, value: Stored): void {
    if (this.lastKey !== undefined && compareBytes(this.lastKey, key) >= 0) {
      throw new UsageError('BlockBuilder.add: keys must be added in strictly increasing order');
    }
    const size = ENTRY_HEADER_BYTES + key.length + (value?.length ?? 0);
    this.reserve(size);
    const at = this.bytes;
    this.view.setUint32(at, key.length, true);
    this.view.setUint32(at + 4, value === null ? TOMBSTONE_LENGTH : value.length, true);
    this.buffer.set(key, at + ENTRY_HEADER_BYTES);
    if (value !== null) this.buffer.set(value, at + ENTRY_HEADER_BYTES + key.length);
    this.offsets.push(at);
    this.bytes += size;
    this.lastKey = key;
  }

  /** The finished block's bytes; the builder is empty again afterwards. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.sizeBytes);
    const view = new DataView(out.buffer);
    out.set(this.buffer.subarray(0, this.bytes));
    let at = this.bytes;
    for (const offset of this.offsets) {
      view.setUint32(at, offset, true);
      at += 4;
    }
    view.setUint32(at, this.offsets.length, true);
    view.setUint32(at + 4, crc32c(out, 0, at + 4), true);
    this.offsets.length = 0;
    this.bytes = 0;
    this.lastKey = undefined;
    return out;
  }

  private reserve(extra: number): void {
    if (this.bytes + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.bytes + extra));
    grown.set(this.buffer.subarray(0, this.bytes));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}

/** A decoded, verified block: entries are read in place by index. */
export class Block {
  private readonly data: Uint8Array;
  private readonly view: DataView;
  private readonly offsetsAt: number;
  /** Number of entries. */
  readonly count: number;

  private constructor(data: Uint8Array, count: number, offsetsAt: number) {
    this.data = data;
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.count = count;
    this.offsetsAt = offsetsAt;
  }

  /**
   * Verifies the checksum of `bytes` and wraps them. On a mismatch or an impossible layout, a
   * `CorruptionError` naming `file` and `offset` (where the block starts in that file).
   */
  static decode(bytes: Uint8Array, file: string, offset: number): Block {
    const n = bytes.length;
    if (n < BLOCK_TRAILER_BYTES) throw new CorruptionError(file, offset, `a block of ${n} bytes is too short`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(n - 4, true) !== crc32c(bytes, 0, n - 4)) {
      throw new CorruptionError(file, offset, 'block checksum mismatch');
    }
    const count = view.getUint32(n - 8, true);
    const offsetsAt = n - BLOCK_TRAILER_BYTES - 4 * count;
    if (offsetsAt < 0) throw new CorruptionError(file, offset, `block claims ${count} entries`);
    return new Block(bytes, count, offsetsAt);
  }

  /** The key of entry `i` (a view into the block). */
  keyAt(i: number): Uint8Array {
    const at = this.entryAt(i);
    const keyLength = this.view.getUint32(at, true);
    return this.data.subarray(at + ENTRY_HEADER_BYTES, at + ENTRY_HEADER_BYTES + keyLength);
  }

  /** The value of entry `i` (a view into the block), or `null` for a tombstone. */
  valueAt(i: number): Stored {
    const at = this.entryAt(i);
    const keyLength = this.view.getUint32(at, true);
    const valueLength = this.view.getUint32(at + 4, true);
    if (valueLength === TOMBSTONE_LENGTH) return null;
    const start = at + ENTRY_HEADER_BYTES + keyLength;
    return this.data.subarray(start, start + valueLength);
  }

  /** Index of the first entry whose key is >= `key` (`count` if none): a binary search. */
  lowerBound(key: Uint8Array): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareKeyAt(mid, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Compares entry `i`'s key with `key` without copying it: the inner loop of every read. */
  private compareKeyAt(i: number, key: Uint8Array): number {
    const at = this.entryAt(i);
    const keyLength = this.view.getUint32(at, true);
    const start = at + ENTRY_HEADER_BYTES;
    const n = keyLength < key.length ? keyLength : key.length;
    const data = this.data;
    for (let j = 0; j < n; j++) {
      const d = data[start + j]! - key[j]!;
      if (d !== 0) return d;
    }
    return keyLength - key.length;
  }

  private entryAt(i: number): number {
    return this.view.getUint32(this.offsetsAt + 4 * i, true);
  }
}

