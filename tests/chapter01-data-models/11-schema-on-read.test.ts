import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { readDocument, type DocSchema } from '@impl/chapter01-data-models/document-schema.js';
import { DocumentStore } from '@impl/chapter01-data-models/document-store.js';
import { DocumentSchemaError } from '@impl/chapter01-data-models/errors.js';
import { MAX_NESTING, type JsonObject, type JsonValue } from '@impl/chapter01-data-models/values.js';
import { dump, nestedValue, OBJECT_PROPERTY_NAMES, ownObject } from './fixtures.js';

const SECTION = 'Schema-on-read';

/** Version 2 of the reader: it added `tags` (default []) and `plan` (default "free"). */
const readerV2 = {
  type: 'object',
  fields: {
    name: { type: 'string' },
    plan: { type: 'string', default: 'free' },
    tags: { type: 'array', items: { type: 'string' }, default: [] },
    nickname: { type: 'string', optional: true },
    age: { type: 'number', nullable: true },
    orders: {
      type: 'array',
      default: [],
      items: { type: 'object', fields: { total: { type: 'number' }, paid: { type: 'boolean', default: false } } },
    },
  },
} as const satisfies DocSchema;

/** Runs `action`, expects a DocumentSchemaError, and returns it. */
function schemaError(action: () => unknown): DocumentSchemaError {
  try {
    action();
  } catch (error) {
    expect(error, because('a document that does not fit is a DocumentSchemaError', SECTION)).toBeInstanceOf(DocumentSchemaError);
    return error as DocumentSchemaError;
  }
  throw new Error('expected a DocumentSchemaError, but nothing was thrown');
}

describe('exercise 1.11: schema-on-read', () => {
  it('missing fields take their defaults, at every depth, while present fields are kept', () => {
    const old: JsonObject = { name: 'Ada', age: 36, orders: [{ total: 30 }, { total: 12, paid: true }] };
    expect(readDocument(old, readerV2), because('defaults fill what older writers did not write', SECTION)).toEqual({
      name: 'Ada',
      plan: 'free',
      tags: [],
      age: 36,
      orders: [
        { total: 30, paid: false },
        { total: 12, paid: true },
      ],
    });
  });

  it('reading changes neither the stored bytes nor the document passed in', () => {
    const kv = new MemoryKV();
    const store = new DocumentStore(kv);
    store.put('users', 'u1', { name: 'Ada', age: null });
    const before = dump(kv);
    const stored = store.get('users', 'u1')!;
    const copy = structuredClone(stored);
    readDocument(stored, readerV2);
    expect(stored, because('the reader builds a new document', SECTION)).toEqual(copy);
    expect(dump(kv), because('schema-on-read never rewrites stored data', SECTION)).toEqual(before);
  });

  it('each read gets its own copy of a default', () => {
    const first = readDocument({ name: 'Ada', age: 1 }, readerV2);
    (first['tags'] as string[]).push('mutated');
    const second = readDocument({ name: 'Grace', age: 2 }, readerV2);
    expect(second['tags'], because('a shared default object would leak between documents', SECTION)).toEqual([]);
  });

  it('an optional field stays missing, a nullable one may be null, and unknown fields are kept', () => {
    const doc = readDocument({ name: 'Ada', age: null, shoeSize: 38 }, readerV2);
    expect('nickname' in doc).toBe(false);
    expect(doc['age']).toBe(null);
    expect(doc['shoeSize'], because('a newer writer may have added fields this reader does not know', SECTION)).toBe(38);
  });

  it('a missing required field is an error naming its path', () => {
    const error = schemaError(() => readDocument({ age: 3 }, readerV2));
    expect([error.path, error.expected, error.found]).toEqual(['name', 'string', 'missing']);
    const nested = schemaError(() => readDocument({ name: 'Ada', age: 3, orders: [{ total: 1 }, { paid: true }] }, readerV2));
    expect(nested.path, because('the path says exactly where, array index included', SECTION)).toBe('orders[1].total');
  });

  it('a value of the wrong type, or an unexpected null, is an error naming its path and both types', () => {
    const error = schemaError(() => readDocument({ name: 'Ada', age: 3, orders: [{ total: '30' }] }, readerV2));
    expect([error.path, error.expected, error.found]).toEqual(['orders[0].total', 'number', 'string']);
    expect(error.message).toContain('orders[0].total');
    expect(schemaError(() => readDocument({ name: null, age: 3 }, readerV2)).found).toBe('null');
    expect(schemaError(() => readDocument({ name: 'Ada', age: 3, tags: 'vip' }, readerV2)).path).toBe('tags');
    expect(schemaError(() => readDocument({ name: 'Ada', age: 3, tags: ['vip', 7] }, readerV2)).path).toBe('tags[1]');
    expect(schemaError(() => readDocument({ name: 'Ada', age: 3, orders: [5] }, readerV2)).found).toBe('number');
  });

  it('fields named like inherited object properties are read, defaulted and checked like any other (property)', () => {
    // Even-numbered names have a default, odd-numbered ones are optional; `extra` is not in the schema.
    const fieldSchema = (i: number): DocSchema => (i % 2 === 0 ? { type: 'number', default: 7 } : { type: 'number', optional: true });
    const fields = Object.fromEntries(OBJECT_PROPERTY_NAMES.map((name, i) => [name, fieldSchema(i)]));
    const schema = { type: 'object', fields: { ...fields, inner: { type: 'object', fields, default: {} } } } as const;
    const present = fc.subarray([...OBJECT_PROPERTY_NAMES]).chain((names) =>
      fc.tuple(...names.map(() => fc.integer({ min: -3, max: 3 }))).map((values) => ownObject(names.map((n, i) => [n, values[i]!]))),
    );
    const expectedRead = (doc: JsonObject): JsonObject =>
      ownObject(
        OBJECT_PROPERTY_NAMES.flatMap((name, i): Array<[string, JsonValue]> => {
          if (Object.hasOwn(doc, name)) return [[name, doc[name]!]];
          return i % 2 === 0 ? [[name, 7]] : [];
        }),
      );
    checkProperty(
      fc.property(present, present, fc.subarray([...OBJECT_PROPERTY_NAMES], { maxLength: 2 }), (top, inner, extra) => {
        const doc = ownObject([...Object.entries(top), ['inner', inner], ...extra.map((name): [string, JsonValue] => [`${name}Extra`, name])]);
        const read = readDocument(doc, schema);
        const expected = ownObject([
          ...Object.entries(expectedRead(top)),
          ['inner', expectedRead(inner)],
          ...extra.map((name): [string, JsonValue] => [`${name}Extra`, name]),
        ]);
        expect(read, because('a missing field takes its default, even one named constructor; a present one, even __proto__, is kept', SECTION)).toEqual(
          expected,
        );
        expect(Object.keys(read).sort(), because('every field read is an own field of the result', SECTION)).toEqual(Object.keys(expected).sort());
      }),
      { numRuns: 40 },
    );
    for (const name of OBJECT_PROPERTY_NAMES) {
      const text: DocSchema = { type: 'string' };
      const error = schemaError(() => readDocument({}, { type: 'object', fields: Object.fromEntries([[name, text]]) }));
      expect([error.path, error.found], because(`{} has no field ${name}, whatever a plain object inherits`, SECTION)).toEqual([name, 'missing']);
    }
  });

  it(`a document nested deeper than the schema reads fine; reading past schema level MAX_NESTING (${MAX_NESTING}) is a DocumentSchemaError`, () => {
    const deepTail = nestedValue(100_000, 1, (inner) => [inner]);
    const read = readDocument({ name: 'Ada', tail: deepTail }, { type: 'object', fields: { name: { type: 'string' } } });
    let depth = 0;
    for (let v: JsonValue | undefined = read['tail']; Array.isArray(v); depth++) v = (v as readonly JsonValue[])[0];
    expect(depth, because('a field the schema does not mention is kept as it is, not walked into', SECTION)).toBe(100_000);
    /** An object schema and a document, each `levels` objects deep (the root is level 1), then a number. */
    const deep = (levels: number): [DocSchema & { readonly type: 'object' }, JsonObject] => {
      let schema: DocSchema & { readonly type: 'object' } = { type: 'object', fields: { x: { type: 'number' } } };
      let doc: JsonObject = { x: 1 };
      for (let level = 1; level < levels; level++) {
        schema = { type: 'object', fields: { a: schema } };
        doc = { a: doc };
      }
      return [schema, doc];
    };
    const [fits, doc] = deep(MAX_NESTING - 1);
    expect(readDocument(doc, fits), because('a schema MAX_NESTING deep, scalars included, is allowed', SECTION)).toEqual(doc);
    for (const levels of [MAX_NESTING, 100_000]) {
      const [schema, tooDeep] = deep(levels);
      const error = schemaError(() => readDocument(tooDeep, schema));
      expect(error.expected, because('deeper than MAX_NESTING is a typed error naming the limit, never a RangeError', SECTION)).toContain(
        String(MAX_NESTING),
      );
      expect(error.path).toMatch(/^a(\.a)*/);
    }
  });
});
