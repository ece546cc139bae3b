/**
 * Exercise 3.7: an order-preserving encoding of composite keys. Comparing two encodings byte by
 * byte (as every ordered key-value store does) must give the same answer as comparing the tuples
 * they encode, so that a range scan over bytes is a range scan over typed keys.
 *
 * The format is the project's: `shared/tuple-key.ts` is the reference the tests compare with,
 * byte for byte, and the notes describe it. Each part is a one-byte type tag and a body:
 *
 * | tag | part | body |
 * |---|---|---|
 * | 0x05 | null | none |
 * | 0x10 / 0x11 | false / true | none |
 * | 0x20 | bigint (int64) | 8 bytes big-endian, sign bit flipped |
 * | 0x21 | number (float64) | 8 bytes big-endian; positives: sign bit flipped; negatives: every bit flipped |
 * | 0x30 | string | UTF-8, each 0x00 written 0x00 0xff, then 0x00 |
 * | 0x31 | Uint8Array | the same escaping and end mark |
 * | 0x40 | nested tuple | its parts, then 0x00 |
 * @module
 */

import { DecodeError, UsageError } from '../../shared/errors.js';
import type { KeyPart } from '../../shared/tuple-key.js';
import { ByteWriter } from './byte-io.js';

export type { KeyPart };

const TAG_NULL = 0x05;
const TAG_FALSE = 0x10;
const TAG_TRUE = 0x11;
const TAG_BIGINT = 0x20;
const TAG_NUMBER = 0x21;
const TAG_STRING = 0x30;
const TAG_BYTES = 0x31;
const TAG_TUPLE = 0x40;
const END = 0x00;
const ESCAPED_ZERO = 0xff;

const SIGN_BIT = 1n << 63n;
const ALL_BITS = (1n << 64n) - 1n;
const scratch = new DataView(new ArrayBuffer(8));
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Encodes a tuple so that bytewise order of encodings equals tuple order. */
export function encodeOrderedKey(parts: readonly KeyPart[]): Uint8Array {
  const w = new ByteWriter(32);
  // The top level has no end mark, so a key is a byte prefix of every longer key it starts.
  for (const part of parts) writePart(w, part);
  return w.finish();
}

/** Decodes bytes written by {@link encodeOrderedKey}; a `DecodeError` names the bad offset. */
export function decodeOrderedKey(bytes: Uint8Array): KeyPart[] {
  const parts: KeyPart[] = [];
  const cursor = { at: 0 };
  while (cursor.at < bytes.length) parts.push(readPart(bytes, cursor));
  return parts;
}

function writePart(w: ByteWriter, part: KeyPart): void {
  if (part === null) return w.byte(TAG_NULL);
  if (part === false) return w.byte(TAG_FALSE);
  if (part === true) return w.byte(TAG_TRUE);
  if (typeof part === 'bigint') {
    if (part < -SIGN_BIT || part >= SIGN_BIT) throw new UsageError(`ordered key: bigint ${part} is outside int64`);
    w.byte(TAG_BIGINT);
    // Two's complement orders negatives after positives; flipping the sign bit fixes that.
    writeUint64(w, BigInt.asUintN(64, part) ^ SIGN_BIT);
    return;
  }
  if (typeof part === 'number') {
    if (Number.isNaN(part)) throw new UsageError('ordered key: NaN has no order');
    w.byte(TAG_NUMBER);
    scratch.setFloat64(0, part === 0 ? 0 : part); // -0 and 0 are one key
    const bits = scratch.getBigUint64(0);
    // IEEE 754 orders positives like unsigned integers; set the sign bit so they sort after
    // negatives. Negatives are sign-magnitude, so larger magnitudes must sort lower: flip all.
    writeUint64(w, bits & SIGN_BIT ? ~bits & ALL_BITS : bits | SIGN_BIT);
    return;
  }
  if (typeof part === 'string') {
    w.byte(TAG_STRING);
    writeEscaped(w, encoder.encode(part));
    return;
  }
  if (part instanceof Uint8Array) {
    w.byte(TAG_BYTES);
    writeEscaped(w, part);
    return;
  }
  w.byte(TAG_TUPLE);
  for (const inner of part) writePart(w, inner);
  w.byte(END);
}

function writeUint64(w: ByteWriter, v: bigint): void {
  scratch.setBigUint64(0, v); // big-endian: the most significant byte compares first
  for (let i = 0; i < 8; i++) w.byte(scratch.getUint8(i));
}

/** Bytes, with every 0x00 doubled as 0x00 0xff so that the 0x00 end mark sorts first. */
function writeEscaped(w: ByteWriter, bytes: Uint8Array): void {
  for (const b of bytes) {
    w.byte(b);
    if (b === END) w.byte(ESCAPED_ZERO);
  }
  w.byte(END);
}

function readPart(bytes: Uint8Array, cursor: { at: number }): KeyPart {
  const tagAt = cursor.at;
  const tag = bytes[cursor.at++]!;
  switch (tag) {
    case TAG_NULL:
      return null;
    case TAG_FALSE:
      return false;
    case TAG_TRUE:
      return true;
    case TAG_BIGINT:
      return BigInt.asIntN(64, readUint64(bytes, cursor) ^ SIGN_BIT);
    case TAG_NUMBER: {
      const bits = readUint64(bytes, cursor);
      scratch.setBigUint64(0, bits & SIGN_BIT ? bits ^ SIGN_BIT : ~bits & ALL_BITS);
      return scratch.getFloat64(0);
    }
    case TAG_STRING: {
      const start = cursor.at;
      const raw = readEscaped(bytes, cursor);
      try {
        return decoder.decode(raw);
      } catch {
        throw new DecodeError(start, 'valid UTF-8 in a string key part');
      }
    }
    case TAG_BYTES:
      return readEscaped(bytes, cursor);
    case TAG_TUPLE: {
      const inner: KeyPart[] = [];
      for (;;) {
        if (cursor.at >= bytes.length) throw new DecodeError(cursor.at, 'the end mark 0x00 of a nested tuple');
        if (bytes[cursor.at] === END) {
          cursor.at++;
          return inner;
        }
        inner.push(readPart(bytes, cursor));
      }
    }
    default:
      throw new DecodeError(tagAt, 'a key type tag', `found 0x${tag.toString(16).padStart(2, '0')}`);
  }
}

function readUint64(bytes: Uint8Array, cursor: { at: number }): bigint {
  if (cursor.at + 8 > bytes.length) throw new DecodeError(cursor.at, '8 bytes of a fixed-width number', 'the key is truncated');
  for (let i = 0; i < 8; i++) scratch.setUint8(i, bytes[cursor.at + i]!);
  cursor.at += 8;
  return scratch.getBigUint64(0);
}

function readEscaped(bytes: Uint8Array, cursor: { at: number }): Uint8Array {
  const out: number[] = [];
  for (;;) {
    if (cursor.at >= bytes.length) throw new DecodeError(cursor.at, 'the end mark 0x00 of a string or bytes part');
    const b = bytes[cursor.at]!;
    if (b !== END) {
      out.push(b);
      cursor.at++;
    } else if (bytes[cursor.at + 1] === ESCAPED_ZERO) {
      out.push(END);
      cursor.at += 2;
    } else {
      cursor.at++;
      return Uint8Array.from(out);
    }
  }
}
