/**
 * Exercise 3.2: the Protocol Buffers wire format.
 *
 * A message is a sequence of fields, each `key value`, where the key is the varint
 * `(tag << 3) | wireType`. The wire type says how long the value is, so a decoder can skip a
 * field it does not know, which is what lets old and new programs exchange messages. The fields'
 * names never appear on the wire, only their tags.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { ProtoMessage, ProtoMessageType } from './protobuf-schema.js';

const PROTOBUF = { exercise: '3.2 Protocol Buffers', file: 'chapter03-encoding/protobuf.ts', section: '3.2 Protocol Buffers' };

/**
 * Encodes `message` as a `type`. Must make true:
 * - present fields are written in tag order, each as key then value; absent ones not at all;
 * - varint types (int32, int64, uint32, uint64, bool, enum) as varints, negative int32/int64
 *   sign-extended to 10 bytes; sint32/sint64 zigzagged; fixed32/sfixed32/float as 4
 *   little-endian bytes, fixed64/sfixed64/double as 8; string, bytes and nested messages as a
 *   varint length then the bytes;
 * - a repeated field writes one key per value, or, when `packed`, one length-delimited record
 *   holding all values (nothing at all when empty);
 * - raw bytes kept under `UNKNOWN_FIELDS` are appended unchanged;
 * - a value that does not fit its field throws an `EncodeError` whose path names it
 *   (`Person.interests[1]`).
 */
export function encodeProto(type: ProtoMessageType, message: ProtoMessage): Uint8Array {
  throw new NotImplementedError(PROTOBUF);
}

/**
 * Decodes a whole buffer as a `type`. Must make true:
 * - `decodeProto(t, encodeProto(t, m))` equals `m`, with repeated fields always present as arrays;
 * - 64-bit integers come back as numbers when |v| ≤ 2^53 and as bigints otherwise;
 * - a repeated number field accepts both the packed and the unpacked form;
 * - fields whose tags the type does not name are skipped by wire type and kept, key and value,
 *   under `UNKNOWN_FIELDS`, so that re-encoding writes them back;
 * - malformed input (truncation, a length past the end, a known field with the wrong wire type,
 *   tag 0, wire types 3, 4, 6, 7, invalid UTF-8 in a string) throws a `DecodeError` with the
 *   offset, and no allocation is ever sized by a length larger than the bytes left.
 */
export function decodeProto(type: ProtoMessageType, bytes: Uint8Array): ProtoMessage {
  throw new NotImplementedError(PROTOBUF);
}
