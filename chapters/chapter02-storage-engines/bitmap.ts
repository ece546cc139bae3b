/**
 * Exercise 4.1: a bitmap over the rows of a table, one bit per row: the set of rows where a
 * column has a value, or where a filter matches. Filters combine by AND-ing bitmaps.
 *
 * Stored compressed as run lengths: the lengths of alternating runs of 0s and 1s, starting
 * with a run of 0s (possibly empty). A sparse bitmap of a million rows with ten 1s takes about
 * twenty small numbers instead of 125,000 bytes.
 * @module
 */

import { NotImplementedError, UsageError } from '../../shared/errors.js';

/** A fixed-size set of row numbers `[0, size)`. */
export class Bitmap {
  /** Number of rows (bits). */
  readonly size: number;
  private readonly words: Uint32Array;

  /** An all-zero bitmap of `size` bits. */
  constructor(size: number) {
    if (!Number.isSafeInteger(size) || size < 0) throw new UsageError(`Bitmap: size ${size} is not a non-negative integer`);
    this.size = size;
    this.words = new Uint32Array(Math.ceil(size / 32));
  }

  /** Sets bit `row`. */
  set(row: number): void {
    this.check(row);
    this.words[row >>> 5]! |= 1 << (row & 31);
  }

  /** Sets bits `[from, to)`. */
  setRange(from: number, to: number): void {
    for (let row = from; row < to; row++) this.words[row >>> 5]! |= 1 << (row & 31);
  }

  /** True when bit `row` is set. */
  has(row: number): boolean {
    this.check(row);
    return (this.words[row >>> 5]! & (1 << (row & 31))) !== 0;
  }

  /** A new bitmap with the bits set in both. */
  and(other: Bitmap): Bitmap {
    this.checkSize(other);
    const out = new Bitmap(this.size);
    for (let i = 0; i < this.words.length; i++) out.words[i] = this.words[i]! & other.words[i]!;
    return out;
  }

  /** A new bitmap with the bits set in either. */
  or(other: Bitmap): Bitmap {
    this.checkSize(other);
    const out = new Bitmap(this.size);
    for (let i = 0; i < this.words.length; i++) out.words[i] = this.words[i]! | other.words[i]!;
    return out;
  }

  /** Number of bits set. */
  count(): number {
    let n = 0;
    for (let w of this.words) {
      // Population count of a 32-bit word (the classic SWAR bit trick).
      w = w - ((w >>> 1) & 0x55555555);
      w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
      n += (Math.imul((w + (w >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
    }
    return n;
  }

  /** The rows whose bit is set, in increasing order. */
  *ones(): IterableIterator<number> {
    for (let i = 0; i < this.words.length; i++) {
      let w = this.words[i]!;
      while (w !== 0) {
        const bit = 31 - Math.clz32(w & -w);
        yield i * 32 + bit;
        w &= w - 1;
      }
    }
  }

  /**
   * Exercise 4.1. The run lengths: alternating runs of 0s and 1s, the first a run of 0s (0 when
   * row 0 is set), no other run empty, summing to `size`.
   * Example: bits `0011100` give `[2, 3, 2]`; `1100` gives `[0, 2, 2]`.
   */
  toRuns(): number[] {
    throw new NotImplementedError({
      exercise: '4.1 Column encodings',
      file: 'chapter02-storage-engines/bitmap.ts',
      section: '4.1 Column encodings',
    });
  }

  /**
   * Exercise 4.1. The bitmap of `size` rows whose run lengths are `runs` (see
   * {@link Bitmap.toRuns}). Throws a `RangeError` when the runs do not sum to `size`.
   */
  static fromRuns(size: number, runs: readonly number[]): Bitmap {
    throw new NotImplementedError({
      exercise: '4.1 Column encodings',
      file: 'chapter02-storage-engines/bitmap.ts',
      section: '4.1 Column encodings',
    });
  }

  private check(row: number): void {
    if (!Number.isInteger(row) || row < 0 || row >= this.size) {
      throw new UsageError(`Bitmap: row ${row} is outside [0, ${this.size})`);
    }
  }

  private checkSize(other: Bitmap): void {
    if (other.size !== this.size) throw new UsageError(`Bitmap: sizes differ (${this.size} and ${other.size})`);
  }
}
