import { describe, expect, it } from 'vitest';
import { fromUtf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { encodeKey } from '../../shared/tuple-key.js';
import { DocumentStore } from '@impl/chapter01-data-models/document-store.js';
import { PathSyntaxError } from '@impl/chapter01-data-models/errors.js';
import type { JsonObject } from '@impl/chapter01-data-models/values.js';
import { dump } from './fixtures.js';

const LAYOUT = 'Key layout';

const ada: JsonObject = { name: 'Ada', orders: [{ sku: 'kettle' }, { sku: 'mug' }] };
const grace: JsonObject = { name: 'Grace', orders: [{ sku: 'teapot' }, { sku: 'kettle' }] };
const linus: JsonObject = { name: 'Linus', orders: [] };

function customers(): { kv: MemoryKV; store: DocumentStore } {
  const kv = new MemoryKV();
  const store = new DocumentStore(kv);
  store.put('customers', 'u2', grace);
  store.put('customers', 'u1', ada);
  store.put('customers', 'u3', linus);
  return { kv, store };
}

describe('exercise 1.10: a document store', () => {
  it('a document is stored whole under [doc, collection, id] as JSON text', () => {
    const { kv } = customers();
    const bytes = kv.get(encodeKey(['doc', 'customers', 'u1']));
    expect(bytes, because('documents live at encodeKey(["doc", collection, id])', LAYOUT)).toBeDefined();
    expect(JSON.parse(fromUtf8(bytes!)), because('one key holds the whole nested document', LAYOUT)).toEqual(ada);
  });

  it('get returns the document, put replaces it, delete removes it', () => {
    const { store } = customers();
    expect(store.get('customers', 'u2')).toEqual(grace);
    store.put('customers', 'u2', { name: 'Grace Hopper', orders: [] });
    expect(store.get('customers', 'u2')).toEqual({ name: 'Grace Hopper', orders: [] });
    expect(store.delete('customers', 'u2')).toBe(true);
    expect(store.delete('customers', 'u2')).toBe(false);
    expect(store.get('customers', 'u2')).toBeUndefined();
  });

  it('scan returns a collection in id order, and collections with a shared prefix stay apart', () => {
    const { store } = customers();
    store.put('customer', 'u0', { name: 'not a customers document' });
    expect(store.scan('customers').map((d) => d.id), because('a collection is one prefix range', LAYOUT)).toEqual([
      'u1',
      'u2',
      'u3',
    ]);
    expect(store.scan('customer').map((d) => d.id)).toEqual(['u0']);
    expect(store.scan('customers')[0]!.doc).toEqual(ada);
  });

  it('find with [*] matches a document when any array element matches', () => {
    const { store } = customers();
    expect(store.find('customers', 'orders[*].sku', 'kettle').map((d) => d.id), because('any element may match', 'Documents and paths')).toEqual([
      'u1',
      'u2',
    ]);
    expect(store.find('customers', 'orders[*].sku', 'mug').map((d) => d.id)).toEqual(['u1']);
    expect(store.find('customers', 'orders[0].sku', 'kettle').map((d) => d.id)).toEqual(['u1']);
    expect(store.find('customers', 'name', 'Linus').map((d) => d.doc)).toEqual([linus]);
  });

  it('a malformed path is a PathSyntaxError, even on an empty collection', () => {
    const store = new DocumentStore(new MemoryKV());
    expect(() => store.find('nothing', 'orders[*.sku', 'kettle')).toThrow(PathSyntaxError);
  });

  it('a value JSON cannot hold is a UsageError naming its path, and nothing is stored', () => {
    const { kv, store } = customers();
    const before = dump(kv);
    const bad = [
      { name: 'Ada', score: Number.NaN },
      { name: 'Ada', orders: [{ total: Infinity }] },
      { name: 'Ada', seen: new Map([['monday', 1]]) },
      { name: 'Ada', maybe: undefined },
    ];
    for (const doc of bad) {
      expect(() => store.put('customers', 'u1', doc as unknown as JsonObject), because('JSON would silently change it', 'Documents and paths')).toThrow(
        UsageError,
      );
    }
    try {
      store.put('customers', 'u1', bad[1] as unknown as JsonObject);
    } catch (error) {
      expect((error as Error).message).toContain('orders[0].total');
    }
    expect(dump(kv), because('bad input never changes what is stored', 'Documents and paths')).toEqual(before);
  });
});
