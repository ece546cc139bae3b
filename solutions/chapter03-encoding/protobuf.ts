/**
 * Exercise 3.2: the Protocol Buffers wire format.
 *
 * A message is a sequence of fields, each `key value`, where the key is the varint
 * `(tag << 3) | wireType`. The wire type says how long the value is, so a decoder can skip a
 * field it does not know, which is what lets old and new programs exchange messages. The fields'
 * names never appear on the wire, only their tags.
 * @module
 */

import { DecodeError } from '../../shared/errors.js';
import { ByteReader, ByteWriter } from './byte-io.js';
import { EncodeError } from './errors.js';
import {
  UNKNOWN_FIELDS,
  WireType,
  isPackable,
  wireTypeOf,
  type ProtoField,
  type ProtoMessage,
  type ProtoMessageType,
  type ProtoScalarType,
  type ProtoValue,
} from './protobuf-schema.js';
import {
  readVarint,
  readVarint32,
  writeVarint,
  writeVarintBig,
  zigzagDecode,
  zigzagDecodeBig,
  zigzagEncode,
  zigzagEncodeBig,
} from './varint.js';

/** Encodes `message` as a `type`: known fields in tag order, then any unknown fields kept. */
export function encodeProto(type: ProtoMessageType, message: ProtoMessage): Uint8Array {
  const w = scratch;
  w.pos = 0; // the scratch buffer is reused across calls; finish() hands out a copy
  writeMessage(w, type, message, type.name);
  return w.finish();
}

// One writer for every encodeProto call: allocating a fresh buffer per record costs more than
// encoding a small record. Safe because encoding never calls back into encodeProto.
const scratch = new ByteWriter(1024);

/**
 * Decodes a whole buffer as a `type`. Repeated fields are always arrays (empty when absent);
 * other absent fields are absent. Fields with tags the type does not name are kept under
 * `UNKNOWN_FIELDS`. Malformed input raises a `DecodeError` with the offset.
 */
export function decodeProto(type: ProtoMessageType, bytes: Uint8Array): ProtoMessage {
  const r = new ByteReader(bytes);
  return readMessage(r, type, bytes.length);
}

// ---------------------------------------------------------------- encoding

/** What the encoder needs about a field, worked out once per message type. */
interface FieldPlan {
  readonly field: ProtoField;
  readonly name: string;
  /** The key, `(tag << 3) | wireType`, for an unpacked value. */
  readonly key: number;
  /** The key of the one length-delimited record of a packed field. */
  readonly packedKey: number;
}

const plans = new WeakMap<ProtoMessageType, readonly FieldPlan[]>();

function planOf(type: ProtoMessageType): readonly FieldPlan[] {
  let plan = plans.get(type);
  if (plan === undefined) {
    // tag < 2^29, so a key fits in 32 bits; multiply rather than shift to stay unsigned.
    plan = type.fields.map((f) => ({ field: f, name: f.name, key: f.tag * 8 + wireTypeOf(f.type), packedKey: f.tag * 8 + WireType.len }));
    plans.set(type, plan);
  }
  return plan;
}

function writeMessage(w: ByteWriter, type: ProtoMessageType, message: ProtoMessage, path: string): void {
  if (typeof message !== 'object' || message === null) throw new EncodeError(path, 'expected a message object');
  const plan = planOf(type);
  for (let f = 0; f < plan.length; f++) {
    const { field, name, key } = plan[f]!;
    const value = message[name];
    if (value === undefined || value === null) continue;
    if (!field.repeated) {
      writeVarint(w, key);
      writeValue(w, field.type, value, path, name, -1);
      continue;
    }
    if (!Array.isArray(value)) throw new EncodeError(`${path}.${name}`, 'a repeated field needs an array');
    const items = value as readonly ProtoValue[];
    if (field.packed) {
      if (items.length === 0) continue; // an empty packed field is not written at all
      writeVarint(w, plan[f]!.packedKey);
      const scalar = field.type as ProtoScalarType;
      const lengthAt = beginDelimited(w);
      for (let i = 0; i < items.length; i++) writeScalar(w, scalar, items[i]!, path, name, i);
      endDelimited(w, lengthAt);
      continue;
    }
    for (let i = 0; i < items.length; i++) {
      writeVarint(w, key);
      writeValue(w, field.type, items[i]!, path, name, i);
    }
  }
  const unknown = message[UNKNOWN_FIELDS];
  if (unknown instanceof Uint8Array) w.bytes(unknown);
}

/**
 * Where a value sits, for error messages: `Person.interests[1]`. Built only when an error is
 * thrown, so that encoding allocates no path strings.
 */
function at(path: string, field: string, index: number): string {
  return index < 0 ? `${path}.${field}` : `${path}.${field}[${index}]`;
}

function writeValue(
  w: ByteWriter,
  type: ProtoScalarType | ProtoMessageType,
  value: ProtoValue,
  path: string,
  field: string,
  index: number,
): void {
  if (typeof type === 'string') {
    writeScalar(w, type, value, path, field, index);
    return;
  }
  const lengthAt = beginDelimited(w);
  writeMessage(w, type, value as ProtoMessage, at(path, field, index));
  endDelimited(w, lengthAt);
}

/**
 * A length-delimited value is written in three steps: reserve one byte for the length, write the
 * body, then fill the length in. If the body turned out longer than 127 bytes it is moved up to
 * make room for the longer varint; short bodies, the common case, are never copied.
 */
function beginDelimited(w: ByteWriter): number {
  w.ensure(1);
  return w.pos++;
}

function endDelimited(w: ByteWriter, lengthAt: number): void {
  const length = w.pos - lengthAt - 1;
  if (length < 0x80) {
    w.buf[lengthAt] = length;
    return;
  }
  let extra = 0;
  for (let rest = length >>> 7; rest > 0; rest >>>= 7) extra++;
  w.ensure(extra);
  w.buf.copyWithin(lengthAt + 1 + extra, lengthAt + 1, w.pos);
  const end = w.pos + extra;
  w.pos = lengthAt;
  writeVarint(w, length);
  w.pos = end;
}

function writeScalar(w: ByteWriter, type: ProtoScalarType, value: ProtoValue, path: string, field: string, index: number): void {
  switch (type) {
    case 'int32':
    case 'enum': {
      const v = int32(value, path, field, index);
      if (v >= 0) writeVarint(w, v);
      else writeVarintBig(w, BigInt.asUintN(64, BigInt(v))); // sign-extended: always 10 bytes
      return;
    }
    case 'uint32':
      writeVarint(w, uint32(value, path, field, index));
      return;
    case 'sint32':
      writeVarint(w, zigzagEncode(int32(value, path, field, index)));
      return;
    case 'int64': {
      const v = int64(value, path, field, index);
      if (typeof v === 'number' && v >= 0) writeVarint(w, v);
      else writeVarintBig(w, BigInt.asUintN(64, BigInt(v)));
      return;
    }
    case 'uint64': {
      const v = uint64(value, path, field, index);
      if (typeof v === 'number') writeVarint(w, v);
      else writeVarintBig(w, v);
      return;
    }
    case 'sint64': {
      const v = int64(value, path, field, index);
      if (typeof v === 'number' && Math.abs(v) <= 2 ** 52) writeVarint(w, zigzagEncode(v));
      else writeVarintBig(w, zigzagEncodeBig(BigInt(v)));
      return;
    }
    case 'bool':
      if (typeof value !== 'boolean') throw new EncodeError(at(path, field, index), `expected a boolean, got ${show(value)}`);
      w.byte(value ? 1 : 0);
      return;
    case 'fixed32':
      w.uint32LE(uint32(value, path, field, index));
      return;
    case 'sfixed32':
      w.uint32LE(int32(value, path, field, index) >>> 0);
      return;
    case 'fixed64':
      w.uint64LE(BigInt(uint64(value, path, field, index)));
      return;
    case 'sfixed64':
      w.uint64LE(BigInt(int64(value, path, field, index)));
      return;
    case 'float':
      w.float32(number(value, path, field, index));
      return;
    case 'double':
      w.float64(number(value, path, field, index));
      return;
    case 'string': {
      if (typeof value !== 'string') throw new EncodeError(at(path, field, index), `expected a string, got ${show(value)}`);
      const lengthAt = beginDelimited(w);
      w.utf8(value);
      endDelimited(w, lengthAt);
      return;
    }
    case 'bytes': {
      if (!(value instanceof Uint8Array)) throw new EncodeError(at(path, field, index), `expected a Uint8Array, got ${show(value)}`);
      writeVarint(w, value.length);
      w.bytes(value);
      return;
    }
  }
}

function number(value: ProtoValue, path: string, field: string, index: number): number {
  if (typeof value !== 'number') throw new EncodeError(at(path, field, index), `expected a number, got ${show(value)}`);
  return value;
}

function int32(value: ProtoValue, path: string, field: string, index: number): number {
  if (typeof value !== 'number' || (value | 0) !== value) {
    throw new EncodeError(at(path, field, index), `expected a 32-bit signed integer, got ${show(value)}`);
  }
  return value;
}

function uint32(value: ProtoValue, path: string, field: string, index: number): number {
  if (typeof value !== 'number' || value >>> 0 !== value) {
    throw new EncodeError(at(path, field, index), `expected a 32-bit unsigned integer, got ${show(value)}`);
  }
  return value;
}

function int64(value: ProtoValue, path: string, field: string, index: number): number | bigint {
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 53) return value;
  if (typeof value === 'bigint' && value >= -(2n ** 63n) && value < 2n ** 63n) return value;
  throw new EncodeError(at(path, field, index), `expected a 64-bit signed integer (a bigint beyond 2^53), got ${show(value)}`);
}

function uint64(value: ProtoValue, path: string, field: string, index: number): number | bigint {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 2 ** 53) return value;
  if (typeof value === 'bigint' && value >= 0n && value < 2n ** 64n) return value;
  throw new EncodeError(at(path, field, index), `expected a 64-bit unsigned integer (a bigint beyond 2^53), got ${show(value)}`);
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (Array.isArray(value)) return 'an array';
  return String(value);
}

// ---------------------------------------------------------------- decoding

/** What the decoder needs about a field, worked out once per message type. */
interface FieldInfo {
  readonly field: ProtoField;
  readonly name: string;
  readonly wire: number;
  readonly repeated: boolean;
  readonly packable: boolean;
  /** The scalar type, or `undefined` for a nested message. */
  readonly scalar: ProtoScalarType | undefined;
}

/** Fields by tag (a dense array when tags are small, the usual case, else a map). */
interface Decoder {
  readonly dense: ReadonlyArray<FieldInfo | undefined> | undefined;
  readonly sparse: ReadonlyMap<number, FieldInfo> | undefined;
  readonly repeatedNames: readonly string[];
}

const decoders = new WeakMap<ProtoMessageType, Decoder>();

function decoderOf(type: ProtoMessageType): Decoder {
  let found = decoders.get(type);
  if (found === undefined) {
    const infos = type.fields.map(
      (f): FieldInfo => ({
        field: f,
        name: f.name,
        wire: wireTypeOf(f.type),
        repeated: f.repeated === true,
        packable: f.repeated === true && isPackable(f.type),
        scalar: typeof f.type === 'string' ? f.type : undefined,
      }),
    );
    const maxTag = type.fields.reduce((m, f) => Math.max(m, f.tag), 0);
    let dense: Array<FieldInfo | undefined> | undefined;
    let sparse: Map<number, FieldInfo> | undefined;
    if (maxTag <= 256) {
      dense = new Array<FieldInfo | undefined>(maxTag + 1).fill(undefined);
      for (const info of infos) dense[info.field.tag] = info;
    } else {
      sparse = new Map(infos.map((info) => [info.field.tag, info]));
    }
    found = { dense, sparse, repeatedNames: infos.filter((i) => i.repeated).map((i) => i.name) };
    decoders.set(type, found);
  }
  return found;
}

function readMessage(r: ByteReader, type: ProtoMessageType, end: number, into?: Record<string, unknown>): ProtoMessage {
  const out: Record<string, unknown> = into ?? {};
  const decoder = decoderOf(type);
  if (into === undefined) for (const name of decoder.repeatedNames) out[name] = [];
  let unknown: ByteWriter | undefined;
  while (r.pos < end) {
    const keyAt = r.pos;
    const key = readVarint32(r);
    const tag = key >>> 3;
    const wire = key & 7;
    if (tag === 0) throw new DecodeError(keyAt, 'a field key with a tag of at least 1', 'found tag 0');
    const info = decoder.dense !== undefined ? decoder.dense[tag] : decoder.sparse!.get(tag);
    if (info === undefined) {
      skipField(r, wire, keyAt, end);
      unknown ??= new ByteWriter(32);
      unknown.bytes(r.buf.subarray(keyAt, r.pos));
      continue;
    }
    if (info.packable && wire === WireType.len) {
      // Packed (or a packed writer talking to an unpacked reader): accept both, as the spec asks.
      const length = readLength(r, end);
      const stop = r.pos + length;
      const list = out[info.name] as ProtoValue[];
      while (r.pos < stop) list.push(readScalar(r, info.scalar!, stop));
      if (r.pos !== stop) throw new DecodeError(r.pos, 'the end of a packed field', 'its last value runs past it');
      continue;
    }
    if (wire !== info.wire) {
      throw new DecodeError(keyAt, `wire type ${info.wire} for field ${tag} (${info.name})`, `found wire type ${wire}`);
    }
    let value: ProtoValue;
    if (info.scalar !== undefined) {
      value = readScalar(r, info.scalar, end);
    } else {
      const length = readLength(r, end);
      const existing = info.repeated ? undefined : out[info.name];
      // A message field that appears twice is merged, as the spec says; a scalar's last value wins.
      const target = typeof existing === 'object' && existing !== null ? (existing as Record<string, unknown>) : undefined;
      value = readMessage(r, info.field.type as ProtoMessageType, r.pos + length, target);
    }
    if (info.repeated) (out[info.name] as ProtoValue[]).push(value);
    else out[info.name] = value;
  }
  if (r.pos !== end) throw new DecodeError(end, 'a message that ends at its length', 'its last field runs past it');
  if (unknown !== undefined) {
    const kept = out[UNKNOWN_FIELDS];
    const add = unknown.finish();
    out[UNKNOWN_FIELDS] = kept instanceof Uint8Array ? concat(kept, add) : add;
  }
  return out as ProtoMessage;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** A length prefix, checked against the bytes left before `end`. */
function readLength(r: ByteReader, end: number): number {
  const at = r.pos;
  const length = readVarint(r);
  if (typeof length !== 'number' || length > end - r.pos) {
    throw new DecodeError(at, 'a length within the remaining input', `length ${length}, ${end - r.pos} byte(s) left`);
  }
  return length;
}

function skipField(r: ByteReader, wire: number, keyAt: number, end: number): void {
  switch (wire) {
    case WireType.varint:
      readVarint(r);
      return;
    case WireType.i64:
      r.skip(8, 'an 8-byte field');
      return;
    case WireType.i32:
      r.skip(4, 'a 4-byte field');
      return;
    case WireType.len:
      r.skip(readLength(r, end), 'a length-delimited field');
      return;
    default:
      throw new DecodeError(keyAt, 'wire type 0, 1, 2 or 5', `found wire type ${wire}`);
  }
}

function readScalar(r: ByteReader, type: ProtoScalarType, end: number): ProtoValue {
  switch (type) {
    case 'int32':
    case 'enum':
      return readVarint32(r) | 0;
    case 'uint32':
      return readVarint32(r);
    case 'sint32':
      return zigzagDecode(readVarint32(r));
    case 'int64': {
      const v = readVarint(r);
      return typeof v === 'number' ? v : exact(BigInt.asIntN(64, v));
    }
    case 'uint64':
      return readVarint(r);
    case 'sint64': {
      const v = readVarint(r);
      return typeof v === 'number' ? zigzagDecode(v) : exact(zigzagDecodeBig(v));
    }
    case 'bool':
      return readVarint32(r) !== 0;
    case 'fixed32':
      return r.uint32LE();
    case 'sfixed32':
      return r.uint32LE() | 0;
    case 'fixed64':
      return exact(r.uint64LE());
    case 'sfixed64':
      return exact(BigInt.asIntN(64, r.uint64LE()));
    case 'float':
      return r.float32();
    case 'double':
      return r.float64();
    case 'string':
      return r.utf8(readLength(r, end));
    case 'bytes':
      return r.bytes(readLength(r, end), 'the bytes of a bytes field');
  }
}

/** 64-bit integers decode to numbers when exact in a double, else to bigints. */
function exact(v: bigint): number | bigint {
  return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
}
