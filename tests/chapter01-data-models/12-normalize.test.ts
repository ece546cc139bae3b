import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { ShapeError } from '@impl/chapter01-data-models/errors.js';
import { denormalize, normalize, type Shape } from '@impl/chapter01-data-models/normalize.js';
import { MAX_NESTING, type JsonObject, type Row } from '@impl/chapter01-data-models/values.js';
import { OBJECT_PROPERTY_NAMES, ownObject, propertyNameText, thrown } from './fixtures.js';

const SECTION = 'Normalisation';

const profileShape: Shape = {
  table: 'users',
  fields: ['name', 'address.city', 'address.zip'],
  children: {
    positions: { table: 'positions', fields: ['title', 'company'] },
    orders: {
      table: 'orders',
      fields: ['total'],
      children: { items: { table: 'items', fields: ['sku', 'qty'] } },
    },
  },
};

const ada: JsonObject = {
  name: 'Ada',
  address: { city: 'London', zip: null },
  positions: [
    { title: 'Analyst', company: 'Babbage & Co' },
    { title: 'Author', company: null },
  ],
  orders: [
    { total: 30, items: [{ sku: 'kettle', qty: 1 }] },
    { total: 0, items: [] },
  ],
};

describe('exercise 1.12: normalising documents into tables and back', () => {
  it('splits a document into one table per level, child rows pointing at their parent', () => {
    const tables = normalize('u1', ada, profileShape);
    expect(tables['users'], because('the root row holds the scalar fields, nested objects flattened', SECTION)).toEqual([
      { _id: 'u1', name: 'Ada', 'address.city': 'London', 'address.zip': null },
    ]);
    expect(tables['positions'], because('array elements become rows with _parent and _position', SECTION)).toEqual([
      { _id: 'u1/positions/0', _parent: 'u1', _position: 0, title: 'Analyst', company: 'Babbage & Co' },
      { _id: 'u1/positions/1', _parent: 'u1', _position: 1, title: 'Author', company: null },
    ]);
    expect(tables['items']).toEqual([{ _id: 'u1/orders/0/items/0', _parent: 'u1/orders/0', _position: 0, sku: 'kettle', qty: 1 }]);
    expect(tables['orders']!.map((r) => r['_id'])).toEqual(['u1/orders/0', 'u1/orders/1']);
  });

  it('denormalize puts the document back together', () => {
    const tables = normalize('u1', ada, profileShape);
    expect(denormalize(tables, 'u1', profileShape)).toEqual(ada);
    expect(denormalize(tables, 'nobody', profileShape)).toBeUndefined();
  });

  it('every table of the shape is returned, even with no rows', () => {
    const tables = normalize('u2', { name: 'Bo', address: { city: null, zip: null }, positions: [], orders: [] }, profileShape);
    expect(Object.keys(tables).sort()).toEqual(['items', 'orders', 'positions', 'users']);
    expect(tables['items']).toEqual([]);
  });

  it('what the shape cannot hold is a ShapeError naming its path, never silently dropped', () => {
    const cases: Array<[JsonObject, string]> = [
      [{ ...ada, email: 'ada@example.org' }, 'email'],
      [{ ...ada, address: { city: 'London' } }, 'address.zip'],
      [{ ...ada, address: { city: 'London', zip: null, country: 'UK' } }, 'address.country'],
      [{ ...ada, name: ['Ada', 'Lovelace'] }, 'name'],
      [{ ...ada, positions: { title: 'Analyst' } }, 'positions'],
      [{ ...ada, orders: [{ total: 1, items: [{ sku: 'x', qty: 1, gift: true }] }] }, 'orders[0].items[0].gift'],
    ];
    for (const [doc, path] of cases) {
      let error: unknown;
      try {
        normalize('u1', doc, profileShape);
      } catch (e) {
        error = e;
      }
      expect(error, because('normalising must never lose a field', SECTION)).toBeInstanceOf(ShapeError);
      expect((error as ShapeError).path).toBe(path);
    }
    expect(() => normalize('u1', ada, { table: 't', fields: ['name'], children: { positions: { table: 't', fields: [] } } })).toThrow(
      ShapeError,
    );
  });

  it('document → tables → document is lossless, for many documents with their rows shuffled (property)', () => {
    const scalar = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null));
    const item = fc.record({ sku: scalar, qty: scalar });
    const order = fc.record({ total: scalar, items: fc.array(item, { maxLength: 3 }) });
    const position = fc.record({ title: scalar, company: scalar });
    const doc = fc.record({
      name: scalar,
      address: fc.record({ city: scalar, zip: scalar }),
      positions: fc.array(position, { maxLength: 3 }),
      orders: fc.array(order, { maxLength: 3 }),
    });
    checkProperty(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 4 }), fc.integer(), (docs, seed) => {
        // Put every document's rows into the same tables, then shuffle them: tables are unordered.
        const merged: Record<string, Row[]> = {};
        docs.forEach((d, i) => {
          for (const [table, rows] of Object.entries(normalize(`d${i}`, d, profileShape))) {
            (merged[table] ??= []).push(...rows);
          }
        });
        const random = new Random(seed);
        for (const rows of Object.values(merged)) random.shuffle(rows);
        docs.forEach((d, i) => {
          expect(denormalize(merged, `d${i}`, profileShape), because('array order must survive in _position', SECTION)).toEqual(d);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('tables, fields and child arrays named like inherited object properties round-trip like any other (property)', () => {
    // Field names must not start with "_" (reserved); a dotted name's later parts and table names may.
    const fieldNames = OBJECT_PROPERTY_NAMES.filter((name) => !name.startsWith('_'));
    const scalar = fc.oneof(fc.integer({ min: -2, max: 2 }), propertyNameText, fc.constant(null));
    const named = fc.tuple(
      fc.shuffledSubarray(fieldNames, { minLength: 4, maxLength: 4 }),
      fc.constantFrom(...OBJECT_PROPERTY_NAMES),
      fc.shuffledSubarray([...OBJECT_PROPERTY_NAMES], { minLength: 2, maxLength: 2 }),
    );
    checkProperty(
      fc.property(named, fc.array(fc.tuple(scalar, scalar, scalar, fc.array(scalar, { maxLength: 3 })), { minLength: 1, maxLength: 3 }), (names, values) => {
        const [[a, b, c, list], part, [rootTable, childTable]] = names;
        const shape: Shape = {
          table: rootTable!,
          fields: [a!, `${b!}.${part}`],
          children: Object.fromEntries([[list!, { table: childTable!, fields: [c!] }]]),
        };
        const docs = values.map(([va, vb, _unused, items]) =>
          ownObject([
            [a!, va],
            [b!, ownObject([[part, vb]])],
            [list!, items.map((item) => ownObject([[c!, item]]))],
          ]),
        );
        const merged = new Map<string, Row[]>();
        docs.forEach((doc, i) => {
          const tables = normalize(`d${i}`, doc, shape);
          expect(Object.keys(tables).sort(), because('every table of the shape is returned, even one named __proto__', SECTION)).toEqual(
            [rootTable!, childTable!].sort(),
          );
          for (const [table, rows] of Object.entries(tables)) merged.set(table, [...(merged.get(table) ?? []), ...rows]);
        });
        const tables = Object.fromEntries(merged);
        docs.forEach((doc, i) => {
          expect(denormalize(tables, `d${i}`, shape), because('document -> tables -> document is lossless, whatever the names', SECTION)).toEqual(doc);
        });
        expect(denormalize({}, 'd0', shape), because('no tables: no document, even when the root table is called constructor', SECTION)).toBeUndefined();
      }),
      { numRuns: 60 },
    );
    const error = thrown(() => normalize('d', {}, { table: 't', fields: [], children: { constructor: { table: 'c', fields: [] } } }));
    expect(error, because('{} has no array "constructor", whatever a plain object inherits', SECTION)).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).path).toBe('constructor');
  });

  it(`a shape nested deeper than MAX_NESTING (${MAX_NESTING}) is a ShapeError, never a RangeError; a document deeper than its shape too`, () => {
    /** A shape whose child arrays nest `levels` tables deep (the root table is level 1). */
    const chain = (levels: number): Shape => {
      let shape: Shape = { table: `t${levels}`, fields: ['x'] };
      for (let level = levels - 1; level >= 1; level--) shape = { table: `t${level}`, fields: ['x'], children: { c: shape } };
      return shape;
    };
    const doc = (levels: number): JsonObject => {
      let d: JsonObject = { x: levels };
      for (let level = levels - 1; level >= 1; level--) d = { x: level, c: [d] };
      return d;
    };
    const fits = normalize('d', doc(MAX_NESTING), chain(MAX_NESTING));
    expect(Object.keys(fits).length, because('a shape MAX_NESTING tables deep is allowed', SECTION)).toBe(MAX_NESTING);
    expect(denormalize(fits, 'd', chain(MAX_NESTING))).toEqual(doc(MAX_NESTING));
    for (const levels of [MAX_NESTING + 1, 100_000]) {
      expect(thrown(() => normalize('d', doc(3), chain(levels))), because('the shape is checked before any row is made', SECTION)).toBeInstanceOf(
        ShapeError,
      );
      expect(thrown(() => denormalize({}, 'd', chain(levels))), because('denormalize refuses the shapes normalize refuses', SECTION)).toBeInstanceOf(
        ShapeError,
      );
    }
    const dotted = Array.from({ length: 100_000 }, () => 'a').join('.');
    let deepDoc: JsonObject = { a: 1 };
    for (let level = 1; level < 100_000; level++) deepDoc = { a: deepDoc };
    expect(thrown(() => normalize('d', deepDoc, { table: 't', fields: [dotted] })), because('a dotted name is a path too', SECTION)).toBeInstanceOf(
      ShapeError,
    );
    const tooDeep = thrown(() => normalize('d', deepDoc, { table: 't', fields: ['a.a.a'] }));
    expect(tooDeep, because('below its shape a document is not walked: an object where a scalar belongs', SECTION)).toBeInstanceOf(ShapeError);
    expect((tooDeep as ShapeError).path).toBe('a.a.a');
  });
});
