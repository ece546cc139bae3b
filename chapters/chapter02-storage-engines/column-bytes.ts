/**
 * Byte helpers for the column store's files: a growable writer and a bounds-checked reader of
 * fixed-width big-endian fields: `u32` counts, lengths and codes (4 bytes), signed 64-bit
 * integers (8 bytes) and u32-length-prefixed UTF-8 strings. Not an exercise: the column
 * encodings (4.1) and column files (4.2) are built on them. Fixed widths, not varints, because
 * varints are chapter 03's first exercise and given code must not hand out its answer; the
 * column store's savings come from its encodings (runs, dictionaries, bitmaps), not from here.
 * @module
 */

import { DecodeError } from '../../shared/errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Appends counts, integers and strings to a growing buffer. */
export class ByteWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  /** Appends one byte. */
  byte(b: number): void {
    this.reserve(1);
    this.buffer[this.length++] = b;
  }

  /** Appends raw bytes. */
  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  /** Appends an unsigned 32-bit integer, big-endian: a count, a length or a code. */
  u32(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 0xffff_ffff) throw new RangeError(`u32: ${n} is not an integer from 0 to 2^32 - 1`);
    this.reserve(4);
    new DataView(this.buffer.buffer).setUint32(this.length, n);
    this.length += 4;
  }

  /** Appends a safe integer as a signed 64-bit big-endian integer. */
  int(n: number): void {
    if (!Number.isSafeInteger(n)) throw new RangeError(`int: ${n} is not a safe integer`);
    this.reserve(8);
    new DataView(this.buffer.buffer).setBigInt64(this.length, BigInt(n));
    this.length += 8;
  }

  /** Appends a string as its u32 byte length and its UTF-8 bytes. */
  string(text: string): void {
    const data = encoder.encode(text);
    this.u32(data.length);
    this.bytes(data);
  }

  /** The bytes written so far. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

/** Reads what a {@link ByteWriter} wrote; throws a `DecodeError` with the offset on bad input. */
export class ByteReader {
  private readonly data: Uint8Array;
  private at = 0;

  constructor(data: Uint8Array) {
    this.data = data;
  }

  /** Where the next read starts. */
  get offset(): number {
    return this.at;
  }

  /** True when every byte was read. */
  get done(): boolean {
    return this.at >= this.data.length;
  }

  /** Reads an unsigned 32-bit big-endian integer. */
  u32(): number {
    const start = this.take(4, 'a u32');
    return new DataView(this.data.buffer, this.data.byteOffset).getUint32(start);
  }

  /** Reads a signed 64-bit big-endian integer; it must be a safe integer. */
  int(): number {
    const start = this.take(8, 'a 64-bit integer');
    const n = new DataView(this.data.buffer, this.data.byteOffset).getBigInt64(start);
    if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new DecodeError(start, 'a safe integer', `found ${n}`);
    }
    return Number(n);
  }

  /** Moves past `size` bytes and returns where they start; throws if the data ends first. */
  private take(size: number, what: string): number {
    const start = this.at;
    if (start + size > this.data.length) throw new DecodeError(start, what, 'the data ends inside it');
    this.at += size;
    return start;
  }

  /** Reads a length-prefixed UTF-8 string. */
  string(): string {
    const length = this.u32();
    const start = this.at;
    if (start + length > this.data.length) throw new DecodeError(start, `${length} bytes of a string`, 'the data ends first');
    this.at += length;
    try {
      return decoder.decode(this.data.subarray(start, this.at));
    } catch {
      throw new DecodeError(start, 'valid UTF-8');
    }
  }
}
