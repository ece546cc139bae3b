/**
 * Exercise 3.3: the Avro binary encoding.
 *
 * Avro writes no tags and no field names: a record is its fields' values back to back, in the
 * schema's order, so a reader must have the writer's exact schema to find where one value ends
 * and the next begins. In exchange the encoding is the most compact of the book's examples.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { ByteReader, ByteWriter } from './byte-io.js';
import type { AvroType, AvroValue } from './avro-schema.js';

/**
 * Items of a type that can be encoded in zero bytes (null, an empty record) cost nothing to
 * claim; a bogus block count of them would make a decoder loop for ages. Cap them.
 */
export const MAX_ZERO_SIZE_ITEMS = 1_000_000;

const AVRO = { exercise: '3.3 Avro binary encoding', file: 'chapter03-encoding/avro-binary.ts', section: '3.3 Avro binary encoding' };

/**
 * Encodes `value` as `schema` (see {@link writeAvro}) and returns the bytes. A value that does not
 * fit throws an `EncodeError` whose `path` names where (`Person.interests[1]`).
 */
export function encodeAvro(schema: AvroType, value: AvroValue): Uint8Array {
  throw new NotImplementedError(AVRO);
}

/**
 * Decodes exactly one value of `schema` that fills `bytes`: `decodeAvro(s, encodeAvro(s, v))`
 * equals `v`. Bytes left over, truncation, negative or oversized lengths, an enum or union index
 * out of range, a boolean byte other than 0 or 1, an `int` beyond 32 bits and invalid UTF-8 all
 * throw a `DecodeError` with the offset.
 */
export function decodeAvro(schema: AvroType, bytes: Uint8Array): AvroValue {
  throw new NotImplementedError(AVRO);
}

/**
 * Appends one value of `schema`: null as nothing; boolean as one byte; int and long as zigzag
 * varints; float and double as 4 and 8 little-endian bytes; bytes and string as a long length
 * then the bytes (UTF-8); fixed as its bytes; enum as the symbol's index; array and map as
 * blocks (a count, the items, and a final count of 0; map items are key then value); union as
 * the index of the first branch the value is valid for, then the value; record as its fields in
 * order, using a field's default when the value lacks it.
 */
export function writeAvro(w: ByteWriter, schema: AvroType, value: AvroValue): void {
  throw new NotImplementedError(AVRO);
}

/** Reads one value of `schema` at `r.pos` and advances past it. Errors as {@link decodeAvro}. */
export function readAvro(r: ByteReader, schema: AvroType): AvroValue {
  throw new NotImplementedError(AVRO);
}

/** Advances `r` past one value of `schema` (a schema resolver skips removed fields with it). */
export function skipAvro(r: ByteReader, schema: AvroType): void {
  throw new NotImplementedError(AVRO);
}

/**
 * True when `value` is a valid value of `schema` (see `AvroValue` for the JavaScript shapes):
 * the encoder writes a union's value with the first branch it is valid for.
 */
export function isAvroValue(schema: AvroType, value: AvroValue): boolean {
  throw new NotImplementedError(AVRO);
}

/**
 * Writes a long: zigzag, then varint. Accepts integers with |v| ≤ 2^53 as numbers and any
 * signed 64-bit bigint; anything else is an `EncodeError`.
 */
export function writeLong(w: ByteWriter, v: number | bigint): void {
  throw new NotImplementedError(AVRO);
}

/** Reads a long: a `number` when |v| ≤ 2^53, else a `bigint`. */
export function readLong(r: ByteReader): number | bigint {
  throw new NotImplementedError(AVRO);
}

/** Reads an int: a zigzag varint whose value must fit 32 bits (else a `DecodeError`). */
export function readInt(r: ByteReader): number {
  throw new NotImplementedError(AVRO);
}

/**
 * Reads the blocks of an array or map, calling `readItem` once per item. Each block is a long
 * count, then that many items; a count of 0 ends. A negative count means its absolute value and
 * is followed by the block's size in bytes. A count that the bytes left cannot hold (at
 * `minItemBytes` each, or more than `MAX_ZERO_SIZE_ITEMS` items of a zero-size type) is a
 * `DecodeError` before any item is read.
 */
export function readBlocks(r: ByteReader, minItemBytes: number, readItem: () => void): void {
  throw new NotImplementedError(AVRO);
}

/** The fewest bytes any value of `t` can take: 0 for null, 4 for float, the sum for records… */
export function minEncodedSize(t: AvroType): number {
  throw new NotImplementedError(AVRO);
}
