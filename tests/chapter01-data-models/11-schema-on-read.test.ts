import { describe, expect, it } from 'vitest';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { readDocument, type DocSchema } from '@impl/chapter01-data-models/document-schema.js';
import { DocumentStore } from '@impl/chapter01-data-models/document-store.js';
import { DocumentSchemaError } from '@impl/chapter01-data-models/errors.js';
import type { JsonObject } from '@impl/chapter01-data-models/values.js';
import { dump } from './fixtures.js';

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
});
