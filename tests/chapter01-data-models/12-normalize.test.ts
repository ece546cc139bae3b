import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { ShapeError } from '@impl/chapter01-data-models/errors.js';
import { denormalize, normalize, type Shape } from '@impl/chapter01-data-models/normalize.js';
import type { JsonObject, Row } from '@impl/chapter01-data-models/values.js';

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
});
