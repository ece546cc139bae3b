import avro from 'avsc';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { decodeAvro, encodeAvro } from '@impl/chapter03-encoding/avro-binary.js';
import { parseAvroSchema, type AvroType, type AvroValue } from '@impl/chapter03-encoding/avro-schema.js';
import { PersonAvro, avroAllTypesJson, avroAllTypesValue, martin } from './fixtures.js';

const NOTES = '3.3 Avro binary encoding';

/** Our value in avsc's shape: maps as plain objects, bytes as Buffers. */
export function toAvsc(t: AvroType, v: AvroValue): unknown {
  switch (t.type) {
    case 'bytes':
    case 'fixed':
      return Buffer.from(v as Uint8Array);
    case 'array':
      return (v as AvroValue[]).map((x) => toAvsc(t.items, x));
    case 'map':
      return Object.fromEntries([...(v as Map<string, AvroValue>)].map(([k, x]) => [k, toAvsc(t.values, x)]));
    case 'record':
      return Object.fromEntries(t.fields.map((f) => [f.name, toAvsc(f.type, (v as Record<string, AvroValue>)[f.name]!)]));
    case 'union': {
      const b = t.branches.find((branch) => matchesShape(branch, v));
      return b === undefined ? v : toAvsc(b, v);
    }
    default:
      return v;
  }
}

/** avsc's value in our shape. */
export function fromAvsc(t: AvroType, v: unknown): AvroValue {
  switch (t.type) {
    case 'bytes':
    case 'fixed':
      return Uint8Array.from(v as Buffer);
    case 'array':
      return (v as unknown[]).map((x) => fromAvsc(t.items, x));
    case 'map':
      return new Map(Object.entries(v as object).map(([k, x]) => [k, fromAvsc(t.values, x)]));
    case 'record':
      return Object.fromEntries(t.fields.map((f) => [f.name, fromAvsc(f.type, (v as Record<string, unknown>)[f.name])]));
    case 'union': {
      const b = t.branches.find((branch) => matchesShape(branch, v as AvroValue));
      return b === undefined ? (v as AvroValue) : fromAvsc(b, v);
    }
    default:
      return v as AvroValue;
  }
}

function matchesShape(t: AvroType, v: AvroValue): boolean {
  switch (t.type) {
    case 'null':
      return v === null;
    case 'int':
    case 'long':
      return typeof v === 'number' && Number.isInteger(v);
    case 'string':
      return typeof v === 'string';
    case 'record':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return false;
  }
}

describe('3.3 Avro against avsc', () => {
  it("avsc reads our encoding of the book's record, and writes the same 32 bytes", () => {
    const ours = parseAvroSchema(PersonAvro);
    const theirs = avro.Type.forSchema(PersonAvro as unknown as avro.Schema);
    const bytes = encodeAvro(ours, martin);
    expect(theirs.fromBuffer(Buffer.from(bytes))).toEqual(martin);
    expect([...theirs.toBuffer(martin)], because('both implement one encoding, so the bytes are identical', NOTES)).toEqual([...bytes]);
  });

  const ours = parseAvroSchema(avroAllTypesJson);
  const theirs = avro.Type.forSchema(avroAllTypesJson as unknown as avro.Schema, { wrapUnions: false });

  it('avsc decodes what we encode, for random values of every supported type', () => {
    checkProperty(
      fc.property(avroAllTypesValue, (value) => {
        const decoded = fromAvsc(ours, theirs.fromBuffer(Buffer.from(encodeAvro(ours, value))));
        expect(decoded, because('our bytes must mean the same to avsc', NOTES)).toEqual(value);
      }),
    );
  });

  it('we decode what avsc encodes, for random values of every supported type', () => {
    checkProperty(
      fc.property(avroAllTypesValue, (value) => {
        const bytes = theirs.toBuffer(toAvsc(ours, value));
        expect(decodeAvro(ours, bytes), because("avsc's bytes must mean the same to us", NOTES)).toEqual(value);
      }),
    );
  });
});
