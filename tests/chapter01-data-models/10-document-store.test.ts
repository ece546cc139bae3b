import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromUtf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { encodeKey } from '../../shared/tuple-key.js';
import { DocumentStore } from '@impl/chapter01-data-models/document-store.js';
import { PathSyntaxError } from '@impl/chapter01-data-models/errors.js';
import { MAX_NESTING, type JsonObject, type JsonValue } from '@impl/chapter01-data-models/values.js';
import { dump, nestedValue, OBJECT_PROPERTY_NAMES, propertyNamedDocument, thrown } from './fixtures.js';

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

  it('documents with fields named like inherited object properties are stored, read and found like any other (property)', () => {
    const DOCS = 'Documents and paths';
    checkProperty(
      fc.property(fc.array(propertyNamedDocument, { minLength: 1, maxLength: 5 }), (docs) => {
        const store = new DocumentStore(new MemoryKV());
        docs.forEach((doc, i) => store.put('c', `d${i}`, doc));
        docs.forEach((doc, i) => {
          const read = store.get('c', `d${i}`)!;
          expect(Object.keys(read), because('every field comes back as an own field, __proto__ too', DOCS)).toEqual(Object.keys(doc));
          expect(read, because('a document comes back as it was put', DOCS)).toEqual(doc);
        });
        expect(store.scan('c').map((d) => d.doc)).toEqual(docs);
        for (const name of OBJECT_PROPERTY_NAMES) {
          for (const value of [0, 1, null, 'x', 'toString']) {
            const expected = docs.flatMap((doc, i) => (Object.hasOwn(doc, name) && doc[name] === value ? [`d${i}`] : []));
            expect(store.find('c', name, value).map((d) => d.id), because(`find ${name} = ${JSON.stringify(value)} looks at own fields only`, DOCS)).toEqual(
              expected,
            );
          }
        }
        expect(store.find('c', 'constructor.name', 'Object'), because('a document has no constructor unless it has that field', DOCS)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it(`a document nested deeper than MAX_NESTING (${MAX_NESTING}) is a UsageError naming the path, and the stored version stays`, () => {
    const DOCS = 'Documents and paths';
    const { kv, store } = customers();
    const before = dump(kv);
    // The document is depth 1; each level of objects or arrays below it adds one.
    const objects = (depth: number): JsonObject => nestedValue(depth, 1, (inner) => ({ a: inner })) as JsonObject;
    const arrays = (depth: number): JsonObject => ({ xs: nestedValue(depth - 1, 1, (inner) => [inner]) });
    for (const doc of [objects(MAX_NESTING + 1), arrays(MAX_NESTING + 1), objects(100_000), arrays(100_000)]) {
      const error = thrown(() => store.put('customers', 'u1', doc));
      expect(error, because('too deep to store is a UsageError, never a stack overflow (RangeError)', DOCS)).toBeInstanceOf(UsageError);
      expect((error as Error).message, because('the message names the path where it is too deep', DOCS)).toMatch(/\$\.(a|xs)(\.a|\[0\])*/);
      expect((error as Error).message).toContain(String(MAX_NESTING));
    }
    expect(dump(kv), because('bad input never changes what is stored', DOCS)).toEqual(before);
    for (const doc of [objects(MAX_NESTING), arrays(MAX_NESTING)]) {
      store.put('customers', 'deep', doc);
      let depth = 0;
      for (let v: JsonValue | undefined = store.get('customers', 'deep'); typeof v === 'object' && v !== null; depth++) {
        v = Array.isArray(v) ? (v as readonly JsonValue[])[0] : Object.values(v)[0];
      }
      expect(depth, because('a document exactly MAX_NESTING deep is stored and read back whole', DOCS)).toBe(MAX_NESTING);
    }
  });
});
