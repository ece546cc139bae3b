import { describe, expect, it } from 'vitest';
import { startsWith } from '../../shared/bytes.js';
import { DecodeError } from '../../shared/errors.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { encodeKey } from '../../shared/tuple-key.js';
import { decodeAvro } from '@impl/chapter03-encoding/avro-binary.js';
import { parseAvroSchema, type AvroSchemaJson } from '@impl/chapter03-encoding/avro-schema.js';
import { IncompatibleSchemaError, UnknownSchemaError } from '@impl/chapter03-encoding/errors.js';
import { SchemaRegistry, frameRecord, schemaFingerprint, unframeRecord } from '@impl/chapter03-encoding/schema-registry.js';
import { PersonAvro, martin } from './fixtures.js';

const NOTES = '3.6 A schema registry';
const parse = (json: AvroSchemaJson) => parseAvroSchema(json);

const v1 = parse({ type: 'record', name: 'User', fields: [{ name: 'id', type: 'long' }, { name: 'name', type: 'string' }] });
const v2 = parse({
  type: 'record',
  name: 'User',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
    { name: 'email', type: ['null', 'string'], default: null },
  ],
});
const breaking = parse({ type: 'record', name: 'User', fields: [{ name: 'id', type: 'string' }] });

function dump(kv: MemoryKV): string[] {
  return [...kv.scan()].map((e) => Buffer.from(e.key).toString('hex') + '=' + Buffer.from(e.value).toString('hex'));
}

describe('3.6 framing', () => {
  it("schema fingerprints are the Avro specification's CRC-64-AVRO", () => {
    // Fingerprints of the Parsing Canonical Form of primitive schemas, from the Avro test suite.
    expect(schemaFingerprint('"int"'), because('the fingerprint of "int"', NOTES)).toBe(0x7275d51a3f395c8fn);
    expect(schemaFingerprint('"string"')).toBe(0x8f014872634503c7n);
    expect(schemaFingerprint(''), because('the empty input gives the empty value', NOTES)).toBe(0xc15d213aa4d7a795n);
  });

  it('a framed record is 0x00, the id as 4 big-endian bytes, then the payload', () => {
    const framed = frameRecord(258, Uint8Array.of(7, 8));
    expect([...framed], because('magic byte, then id 258 = 00 00 01 02', NOTES)).toEqual([0, 0, 0, 1, 2, 7, 8]);
    const { schemaId, payload } = unframeRecord(framed);
    expect(schemaId).toBe(258);
    expect([...payload]).toEqual([7, 8]);
  });

  it('a wrong magic byte or a short frame is a DecodeError', () => {
    expect(() => unframeRecord(Uint8Array.of(1, 0, 0, 0, 1))).toThrow(DecodeError);
    expect(() => unframeRecord(Uint8Array.of(0, 0, 0))).toThrow(DecodeError);
  });
});

describe('3.6 a schema registry in the ordered key-value store', () => {
  it('versions count from 1 per subject; every distinct schema gets a new id', () => {
    const registry = new SchemaRegistry(new MemoryKV());
    const a = registry.register('users', v1);
    const b = registry.register('users', v2);
    expect([a.version, b.version]).toEqual([1, 2]);
    expect(a.id, because('distinct schemas get distinct ids', NOTES)).not.toBe(b.id);
    expect(registry.versions('users')).toEqual([1, 2]);
    expect(registry.latest('users')?.id).toBe(b.id);
    expect(registry.version('users', 1).id).toBe(a.id);
    expect(registry.latest('nobody')).toBeUndefined();
  });

  it('registering a schema the subject already has returns the existing version', () => {
    const registry = new SchemaRegistry(new MemoryKV());
    const first = registry.register('users', v1);
    const again = registry.register('users', parse({ type: 'record', name: 'User', fields: [{ name: 'id', type: 'long' }, { name: 'name', type: 'string' }] }));
    expect(again.version, because('registering is idempotent', NOTES)).toBe(1);
    expect(again.id).toBe(first.id);
    expect(registry.versions('users')).toEqual([1]);
  });

  it('the same schema under two subjects shares one id', () => {
    const registry = new SchemaRegistry(new MemoryKV());
    const a = registry.register('users', v1);
    const b = registry.register('archived-users', v1);
    expect(b.id, because('an id names a schema, not a subject', NOTES)).toBe(a.id);
    expect(b.version).toBe(1);
    expect(registry.subjects()).toEqual(['archived-users', 'users']);
  });

  it('an incompatible version is refused with the reason, and nothing is stored', () => {
    const kv = new MemoryKV();
    const registry = new SchemaRegistry(kv);
    registry.register('users', v1);
    const before = dump(kv);
    try {
      registry.register('users', breaking);
      expect.unreachable('the breaking schema must be refused');
    } catch (error) {
      expect(error, because('the default mode is BACKWARD and v3 cannot read v1 data', NOTES)).toBeInstanceOf(IncompatibleSchemaError);
      expect((error as IncompatibleSchemaError).explanation).toMatch(/User\.id/);
    }
    expect(dump(kv), because('a refused schema leaves the store untouched', NOTES)).toEqual(before);
    expect(registry.versions('users')).toEqual([1]);
  });

  it("each subject's mode decides: NONE accepts, FULL_TRANSITIVE checks both ways against all", () => {
    const registry = new SchemaRegistry(new MemoryKV());
    registry.register('users', v1);
    expect(registry.compatibility('users')).toBe('BACKWARD');
    registry.setCompatibility('users', 'NONE');
    expect(registry.register('users', breaking).version).toBe(2);
    registry.setCompatibility('other', 'FULL_TRANSITIVE');
    registry.register('other', v2);
    const noDefault = parse({ type: 'record', name: 'User', fields: [{ name: 'id', type: 'long' }, { name: 'name', type: 'string' }, { name: 'age', type: 'int' }] });
    expect(() => registry.register('other', noDefault)).toThrow(IncompatibleSchemaError);
  });

  it('all state lives in the store: a new registry over the same store sees it, and ids continue', () => {
    const kv = new MemoryKV();
    const first = new SchemaRegistry(kv);
    const a = first.register('users', v1);
    first.setCompatibility('users', 'FULL');
    const second = new SchemaRegistry(kv);
    expect(second.versions('users')).toEqual([1]);
    expect(second.compatibility('users')).toBe('FULL');
    expect(second.schemaById(a.id)).toEqual(v1);
    const b = second.register('users', v2);
    expect(b.id, because('ids are never reused', NOTES)).toBeGreaterThan(a.id);
  });

  it("every key lives under the tuple prefix ['schema-registry'], so the registry can share a store", () => {
    const kv = new MemoryKV();
    kv.put(encodeKey(['users', 1]), Uint8Array.of(1));
    const registry = new SchemaRegistry(kv);
    registry.register('users', v1);
    registry.setCompatibility('users', 'FULL');
    const prefix = encodeKey(['schema-registry']);
    const keys = [...kv.scan()].map((e) => e.key).filter((k) => !startsWith(k, encodeKey(['users'])));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(startsWith(key, prefix), because('registry keys are tuples that start with "schema-registry"', NOTES)).toBe(true);
  });

  it('unknown ids and versions are UnknownSchemaErrors', () => {
    const registry = new SchemaRegistry(new MemoryKV());
    registry.register('users', v1);
    expect(() => registry.schemaById(999)).toThrow(UnknownSchemaError);
    expect(() => registry.version('users', 2)).toThrow(UnknownSchemaError);
    expect(() => registry.decode(frameRecord(999, new Uint8Array(0)))).toThrow(UnknownSchemaError);
  });
});

describe('3.6 records framed with their schema id', () => {
  it("old and new records both read with the newest reader's schema", () => {
    const registry = new SchemaRegistry(new MemoryKV());
    registry.register('users', v1);
    const oldRecord = registry.encode('users', { id: 1, name: 'Ada' });
    registry.register('users', v2);
    const newRecord = registry.encode('users', { id: 2, name: 'Grace', email: 'grace@example.org' });
    expect(unframeRecord(oldRecord).schemaId).not.toBe(unframeRecord(newRecord).schemaId);
    expect(registry.decode(oldRecord, v2), because("the old record's id finds v1; v1 resolves to v2 with email's default", NOTES)).toEqual({ id: 1, name: 'Ada', email: null });
    expect(registry.decode(newRecord, v2)).toEqual({ id: 2, name: 'Grace', email: 'grace@example.org' });
    expect(registry.decode(newRecord, v1), because('an old reader reads the new record, skipping email', NOTES)).toEqual({ id: 2, name: 'Grace' });
    expect(registry.decode(oldRecord), because("without a reader's schema, a record decodes with its writer's", NOTES)).toEqual({ id: 1, name: 'Ada' });
  });

  it("a framed record is the Avro encoding behind a 5-byte header: the book's record takes 37 bytes", () => {
    const registry = new SchemaRegistry(new MemoryKV());
    const person = parse(PersonAvro);
    const { id } = registry.register('people', person);
    const framed = registry.encode('people', martin);
    expect(framed.length, because('5 bytes of header plus the 32-byte record', NOTES)).toBe(37);
    expect(decodeAvro(registry.schemaById(id), framed.subarray(5))).toEqual(martin);
  });
});
