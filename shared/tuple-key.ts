/**
 * An order-preserving encoding of composite keys: comparing two encodings bytewise gives the
 * same answer as comparing the tuples they encode. Chapter 01's layers build every key with it;
 * chapter 03 asks you to write it yourself (the tests compare your version with this one).
 *
 * Format. A key is a tuple of parts, each written as a one-byte type tag and a body:
 *
 * | tag    | part                 | body                                                          |
 * |--------|----------------------|---------------------------------------------------------------|
 * | `0x05` | `null`               | none                                                          |
 * | `0x10` | `false`              | none                                                          |
 * | `0x11` | `true`               | none                                                          |
 * | `0x20` | `bigint` (int64)     | 8 bytes big-endian, sign bit flipped                          |
 * | `0x21` | `number` (float64)   | 8 bytes big-endian IEEE 754; positives: sign bit flipped; negatives: all bits flipped |
 * | `0x30` | `string`             | UTF-8, each `0x00` written `0x00 0xff`, then a `0x00` end mark |
 * | `0x31` | `Uint8Array`         | the bytes, escaped and ended like a string                    |
 * | `0x40` | nested tuple         | its parts, then a `0x00` end mark                             |
 *
 * Parts of different types order by tag: null < false < true < bigint < number < string < bytes
 * < tuple. Because tags are never `0x00` and a `0x00` inside a string is escaped, an end mark
 * sorts before any further part, so a tuple sorts before every longer tuple it is a prefix of;
 * and the top-level tuple is written without an end mark, so `encodeKey(['users'])` is a byte
 * prefix of `encodeKey(['users', 42])`: prefix scans find a table's rows.
 * `NaN` has no order and is rejected; `-0` is stored as `0`.
 * @module
 */

import { compareBytes } from './bytes.js';
import { DecodeError, UsageError } from './errors.js';

/** One part of a composite key. */
export type KeyPart = null | boolean | bigint | number | string | Uint8Array | readonly KeyPart[];

/** Type tags, in the order the types sort. */
export const KeyTag = {
  null: 0x05,
  false: 0x10,
  true: 0x11,
  bigint: 0x20,
  number: 0x21,
  string: 0x30,
  bytes: 0x31,
  tuple: 0x40,
} as const;

const END = 0x00;
const ESCAPE = 0xff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Encodes a tuple of parts so that bytewise order equals tuple order. */
export function encodeKey(parts: readonly KeyPart[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) writePart(out, part, 'key');
  return Uint8Array.from(out);
}

/** Decodes bytes made by {@link encodeKey}. Throws a `DecodeError` naming the offset otherwise. */
export function decodeKey(bytes: Uint8Array): KeyPart[] {
  const parts: KeyPart[] = [];
  let at = 0;
  while (at < bytes.length) {
    const [part, next] = readPart(bytes, at);
    parts.push(part);
    at = next;
  }
  return parts;
}

/**
 * Compares two tuples in the order the encoding preserves. Useful as a test oracle and for
 * sorting typed keys without encoding them.
 */
export function compareKeys(a: readonly KeyPart[], b: readonly KeyPart[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = comparePart(a[i]!, b[i]!);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function tagOf(part: KeyPart): number {
  if (part === null) return KeyTag.null;
  if (part === false) return KeyTag.false;
  if (part === true) return KeyTag.true;
  if (typeof part === 'bigint') return KeyTag.bigint;
  if (typeof part === 'number') return KeyTag.number;
  if (typeof part === 'string') return KeyTag.string;
  if (part instanceof Uint8Array) return KeyTag.bytes;
  return KeyTag.tuple;
}

function comparePart(a: KeyPart, b: KeyPart): number {
  const ta = tagOf(a);
  const tb = tagOf(b);
  if (ta !== tb) return ta - tb;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareBytes(encoder.encode(a), encoder.encode(b));
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return compareKeys(a as KeyPart[], b as KeyPart[]);
  return 0; // null, false, true: equal to themselves
}


function writePart(out: number[], part: KeyPart, where: string): void {
  const tag = tagOf(part);
  out.push(tag);
  switch (tag) {
    case KeyTag.bigint: {
      const v = part as bigint;
      if (v < INT64_MIN || v > INT64_MAX) throw new UsageError(`${where}: bigint ${v} is outside int64`);
      writeBig64(out, BigInt.asUintN(64, v) ^ (1n << 63n));
      return;
    }
    case KeyTag.number: {
      const v = part as number;
      if (Number.isNaN(v)) throw new UsageError(`${where}: NaN has no order and cannot be part of a key`);
      const view = new DataView(new ArrayBuffer(8));
      view.setFloat64(0, v === 0 ? 0 : v); // -0 becomes 0
      let bits = view.getBigUint64(0);
      bits = bits >> 63n ? ~bits & 0xffff_ffff_ffff_ffffn : bits | (1n << 63n);
      writeBig64(out, bits);
      return;
    }
    case KeyTag.string:
      writeEscaped(out, encoder.encode(part as string));
      return;
    case KeyTag.bytes:
      writeEscaped(out, part as Uint8Array);
      return;
    case KeyTag.tuple:
      for (const inner of part as readonly KeyPart[]) writePart(out, inner, where);
      out.push(END);
      return;
    default:
      return; // null and booleans are all tag
  }
}

function writeBig64(out: number[], v: bigint): void {
  for (let shift = 56n; shift >= 0n; shift -= 8n) out.push(Number((v >> shift) & 0xffn));
}

function writeEscaped(out: number[], bytes: Uint8Array): void {
  for (const b of bytes) {
    out.push(b);
    if (b === END) out.push(ESCAPE);
  }
  out.push(END);
}

function readPart(bytes: Uint8Array, at: number): [KeyPart, number] {
  const tag = bytes[at]!;
  const body = at + 1;
  switch (tag) {
    case KeyTag.null:
      return [null, body];
    case KeyTag.false:
      return [false, body];
    case KeyTag.true:
      return [true, body];
    case KeyTag.bigint: {
      const bits = readBig64(bytes, body);
      return [BigInt.asIntN(64, bits ^ (1n << 63n)), body + 8];
    }
    case KeyTag.number: {
      let bits = readBig64(bytes, body);
      bits = bits >> 63n ? bits ^ (1n << 63n) : ~bits & 0xffff_ffff_ffff_ffffn;
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, bits);
      return [view.getFloat64(0), body + 8];
    }
    case KeyTag.string: {
      const [raw, next] = readEscaped(bytes, body);
      try {
        return [decoder.decode(raw), next];
      } catch {
        throw new DecodeError(body, 'valid UTF-8 in a string key part');
      }
    }
    case KeyTag.bytes:
      return readEscaped(bytes, body);
    case KeyTag.tuple: {
      const inner: KeyPart[] = [];
      let p = body;
      for (;;) {
        if (p >= bytes.length) throw new DecodeError(p, 'the end mark 0x00 of a nested tuple');
        if (bytes[p] === END) return [inner, p + 1];
        const [part, next] = readPart(bytes, p);
        inner.push(part);
        p = next;
      }
    }
    default:
      throw new DecodeError(at, 'a key type tag', `found 0x${tag.toString(16).padStart(2, '0')}`);
  }
}

function readBig64(bytes: Uint8Array, at: number): bigint {
  if (at + 8 > bytes.length) throw new DecodeError(at, '8 bytes of a fixed-width number', 'key is truncated');
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(bytes[at + i]!);
  return v;
}

function readEscaped(bytes: Uint8Array, at: number): [Uint8Array, number] {
  const out: number[] = [];
  let p = at;
  for (;;) {
    if (p >= bytes.length) throw new DecodeError(p, 'the end mark 0x00 of a string or bytes part');
    const b = bytes[p]!;
    if (b === END) {
      if (bytes[p + 1] === ESCAPE) {
        out.push(END);
        p += 2;
        continue;
      }
      return [Uint8Array.from(out), p + 1];
    }
    out.push(b);
    p++;
  }
}
