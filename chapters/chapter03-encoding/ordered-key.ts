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

import { NotImplementedError } from '../../shared/errors.js';
import type { KeyPart } from '../../shared/tuple-key.js';

export type { KeyPart };

const KEYS = { exercise: '3.7 Order-preserving keys', file: 'chapter03-encoding/ordered-key.ts', section: '3.7 Order-preserving keys' };

/**
 * Encodes a tuple so that comparing encodings bytewise gives the same order as comparing the
 * tuples (`compareKeys` in `shared/tuple-key.ts`), byte-identical to `encodeKey` there. The
 * top-level tuple has no end mark, so a key is a prefix of every longer key it starts. `NaN`
 * and bigints outside int64 throw a `UsageError`; `-0` is written as `0`.
 */
export function encodeOrderedKey(parts: readonly KeyPart[]): Uint8Array {
  throw new NotImplementedError(KEYS);
}

/**
 * Decodes bytes written by {@link encodeOrderedKey}: `decodeOrderedKey(encodeOrderedKey(t))`
 * equals `t`. An unknown tag, a truncated number, a missing end mark or invalid UTF-8 in a string
 * throws a `DecodeError` naming the offset.
 */
export function decodeOrderedKey(bytes: Uint8Array): KeyPart[] {
  throw new NotImplementedError(KEYS);
}
