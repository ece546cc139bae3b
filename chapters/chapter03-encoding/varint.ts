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

import { NotImplementedError } from '../../shared/errors.js';
import type { ByteReader, ByteWriter } from './byte-io.js';

/** A 64-bit value needs at most ten 7-bit groups: 9 × 7 = 63 bits, plus one bit in the 10th. */
export const MAX_VARINT_BYTES = 10;
/** The largest integer a `number` varint carries: every integer up to it is exact in a double. */
export const MAX_VARINT_NUMBER = 2 ** 53;
/** The largest magnitude the `number` zigzag functions accept (their result is at most 2^53). */
export const MAX_ZIGZAG_NUMBER = 2 ** 52;

const VARINTS = { exercise: '3.1 Varints and zigzag', file: 'chapter03-encoding/varint.ts', section: '3.1 Varints and zigzag' };

/**
 * Writes `value` as a varint: 7 bits per byte, least significant group first, the high bit of
 * each byte set when more bytes follow. Must be exact for every integer in `[0, 2^53]` (beware:
 * JavaScript's bitwise operators work on 32 bits) and throw a `UsageError` for anything else.
 */
export function writeVarint(w: ByteWriter, value: number): void {
  throw new NotImplementedError(VARINTS);
}

/** Writes `value`, a bigint in `[0, 2^64)`, as a varint; `UsageError` outside that range. */
export function writeVarintBig(w: ByteWriter, value: bigint): void {
  throw new NotImplementedError(VARINTS);
}

/**
 * Reads one varint at `r.pos` and advances past it. Returns a `number` when the value is at most
 * 2^53 and a `bigint` when it is larger. Throws a `DecodeError` whose offset is the varint's
 * first byte when the input ends inside it, when it is longer than 10 bytes, or when it
 * overflows 64 bits (the 10th byte may only be 0 or 1).
 */
export function readVarint(r: ByteReader): number | bigint {
  throw new NotImplementedError(VARINTS);
}

/** Reads one varint as a bigint in `[0, 2^64)`. Same errors as {@link readVarint}. */
export function readVarintBig(r: ByteReader): bigint {
  throw new NotImplementedError(VARINTS);
}

/**
 * Reads one varint of up to 10 bytes and returns its low 32 bits as an unsigned number (use
 * `| 0` to see them as signed). Same errors as {@link readVarint}.
 */
export function readVarint32(r: ByteReader): number {
  throw new NotImplementedError(VARINTS);
}

/**
 * Zigzag: `n ≥ 0` becomes `2n`, `n < 0` becomes `−2n − 1`, so 0, −1, 1, −2, 2 map to
 * 0, 1, 2, 3, 4. Exact for every integer in `[-2^52, 2^52]`; `UsageError` otherwise.
 */
export function zigzagEncode(n: number): number {
  throw new NotImplementedError(VARINTS);
}

/** The inverse of {@link zigzagEncode}, for `z` in `[0, 2^53]`; `UsageError` otherwise. */
export function zigzagDecode(z: number): number {
  throw new NotImplementedError(VARINTS);
}

/** Zigzag for signed 64-bit bigints: `[-2^63, 2^63)` onto `[0, 2^64)`; `UsageError` otherwise. */
export function zigzagEncodeBig(n: bigint): bigint {
  throw new NotImplementedError(VARINTS);
}

/** The inverse of {@link zigzagEncodeBig}, for `z` in `[0, 2^64)`; `UsageError` otherwise. */
export function zigzagDecodeBig(z: bigint): bigint {
  throw new NotImplementedError(VARINTS);
}
