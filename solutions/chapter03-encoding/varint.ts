/**
 * Exercise 3.1: variable-length integers (unsigned LEB128, the varint of Protocol Buffers and
 * Avro) and zigzag encoding, which maps signed integers to unsigned ones so that numbers close to
 * zero, negative or positive, get short varints.
 *
 * JavaScript numbers are doubles and represent every integer up to 2^53 exactly, so the `number`
 * variants here cover `[0, 2^53]` (varints) and `[-2^52, 2^52]` (zigzag, whose result is twice as
 * large). The `bigint` variants cover the full 64 bits: `[0, 2^64)` and `[-2^63, 2^63)`.
 * @module
 */

import { DecodeError, UsageError } from '../../shared/errors.js';
import type { ByteReader, ByteWriter } from './byte-io.js';

/** A 64-bit value needs at most ten 7-bit groups: 9 × 7 = 63 bits, plus one bit in the 10th. */
export const MAX_VARINT_BYTES = 10;
/** The largest integer a `number` varint carries: every integer up to it is exact in a double. */
export const MAX_VARINT_NUMBER = 2 ** 53;
/** The largest magnitude the `number` zigzag functions accept (their result is at most 2^53). */
export const MAX_ZIGZAG_NUMBER = 2 ** 52;

const UINT64_LIMIT = 1n << 64n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Writes `value` (an integer in `[0, 2^53]`) as a varint: 7 bits per byte, low bits first. */
export function writeVarint(w: ByteWriter, value: number): void {
  if (value >>> 0 === value && value < 0x80 && w.pos < w.buf.length) {
    w.buf[w.pos++] = value; // the common case: one byte, already checked to be an integer
    return;
  }
  if (!(Number.isInteger(value) && value >= 0 && value <= MAX_VARINT_NUMBER)) {
    throw new UsageError(`writeVarint: ${value} is not an integer in [0, 2^53]; use writeVarintBig`);
  }
  w.ensure(MAX_VARINT_BYTES);
  const buf = w.buf;
  let p = w.pos;
  // Above 2^32 bitwise operators would wrap, so divide; below it, shift.
  while (value > 0xffffffff) {
    buf[p++] = (value & 0x7f) | 0x80; // `&` sees value mod 2^32, whose low 7 bits are value's
    value = Math.floor(value / 128);
  }
  while (value > 0x7f) {
    buf[p++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  buf[p++] = value;
  w.pos = p;
}

/** Writes `value` (a bigint in `[0, 2^64)`) as a varint. */
export function writeVarintBig(w: ByteWriter, value: bigint): void {
  if (value < 0n || value >= UINT64_LIMIT) {
    throw new UsageError(`writeVarintBig: ${value} is not in [0, 2^64)`);
  }
  while (value > 0x7fn) {
    w.byte(Number(value & 0x7fn) | 0x80);
    value >>= 7n;
  }
  w.byte(Number(value));
}

/**
 * Reads a varint of at most 10 bytes. Returns a `number` when the value is at most 2^53 (exact)
 * and a `bigint` otherwise. Throws a `DecodeError` at the varint's first byte when the input ends
 * inside it, when it runs past 10 bytes, or when it overflows 64 bits.
 */
export function readVarint(r: ByteReader): number | bigint {
  const buf = r.buf;
  const start = r.pos;
  if (start < r.end && buf[start]! < 0x80) {
    r.pos = start + 1;
    return buf[start]!;
  }
  // Up to 7 bytes (49 bits) the sum below is exact; longer varints take the bigint path.
  let result = 0;
  let scale = 1;
  for (let p = start; p < start + 7; p++) {
    if (p >= r.end) throw new DecodeError(start, 'a varint', 'input ends inside it');
    const b = buf[p]!;
    result += (b & 0x7f) * scale;
    if (b < 0x80) {
      r.pos = p + 1;
      return result;
    }
    scale *= 128;
  }
  const big = readVarintBig(r);
  return big <= BigInt(MAX_VARINT_NUMBER) ? Number(big) : big;
}

/** Reads a varint of at most 10 bytes as a bigint in `[0, 2^64)`. Errors as {@link readVarint}. */
export function readVarintBig(r: ByteReader): bigint {
  const buf = r.buf;
  const start = r.pos;
  let result = 0n;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const p = start + i;
    if (p >= r.end) throw new DecodeError(start, 'a varint', 'input ends inside it');
    const b = buf[p]!;
    if (i === MAX_VARINT_BYTES - 1 && b > 1) {
      throw new DecodeError(start, 'a varint of at most 64 bits', `its 10th byte is 0x${b.toString(16)}`);
    }
    result |= BigInt(b & 0x7f) << BigInt(7 * i);
    if (b < 0x80) {
      r.pos = p + 1;
      return result;
    }
  }
  throw new DecodeError(start, 'a varint of at most 64 bits', 'it is longer than 10 bytes'); // unreachable
}

/**
 * Reads a varint of at most 10 bytes and returns its low 32 bits as an unsigned number. Protocol
 * Buffers writes a negative `int32` as a 10-byte varint (sign-extended to 64 bits); this keeps the
 * 32 bits that matter. Errors as {@link readVarint}.
 */
export function readVarint32(r: ByteReader): number {
  const buf = r.buf;
  const start = r.pos;
  if (start < r.end && buf[start]! < 0x80) {
    r.pos = start + 1; // the common case: a one-byte key or small value
    return buf[start]!;
  }
  let result = 0;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    const p = start + i;
    if (p >= r.end) throw new DecodeError(start, 'a varint', 'input ends inside it');
    const b = buf[p]!;
    if (i === MAX_VARINT_BYTES - 1 && b > 1) {
      throw new DecodeError(start, 'a varint of at most 64 bits', `its 10th byte is 0x${b.toString(16)}`);
    }
    if (i < 5) result |= (b & 0x7f) << (7 * i); // bits beyond 32 fall off the shift
    if (b < 0x80) {
      r.pos = p + 1;
      return result >>> 0;
    }
  }
  throw new DecodeError(start, 'a varint of at most 64 bits', 'it is longer than 10 bytes'); // unreachable
}

/**
 * Zigzag-encodes an integer in `[-2^52, 2^52]`: 0 → 0, −1 → 1, 1 → 2, −2 → 3, …
 * (`2n` for `n ≥ 0`, `−2n − 1` for `n < 0`).
 */
export function zigzagEncode(n: number): number {
  if ((n | 0) === n) return ((n << 1) ^ (n >> 31)) >>> 0; // int32: the classic shift form
  if (!(Number.isInteger(n) && Math.abs(n) <= MAX_ZIGZAG_NUMBER)) {
    throw new UsageError(`zigzagEncode: ${n} is not an integer in [-2^52, 2^52]; use zigzagEncodeBig`);
  }
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

/** Inverts {@link zigzagEncode} for `z` in `[0, 2^53]`. */
export function zigzagDecode(z: number): number {
  if (z <= 0xffffffff) return (z >>> 1) ^ -(z & 1);
  if (!(Number.isInteger(z) && z <= MAX_VARINT_NUMBER)) {
    throw new UsageError(`zigzagDecode: ${z} is not an integer in [0, 2^53]; use zigzagDecodeBig`);
  }
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/** Zigzag-encodes a signed 64-bit integer (`[-2^63, 2^63)`) into `[0, 2^64)`. */
export function zigzagEncodeBig(n: bigint): bigint {
  if (n < INT64_MIN || n > INT64_MAX) throw new UsageError(`zigzagEncodeBig: ${n} is not a signed 64-bit integer`);
  return BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
}

/** Inverts {@link zigzagEncodeBig} for `z` in `[0, 2^64)`. */
export function zigzagDecodeBig(z: bigint): bigint {
  if (z < 0n || z >= UINT64_LIMIT) throw new UsageError(`zigzagDecodeBig: ${z} is not in [0, 2^64)`);
  return (z >> 1n) ^ -(z & 1n);
}
