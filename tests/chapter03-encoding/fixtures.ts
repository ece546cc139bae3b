/**
 * Schemas and value generators shared by the chapter's tests. The schemas are the ones the
 * notes show.
 */

import fc from 'fast-check';
import {
  protoMessage,
  type ProtoField,
  type ProtoMessage,
  type ProtoMessageType,
  type ProtoScalarType,
  type ProtoValue,
} from '@impl/chapter03-encoding/protobuf-schema.js';

/** The book's example as a Protocol Buffers message. */
export const Person = protoMessage('Person', [
  { name: 'userName', tag: 1, type: 'string' },
  { name: 'favoriteNumber', tag: 2, type: 'int64' },
  { name: 'interests', tag: 3, type: 'string', repeated: true },
]);

/** The book's example as an Avro record. */
export const PersonAvro = {
  type: 'record',
  name: 'Person',
  fields: [
    { name: 'userName', type: 'string' },
    { name: 'favoriteNumber', type: ['null', 'long'], default: null },
    { name: 'interests', type: { type: 'array', items: 'string' } },
  ],
} as const;

/** The record itself. */
export const martin = { userName: 'Martin', favoriteNumber: 1337, interests: ['daydreaming', 'hacking'] };

/** 64-bit integers as the codecs return them: numbers when |v| <= 2^53, bigints beyond. */
export function exact(v: bigint): number | bigint {
  return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
}

const scalarTypes: readonly ProtoScalarType[] = [
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'bool',
  'enum',
  'fixed32',
  'sfixed32',
  'fixed64',
  'sfixed64',
  'float',
  'double',
  'string',
  'bytes',
];

const Inner = protoMessage('Inner', [
  { name: 'label', tag: 1, type: 'string' },
  { name: 'count', tag: 2, type: 'sint64' },
]);

/** One optional field of every scalar type, a nested message, packed and unpacked repeats. */
export const protoAllTypes: ProtoMessageType = protoMessage('AllTypes', [
  ...scalarTypes.map((type, i): ProtoField => ({ name: `f_${type}`, tag: i + 1, type })),
  { name: 'inner', tag: 20, type: Inner },
  { name: 'packedInts', tag: 21, type: 'sint32', repeated: true, packed: true },
  { name: 'unpackedDoubles', tag: 22, type: 'double', repeated: true },
  { name: 'packedFixed64', tag: 23, type: 'fixed64', repeated: true, packed: true },
  { name: 'names', tag: 24, type: 'string', repeated: true },
  { name: 'inners', tag: 25, type: Inner, repeated: true },
  { name: 'bigTag', tag: 100000, type: 'uint32' },
]);

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(exact);
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(exact);

/** A generator of valid values of one scalar type. */
export function protoScalar(type: ProtoScalarType): fc.Arbitrary<ProtoValue> {
  switch (type) {
    case 'int32':
    case 'sint32':
    case 'sfixed32':
    case 'enum':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'uint32':
    case 'fixed32':
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return fc.oneof(int64, fc.integer({ min: -1000, max: 1000 }));
    case 'uint64':
    case 'fixed64':
      return fc.oneof(uint64, fc.nat(1000));
    case 'bool':
      return fc.boolean();
    case 'float':
      return fc.float({ noNaN: true });
    case 'double':
      return fc.double({ noNaN: true });
    case 'string':
      return fc.string({ unit: 'grapheme', maxLength: 40 });
    case 'bytes':
      return fc.uint8Array({ maxLength: 40 });
  }
}

/** A generator of valid messages of `type`: optional fields present or absent, arrays always. */
export function protoValue(type: ProtoMessageType, depth = 0): fc.Arbitrary<ProtoMessage> {
  const fields: Record<string, fc.Arbitrary<ProtoValue>> = {};
  const required: string[] = [];
  for (const field of type.fields) {
    const one: fc.Arbitrary<ProtoValue> =
      typeof field.type === 'string' ? protoScalar(field.type) : depth > 2 ? fc.constant({}) : protoValue(field.type, depth + 1);
    if (field.repeated) {
      fields[field.name] = fc.array(one, { maxLength: 4 });
      required.push(field.name);
    } else {
      fields[field.name] = one;
    }
  }
  return fc.record(fields, { requiredKeys: required as never[] }) as fc.Arbitrary<ProtoMessage>;
}

/** An Avro schema with every type: primitives, enum, fixed, array, map, unions, nested record. */
export const avroAllTypesJson = {
  type: 'record',
  name: 'AllTypes',
  namespace: 'org.example',
  fields: [
    { name: 'aNull', type: 'null' },
    { name: 'aBoolean', type: 'boolean' },
    { name: 'anInt', type: 'int' },
    { name: 'aLong', type: 'long' },
    { name: 'aFloat', type: 'float' },
    { name: 'aDouble', type: 'double' },
    { name: 'someBytes', type: 'bytes' },
    { name: 'aString', type: 'string' },
    { name: 'aColor', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN', 'BLUE'] } },
    { name: 'anId', type: { type: 'fixed', name: 'Id', size: 4 } },
    { name: 'numbers', type: { type: 'array', items: 'long' } },
    { name: 'scores', type: { type: 'map', values: 'double' } },
    { name: 'maybeText', type: ['null', 'string'] },
    { name: 'choice', type: ['int', 'string', { type: 'record', name: 'Point', fields: [{ name: 'x', type: 'int' }, { name: 'y', type: 'int' }] }] },
    { name: 'points', type: { type: 'array', items: 'Point' } },
    { name: 'colors', type: { type: 'map', values: 'Color' } },
  ],
} as const;

const mapKey = fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__');
// avsc zigzags longs in doubles, which is exact only up to 2^52 in magnitude (it writes
// -(2^52 + 1) as +2^52), so values shared with avsc stay within that range.
const safeLong = fc.oneof(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), fc.integer({ min: -1000, max: 1000 }));
const point = fc.record({ x: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), y: fc.integer({ min: -100, max: 100 }) });

/**
 * Values of `avroAllTypesJson`. Longs stay within ±2^52, where avsc is exact; the codec's own
 * tests cover the rest of the range and bigints.
 */
export const avroAllTypesValue = fc.record({
  aNull: fc.constant(null),
  aBoolean: fc.boolean(),
  anInt: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  aLong: safeLong,
  aFloat: fc.float({ noNaN: true }),
  aDouble: fc.double({ noNaN: true }),
  someBytes: fc.uint8Array({ maxLength: 20 }),
  aString: fc.string({ unit: 'grapheme', maxLength: 30 }),
  aColor: fc.constantFrom('RED', 'GREEN', 'BLUE'),
  anId: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  numbers: fc.array(safeLong, { maxLength: 5 }),
  scores: fc.array(fc.tuple(mapKey, fc.double({ noNaN: true })), { maxLength: 4 }).map((e) => new Map(e)),
  maybeText: fc.option(fc.string({ maxLength: 10 }), { nil: null }),
  choice: fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.string({ maxLength: 10 }), point),
  points: fc.array(point, { maxLength: 3 }),
  colors: fc.array(fc.tuple(mapKey, fc.constantFrom('RED', 'GREEN', 'BLUE')), { maxLength: 3 }).map((e) => new Map(e)),
});
