/**
 * Byte helpers for the column store's files: a growable writer and a bounds-checked reader of
 * unsigned varints (7 bits per byte, low bits first, high bit set on every byte but the last),
 * zigzag-encoded integers and length-prefixed UTF-8 strings. Not an exercise: the column
 * encodings (4.1) and column files (4.2) are built on them.
 * @module
 */

import { DecodeError } from '../../shared/errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Appends varints, integers and strings to a growing buffer. */
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

  /** Appends a non-negative safe integer as an unsigned varint (1 byte below 128). */
  varint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint: ${n} is not a non-negative safe integer`);
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }

  /** Appends a safe integer zigzag-encoded (0, -1, 1, -2, … become 0, 1, 2, 3, …), so small negatives stay short. */
  int(n: number): void {
    if (!Number.isSafeInteger(n)) throw new RangeError(`int: ${n} is not a safe integer`);
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  /** Appends a string as a varint byte length and its UTF-8 bytes. */
  string(text: string): void {
    const data = encoder.encode(text);
    this.varint(data.length);
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

  /** Reads an unsigned varint. */
  varint(): number {
    let n = 0;
    let scale = 1;
    const start = this.at;
    for (;;) {
      if (this.at >= this.data.length) throw new DecodeError(start, 'a varint', 'the data ends inside it');
      const b = this.data[this.at++]!;
      n += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) break;
      scale *= 0x80;
      if (scale > 2 ** 49) throw new DecodeError(start, 'a varint of at most 8 bytes');
    }
    return n;
  }

  /** Reads a zigzag-encoded integer. */
  int(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** Reads a length-prefixed UTF-8 string. */
  string(): string {
    const length = this.varint();
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
