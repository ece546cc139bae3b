import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { decodeProto, encodeProto } from '@impl/chapter03-encoding/protobuf.js';
import type { ProtoMessage, ProtoMessageType, ProtoValue } from '@impl/chapter03-encoding/protobuf-schema.js';
import { Person, exact, martin, protoAllTypes, protoValue } from './fixtures.js';

const NOTES = '3.2 Protocol Buffers';
const LONGS = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/** The same message types, built with protobufjs (the reference implementation in JavaScript). */
const built = new WeakMap<ProtoMessageType, protobuf.Type>();

function toProtobufjs(type: ProtoMessageType): protobuf.Type {
  let t = built.get(type);
  if (t === undefined) {
    t = define(type, new protobuf.Root());
    built.set(type, t);
  }
  return t;
}

function define(type: ProtoMessageType, root: protobuf.Root): protobuf.Type {
  const existing = root.lookup(type.name);
  if (existing instanceof protobuf.Type) return existing;
  const t = new protobuf.Type(type.name);
  root.add(t);
  for (const f of type.fields) {
    const typeName = typeof f.type === 'string' ? (f.type === 'enum' ? 'int32' : f.type) : define(f.type, root).name;
    t.add(new protobuf.Field(f.name, f.tag, typeName, f.repeated ? 'repeated' : 'optional', undefined, { packed: f.packed === true }));
  }
  return t;
}

/** Our value in the shape protobufjs's fromObject accepts: 64-bit values as decimal strings. */
function toPlain(type: ProtoMessageType, value: ProtoMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of type.fields) {
    const v = value[f.name];
    if (v === undefined) continue;
    const one = (x: ProtoValue): unknown =>
      typeof f.type !== 'string' ? toPlain(f.type, x as ProtoMessage) : typeof x === 'bigint' || LONGS.has(f.type) ? String(x) : x;
    out[f.name] = f.repeated ? (v as ProtoValue[]).map(one) : one(v);
  }
  return out;
}

/** protobufjs's decoded object in our shape: 64-bit values as numbers when exact, else bigints. */
function fromPlain(type: ProtoMessageType, plain: Record<string, unknown>): ProtoMessage {
  const out: Record<string, unknown> = {};
  for (const f of type.fields) {
    const v = plain[f.name];
    if (v === undefined) {
      if (f.repeated) out[f.name] = [];
      continue;
    }
    const one = (x: unknown): unknown =>
      typeof f.type !== 'string'
        ? fromPlain(f.type, x as Record<string, unknown>)
        : LONGS.has(f.type)
          ? exact(BigInt(x as string))
          : f.type === 'bytes'
            ? Uint8Array.from(x as Uint8Array)
            : x;
    out[f.name] = f.repeated ? (v as unknown[]).map(one) : one(v);
  }
  return out as ProtoMessage;
}

function theirDecode(type: ProtoMessageType, bytes: Uint8Array): ProtoMessage {
  const t = toProtobufjs(type);
  return fromPlain(type, t.toObject(t.decode(bytes), { longs: String, arrays: true, defaults: false }));
}

function theirEncode(type: ProtoMessageType, value: ProtoMessage): Uint8Array {
  const t = toProtobufjs(type);
  return t.encode(t.fromObject(toPlain(type, value))).finish();
}

describe('3.2 Protocol Buffers against protobufjs', () => {
  it("protobufjs reads our encoding of the book's record, and writes the same 33 bytes", () => {
    const ours = encodeProto(Person, martin);
    expect(theirDecode(Person, ours)).toEqual(martin);
    expect([...theirEncode(Person, martin)], because('both implement one wire format, so the bytes are identical', NOTES)).toEqual([...ours]);
  });

  it('protobufjs decodes what we encode, for random values of every supported type', () => {
    checkProperty(
      fc.property(protoValue(protoAllTypes), (value) => {
        expect(theirDecode(protoAllTypes, encodeProto(protoAllTypes, value)), because('our bytes must mean the same to the reference implementation', NOTES)).toEqual(value);
      }),
    );
  });

  it('we decode what protobufjs encodes, for random values of every supported type', () => {
    checkProperty(
      fc.property(protoValue(protoAllTypes), (value) => {
        expect(decodeProto(protoAllTypes, theirEncode(protoAllTypes, value)), because("the reference implementation's bytes must mean the same to us", NOTES)).toEqual(value);
      }),
    );
  });
});
