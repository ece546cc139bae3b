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

import { NotImplementedError } from '../../shared/errors.js';
import type { Stored } from './entry.js';

/** `valueLength` of a tombstone. */
export const TOMBSTONE_LENGTH = 0xffffffff;

const TODO = { exercise: '2.3 SSTables', file: 'chapter02-storage-engines/block.ts', section: '2.3 SSTables' };

/** Builds one block from entries added in strictly increasing key order. */
export class BlockBuilder {
  /** Number of entries added. */
  get count(): number {
    throw new NotImplementedError(TODO);
  }

  /** Size the block will have when finished: entries, offset array, count and checksum. */
  get sizeBytes(): number {
    throw new NotImplementedError(TODO);
  }

  /** The last key added, if any. */
  get last(): Uint8Array | undefined {
    throw new NotImplementedError(TODO);
  }

  /** Appends an entry; its key must sort after the previous one (else a `UsageError`). */
  add(key: Uint8Array, value: Stored): void {
    throw new NotImplementedError(TODO);
  }

  /** The finished block's bytes (format above); the builder is empty again afterwards. */
  finish(): Uint8Array {
    throw new NotImplementedError(TODO);
  }
}

/** A decoded, verified block: entries are read in place by index. */
export class Block {
  /** Number of entries. */
  readonly count: number;

  private constructor(data: Uint8Array, count: number, offsetsAt: number) {
    void data;
    void offsetsAt;
    this.count = count;
  }

  /**
   * Verifies the checksum of `bytes` and wraps them. On a mismatch or an impossible layout, a
   * `CorruptionError` naming `file` and `offset` (where the block starts in that file).
   */
  static decode(bytes: Uint8Array, file: string, offset: number): Block {
    throw new NotImplementedError(TODO);
  }

  /** The key of entry `i` (a view into the block). */
  keyAt(i: number): Uint8Array {
    throw new NotImplementedError(TODO);
  }

  /** The value of entry `i` (a view into the block), or `null` for a tombstone. */
  valueAt(i: number): Stored {
    throw new NotImplementedError(TODO);
  }

  /** Index of the first entry whose key is >= `key` (`count` if none), by binary search. */
  lowerBound(key: Uint8Array): number {
    throw new NotImplementedError(TODO);
  }
}
