import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { parsePath, selectPath } from '@impl/chapter01-data-models/document-path.js';
import { PathSyntaxError } from '@impl/chapter01-data-models/errors.js';
import { MAX_NESTING, type JsonObject, type JsonValue } from '@impl/chapter01-data-models/values.js';
import { nestedValue, OBJECT_PROPERTY_NAMES, propertyNamedDocument, thrown } from './fixtures.js';

const PATHS = 'Documents and paths';

const customer: JsonObject = {
  name: 'Ada',
  address: { city: 'Seattle', zip: '98101' },
  tags: ['vip', 'early'],
  orders: [
    { id: 10, items: [{ sku: 'kettle', qty: 1 }, { sku: 'mug', qty: 4 }] },
    { id: 11, items: [] },
    { id: 12, items: [{ sku: 'teapot', qty: 1 }] },
  ],
};

describe('exercise 1.9: path queries into nested documents', () => {
  it('parses fields, indexes and [*] into steps', () => {
    expect(parsePath('orders[*].items[0].sku')).toEqual([
      { kind: 'field', name: 'orders' },
      { kind: 'each' },
      { kind: 'field', name: 'items' },
      { kind: 'index', index: 0 },
      { kind: 'field', name: 'sku' },
    ]);
    expect(parsePath('[3]')).toEqual([{ kind: 'index', index: 3 }]);
  });

  it('a field path walks into nested objects', () => {
    expect(selectPath(customer, 'address.city')).toEqual(['Seattle']);
    expect(selectPath(customer, 'name')).toEqual(['Ada']);
    expect(selectPath(customer, 'address')).toEqual([{ city: 'Seattle', zip: '98101' }]);
  });

  it('[*] reaches every element of an array, not only the first', () => {
    expect(selectPath(customer, 'tags[*]'), because('[*] visits every element', PATHS)).toEqual(['vip', 'early']);
    expect(selectPath(customer, 'orders[*].id')).toEqual([10, 11, 12]);
  });

  it('[*] twice flattens two levels of arrays, in document order', () => {
    expect(selectPath(customer, 'orders[*].items[*].sku'), because('each level multiplies the matches', PATHS)).toEqual([
      'kettle',
      'mug',
      'teapot',
    ]);
  });

  it('an index picks one element; past the end it reaches nothing', () => {
    expect(selectPath(customer, 'orders[2].items[0].sku')).toEqual(['teapot']);
    expect(selectPath(customer, 'orders[1].items[0].sku')).toEqual([]);
    expect(selectPath(customer, 'orders[9]')).toEqual([]);
  });

  it('a step that does not apply reaches nothing instead of throwing', () => {
    expect(selectPath(customer, 'phone'), because('documents in one collection differ in shape', PATHS)).toEqual([]);
    expect(selectPath(customer, 'name.first')).toEqual([]);
    expect(selectPath(customer, 'address[*]')).toEqual([]);
    expect(selectPath(customer, 'tags.length')).toEqual([]);
    expect(selectPath({ a: null }, 'a.b')).toEqual([]);
    expect(selectPath({ a: null }, 'a'), because('a null value is still a value', PATHS)).toEqual([null]);
  });

  it('a malformed path is a PathSyntaxError pointing at the offending character', () => {
    const cases: Array<[string, number]> = [
      ['', 0],
      ['orders.', 7],
      ['orders[x]', 7],
      ['orders[1', 8],
      ['orders..id', 7],
      ['orders id', 6],
      ['9lives', 0],
    ];
    for (const [path, position] of cases) {
      let error: unknown;
      try {
        parsePath(path);
      } catch (e) {
        error = e;
      }
      expect(error, because(`"${path}" is not a path`, PATHS)).toBeInstanceOf(PathSyntaxError);
      expect((error as PathSyntaxError).position, because(`the error points into "${path}"`, PATHS)).toBe(position);
    }
    expect(() => selectPath(customer, 'orders[*')).toThrow(PathSyntaxError);
  });

  it('xs[*] returns the array itself and xs[i] its i-th element (property)', () => {
    checkProperty(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.string(), fc.constant(null)), { maxLength: 8 }), fc.nat(9), (xs, i) => {
        expect(selectPath({ xs }, 'xs[*]')).toEqual(xs);
        expect(selectPath({ xs }, `xs[${i}]`)).toEqual(i < xs.length ? [xs[i]] : []);
      }),
    );
  });

  it('a step named like an inherited object property reaches only a field the document has (property)', () => {
    /** What a field step reaches from `value`: its own field `name`, or nothing. */
    const field = (value: JsonValue, name: string): JsonValue[] =>
      typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, name) ? [(value as JsonObject)[name]!] : [];
    checkProperty(
      fc.property(propertyNamedDocument, (doc) => {
        for (const n of OBJECT_PROPERTY_NAMES) {
          const top = field(doc, n);
          expect(selectPath(doc, n), because(`a document without its own "${n}" has no such field, whatever {} inherits`, PATHS)).toEqual(top);
          for (const m of OBJECT_PROPERTY_NAMES) {
            expect(selectPath(doc, `${n}.${m}`)).toEqual(top.flatMap((v) => field(v, m)));
            const elements = top.flatMap((v) => (Array.isArray(v) ? (v as readonly JsonValue[]) : []));
            expect(selectPath(doc, `${n}[*].${m}`), because('[*] then a field: each element\'s own field', PATHS)).toEqual(
              elements.flatMap((v) => field(v, m)),
            );
          }
        }
        expect(selectPath({}, 'constructor.name'), because('{} has no field constructor, so nothing is reached', PATHS)).toEqual([]);
        expect(selectPath([], 'toString.length')).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it(`a path has at most MAX_NESTING (${MAX_NESTING}) steps, the next is a PathSyntaxError; a deep document is no problem`, () => {
    const steps = (n: number) => `a${'.a'.repeat(n - 1)}`;
    expect(parsePath(steps(MAX_NESTING)).length, because('MAX_NESTING steps are allowed', PATHS)).toBe(MAX_NESTING);
    for (const path of [steps(MAX_NESTING + 1), steps(50_000), `a${'[0]'.repeat(MAX_NESTING)}`]) {
      const error = thrown(() => parsePath(path));
      expect(error, because('a path longer than any storable document is deep is a syntax error', PATHS)).toBeInstanceOf(PathSyntaxError);
      expect((error as PathSyntaxError).position, because('it points at the step one too many', PATHS)).toBe(
        path.startsWith('a[') ? 1 + 3 * (MAX_NESTING - 1) : 2 * MAX_NESTING - 1,
      );
    }
    const deep = nestedValue(100_000, 'bottom', (inner) => ({ a: inner, n: 1 }));
    expect(selectPath(deep, 'a.a.n'), because('a path walks only as deep as it is long', PATHS)).toEqual([1]);
    expect(selectPath(deep, 'a[*]')).toEqual([]);
  });
});
