/**
 * A growable byte writer and a bounds-checked byte reader: the two cursors every codec in this
 * chapter writes to and reads from. Given code, identical in `chapters/` and `solutions/`.
 *
 * The reader's one rule: it never trusts a length it has not checked against the bytes that are
 * actually left. Every read that would run past the end throws a `DecodeError` naming the offset
 * where it started, so malformed input can neither crash with a `RangeError` nor make a decoder
 * allocate a buffer sized by a bogus length.
 * @module
 */

import { DecodeError } from '../../shared/errors.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
// Strings shorter than this are encoded and decoded by hand: cheaper than a call into
// TextEncoder/TextDecoder for the short names and labels that fill most records.
const SHORT_STRING = 64;
const SHORT_TEXT_BYTES = 256;
const scratchBytes = new Uint8Array(8);
const scratchView = new DataView(scratchBytes.buffer);

/** Appends bytes to a buffer that doubles when full. */
export class ByteWriter {
  /** The buffer; bytes `[0, pos)` are written. Use {@link ByteWriter.finish} to get them. */
  buf: Uint8Array;
  /** Number of bytes written so far. */
  pos = 0;
  private view: DataView;

  constructor(initialSizeBytes = 64) {
    this.buf = new Uint8Array(initialSizeBytes);
    this.view = new DataView(this.buf.buffer);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }

  /** Appends one byte (0–255). */
  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Appends raw bytes. */
  bytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Appends a 32-bit little-endian IEEE 754 float. */
  float32(value: number): void {
    this.ensure(4);
    this.view.setFloat32(this.pos, value, true);
    this.pos += 4;
  }

  /** Appends a 64-bit little-endian IEEE 754 double. */
  float64(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** Appends an unsigned 32-bit little-endian integer. */
  uint32LE(value: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
  }

  /** Appends an unsigned 64-bit little-endian integer. */
  uint64LE(value: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, value), true);
    this.pos += 8;
  }

  /**
   * Appends `text` as UTF-8 and returns the number of bytes written. Lone surrogates become
   * U+FFFD, as with `TextEncoder`.
   */
  utf8(text: string): number {
    const start = this.pos;
    this.ensure(text.length * 3);
    if (text.length >= SHORT_STRING) {
      this.pos += encoder.encodeInto(text, this.buf.subarray(this.pos)).written;
      return this.pos - start;
    }
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < text.length; i++) {
      let c = text.charCodeAt(i);
      if (c < 0x80) {
        buf[p++] = c;
        continue;
      }
      if (c < 0x800) {
        buf[p++] = 0xc0 | (c >> 6);
        buf[p++] = 0x80 | (c & 0x3f);
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          buf[p++] = 0xf0 | (c >> 18);
          buf[p++] = 0x80 | ((c >> 12) & 0x3f);
          buf[p++] = 0x80 | ((c >> 6) & 0x3f);
          buf[p++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd; // a lone surrogate cannot be written as UTF-8
      }
      buf[p++] = 0xe0 | (c >> 12);
      buf[p++] = 0x80 | ((c >> 6) & 0x3f);
      buf[p++] = 0x80 | (c & 0x3f);
    }
    this.pos = p;
    return p - start;
  }

  /** A copy of the bytes written so far. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** Reads from a byte array front to back; every read checks the bytes left first. */
export class ByteReader {
  /** The input. */
  readonly buf: Uint8Array;
  /** Offset of the next unread byte. */
  pos: number;
  /** Offset one past the last byte this reader may read. */
  readonly end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    // A Node.js Buffer is a Uint8Array whose slice() shares memory; view it as a plain one so
    // that every array handed out is a plain, independent Uint8Array.
    this.buf = buf.constructor === Uint8Array ? buf : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  // Fixed-width numbers are copied into one shared 8-byte scratch and read from there: cheaper
  // than building a DataView over every input, most of which are small records.
  private load(n: number, what: string): DataView {
    this.need(n, what);
    const buf = this.buf;
    const p = this.pos;
    for (let i = 0; i < n; i++) scratchBytes[i] = buf[p + i]!;
    this.pos = p + n;
    return scratchView;
  }

  /** Bytes left to read. */
  remaining(): number {
    return this.end - this.pos;
  }

  /** True when every byte has been read. */
  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Throws a `DecodeError` unless `n` more bytes are available. `what` names what is read. */
  need(n: number, what: string): void {
    if (!(n >= 0 && n <= this.end - this.pos)) {
      throw new DecodeError(this.pos, what, `needs ${n} byte(s), only ${this.end - this.pos} left`);
    }
  }

  /** One byte. */
  byte(what: string): number {
    if (this.pos >= this.end) throw new DecodeError(this.pos, what, 'input is truncated');
    return this.buf[this.pos++]!;
  }

  /** `n` bytes, copied, after checking that they exist (so `n` cannot size a bogus allocation). */
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Skips `n` bytes after checking that they exist. */
  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }

  /** A 32-bit little-endian IEEE 754 float. */
  float32(what = 'a 4-byte float'): number {
    return this.load(4, what).getFloat32(0, true);
  }

  /** A 64-bit little-endian IEEE 754 double. */
  float64(what = 'an 8-byte double'): number {
    return this.load(8, what).getFloat64(0, true);
  }

  /** An unsigned 32-bit little-endian integer. */
  uint32LE(what = 'a 4-byte integer'): number {
    return this.load(4, what).getUint32(0, true);
  }

  /** An unsigned 64-bit little-endian integer. */
  uint64LE(what = 'an 8-byte integer'): bigint {
    return this.load(8, what).getBigUint64(0, true);
  }

  /**
   * `n` bytes decoded as UTF-8. Invalid UTF-8 is a `DecodeError` at the string's first byte:
   * a string field must hold text, and replacing bad bytes with U+FFFD would lose data silently.
   */
  utf8(n: number, what = 'a UTF-8 string'): string {
    this.need(n, what);
    const start = this.pos;
    const buf = this.buf;
    if (n < SHORT_TEXT_BYTES) {
      const ascii = asciiString(buf, start, start + n);
      if (ascii !== undefined) {
        this.pos += n;
        return ascii;
      }
    }
    try {
      const s = decoder.decode(buf.subarray(start, start + n));
      this.pos += n;
      return s;
    } catch {
      throw new DecodeError(start, what, 'invalid UTF-8');
    }
  }
}

/**
 * Decodes `buf[start, end)` if it is all ASCII (which is valid UTF-8 and maps byte for byte onto
 * UTF-16), else returns `undefined`. Eight characters per `fromCharCode` call: for the short
 * strings that fill most records this beats a call into `TextDecoder`.
 */
function asciiString(buf: Uint8Array, start: number, end: number): string | undefined {
  let out = '';
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const a = buf[i]!, b = buf[i + 1]!, c = buf[i + 2]!, d = buf[i + 3]!;
    const e = buf[i + 4]!, f = buf[i + 5]!, g = buf[i + 6]!, h = buf[i + 7]!;
    if ((a | b | c | d | e | f | g | h) >= 0x80) return undefined;
    out += String.fromCharCode(a, b, c, d, e, f, g, h);
  }
  for (; i < end; i++) {
    const a = buf[i]!;
    if (a >= 0x80) return undefined;
    out += String.fromCharCode(a);
  }
  return out;
}
