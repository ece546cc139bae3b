/**
 * A small description of Protocol Buffers messages, the subset this chapter encodes: scalar
 * fields, nested messages, repeated fields (packed or not). Given code, identical in `chapters/`
 * and `solutions/`.
 *
 * It stands in for a `.proto` file. The book's example,
 *
 * ```text
 * message Person {
 *   required string user_name       = 1;
 *   optional int64  favorite_number = 2;
 *   repeated string interests       = 3;
 * }
 * ```
 *
 * is written
 *
 * ```ts
 * const Person = protoMessage('Person', [
 *   { name: 'userName', tag: 1, type: 'string' },
 *   { name: 'favoriteNumber', tag: 2, type: 'int64' },
 *   { name: 'interests', tag: 3, type: 'string', repeated: true },
 * ]);
 * ```
 * @module
 */

import { SchemaError } from './errors.js';

/** The scalar types of the wire format. `enum` values are written like `int32`. */
export type ProtoScalarType =
  | 'int32'
  | 'int64'
  | 'uint32'
  | 'uint64'
  | 'sint32'
  | 'sint64'
  | 'bool'
  | 'enum'
  | 'fixed32'
  | 'sfixed32'
  | 'fixed64'
  | 'sfixed64'
  | 'float'
  | 'double'
  | 'string'
  | 'bytes';

/** One field of a message. */
export interface ProtoField {
  /** The name the field has in a decoded object. */
  readonly name: string;
  /** The field number, 1 to 2^29 − 1 (19000–19999 are reserved by Protocol Buffers). */
  readonly tag: number;
  /** A scalar type, or a nested message. */
  readonly type: ProtoScalarType | ProtoMessageType;
  /** Zero or more values; decoded as an array. */
  readonly repeated?: boolean;
  /** For repeated numeric fields: all values in one length-delimited record. */
  readonly packed?: boolean;
}

/** A message type: a name and its fields. */
export interface ProtoMessageType {
  readonly kind: 'message';
  readonly name: string;
  readonly fields: readonly ProtoField[];
}

/** A decoded field value. 64-bit integers are numbers when exact (|v| ≤ 2^53), else bigints. */
export type ProtoValue = number | bigint | boolean | string | Uint8Array | ProtoMessage | readonly ProtoValue[];

/**
 * A message value: one property per present field; repeated fields are arrays. Fields the
 * decoder did not know are kept, as their raw bytes, under {@link UNKNOWN_FIELDS}.
 */
export interface ProtoMessage {
  readonly [field: string]: ProtoValue | undefined;
}

/**
 * The property under which a decoded message keeps the raw bytes (tag and value) of every field
 * its schema does not name, in arrival order; re-encoding writes them back unchanged. No field
 * name can start with `$`, so it never collides with one.
 */
export const UNKNOWN_FIELDS = '$unknown';

/** The wire types: how a decoder knows the length of a field it does not understand. */
export const WireType = {
  /** A varint: int32, int64, uint32, uint64, sint32, sint64, bool, enum. */
  varint: 0,
  /** Eight little-endian bytes: fixed64, sfixed64, double. */
  i64: 1,
  /** A varint length, then that many bytes: string, bytes, messages, packed repeated fields. */
  len: 2,
  /** Start and end of a group (deprecated; not supported here). */
  startGroup: 3,
  endGroup: 4,
  /** Four little-endian bytes: fixed32, sfixed32, float. */
  i32: 5,
} as const;

/** The wire type a field of this type is written with (when not packed). */
export function wireTypeOf(type: ProtoScalarType | ProtoMessageType): number {
  if (typeof type !== 'string') return WireType.len;
  switch (type) {
    case 'fixed64':
    case 'sfixed64':
    case 'double':
      return WireType.i64;
    case 'fixed32':
    case 'sfixed32':
    case 'float':
      return WireType.i32;
    case 'string':
    case 'bytes':
      return WireType.len;
    default:
      return WireType.varint;
  }
}

/** True for types that may be packed: every scalar except strings and bytes. */
export function isPackable(type: ProtoScalarType | ProtoMessageType): boolean {
  return typeof type === 'string' && type !== 'string' && type !== 'bytes';
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_TAG = 2 ** 29 - 1;

/** Builds a message type, checking names, tags and packing. Throws a `SchemaError`. */
export function protoMessage(name: string, fields: readonly ProtoField[]): ProtoMessageType {
  const tags = new Set<number>();
  const names = new Set<string>();
  for (const field of fields) {
    const path = `${name}.${field.name}`;
    if (!NAME.test(field.name)) throw new SchemaError(path, 'a field name is a letter or _ then letters, digits or _');
    if (names.has(field.name)) throw new SchemaError(path, 'two fields have this name');
    if (!Number.isInteger(field.tag) || field.tag < 1 || field.tag > MAX_TAG) {
      throw new SchemaError(path, `tag ${field.tag} is not in 1..2^29-1`);
    }
    if (field.tag >= 19000 && field.tag <= 19999) throw new SchemaError(path, `tags 19000-19999 are reserved`);
    if (tags.has(field.tag)) throw new SchemaError(path, `tag ${field.tag} is used twice`);
    if (field.packed && !(field.repeated && isPackable(field.type))) {
      throw new SchemaError(path, 'only repeated numeric fields can be packed');
    }
    tags.add(field.tag);
    names.add(field.name);
  }
  return { kind: 'message', name, fields: [...fields].sort((a, b) => a.tag - b.tag) };
}
