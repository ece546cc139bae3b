import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromUtf8 } from '../../shared/bytes.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { encodeKey } from '../../shared/tuple-key.js';
import { DuplicateKeyError, SchemaError, UnknownTableError } from '@impl/chapter01-data-models/errors.js';
import type { TableSchema } from '@impl/chapter01-data-models/schema.js';
import { Database } from '@impl/chapter01-data-models/table-storage.js';
import { compareValues } from '@impl/chapter01-data-models/values.js';
import { dump, nestedValue, propertyNamedTable, shop, thrown, users, usersSchema } from './fixtures.js';

const LAYOUT = 'Key layout';

describe('exercise 1.2: tables in an ordered key-value store', () => {
  it('a row is stored under [row, table, primary key] as a JSON array in schema column order', () => {
    const { kv } = shop();
    const stored = kv.get(encodeKey(['row', 'users', 1]));
    expect(stored, because('rows live at encodeKey(["row", table, primaryKey])', LAYOUT)).toBeDefined();
    expect(JSON.parse(fromUtf8(stored!)), because('the values, in column order; the names are in the catalog', LAYOUT)).toEqual([
      1,
      'Ada',
      'SEA',
      36,
    ]);
  });

  it('the schema is stored under [catalog, table], so a new Database over the same store sees every table', () => {
    const { kv } = shop();
    const catalog = kv.get(encodeKey(['catalog', 'users']));
    expect(catalog, because('schemas live at encodeKey(["catalog", table])', LAYOUT)).toBeDefined();
    expect(JSON.parse(fromUtf8(catalog!))).toEqual(usersSchema);
    const reopened = new Database(kv);
    expect(reopened.tableNames()).toEqual(['orders', 'users']);
    expect(reopened.get('users', 2)).toEqual(users[1]);
  });

  it('scan returns rows in primary-key order: numeric order for int keys, not text order', () => {
    const kv = new MemoryKV();
    const db = new Database(kv);
    db.createTable({ name: 'n', primaryKey: 'k', columns: [{ name: 'k', type: 'int' }] });
    for (const k of [10, -3, 2, 1, 100]) db.insert('n', { k });
    expect(
      db.scan('n').map((r) => r['k']),
      because('the tuple-key encoding makes byte order equal number order', LAYOUT),
    ).toEqual([-3, 1, 2, 10, 100]);
  });

  it('get finds a row by primary key, delete removes it, and both report a missing row', () => {
    const { db } = shop();
    expect(db.get('users', 3)).toEqual(users[2]);
    expect(db.get('users', 42)).toBeUndefined();
    expect(db.delete('users', 3)).toBe(true);
    expect(db.delete('users', 3)).toBe(false);
    expect(db.get('users', 3)).toBeUndefined();
    expect(db.scan('users').map((r) => r['id'])).toEqual([1, 2, 4]);
  });

  it('tables whose names share a prefix ("user" and "users") never see each other\'s rows', () => {
    const kv = new MemoryKV();
    const db = new Database(kv);
    const schema = (name: string): TableSchema => ({ name, primaryKey: 'id', columns: [{ name: 'id', type: 'text' }] });
    db.createTable(schema('user'));
    db.createTable(schema('users'));
    db.insert('user', { id: 'a' });
    db.insert('users', { id: 'b' });
    expect(db.scan('user'), because('a table scan is a prefix scan over encodeKey(["row", table])', LAYOUT)).toEqual([
      { id: 'a' },
    ]);
    expect(db.scan('users')).toEqual([{ id: 'b' }]);
  });

  it('insertMany is atomic: one bad row and nothing of the batch is stored', () => {
    const { kv, db } = shop();
    const before = dump(kv);
    const batch = [
      { id: 5, name: 'Edsger', region: 'AMS' },
      { id: 6, name: 'Tony', region: 42 },
    ];
    expect(() => db.insertMany('users', batch)).toThrow(SchemaError);
    expect(dump(kv), because('bad input never changes what is stored', 'Schema-on-write')).toEqual(before);
  });

  it('a taken primary key is a DuplicateKeyError and the stored row is unchanged', () => {
    const { kv, db } = shop();
    const before = dump(kv);
    expect(() => db.insert('users', { id: 1, name: 'Impostor', region: 'SEA' })).toThrow(DuplicateKeyError);
    expect(() =>
      db.insertMany('users', [
        { id: 7, name: 'A', region: 'X' },
        { id: 7, name: 'B', region: 'Y' },
      ]),
    ).toThrow(DuplicateKeyError);
    expect(dump(kv), because('inserting never overwrites a row', LAYOUT)).toEqual(before);
  });

  it('an unknown table is an UnknownTableError that lists the tables that exist', () => {
    const { db } = shop();
    for (const action of [() => db.scan('usr'), () => db.insert('usr', { id: 1 }), () => db.get('usr', 1)]) {
      expect(action).toThrow(UnknownTableError);
    }
    try {
      db.scan('usr');
    } catch (error) {
      expect((error as UnknownTableError).table).toBe('usr');
      expect((error as UnknownTableError).message).toContain('orders, users');
    }
  });

  it('creating a table twice, or with an invalid schema, is a SchemaError and keeps the old table', () => {
    const { kv, db } = shop();
    const before = dump(kv);
    expect(() => db.createTable({ ...usersSchema, columns: [{ name: 'id', type: 'text' }] })).toThrow(SchemaError);
    expect(() => db.createTable({ name: 'bad', primaryKey: 'nope', columns: [{ name: 'id', type: 'int' }] })).toThrow(
      SchemaError,
    );
    expect(dump(kv)).toEqual(before);
  });

  it('behaves like a sorted map under random inserts and deletes (model-based property)', () => {
    const op = fc.oneof(
      fc.record({ type: fc.constant('insert' as const), id: fc.integer({ min: -20, max: 20 }), name: fc.string({ maxLength: 4 }) }),
      fc.record({ type: fc.constant('delete' as const), id: fc.integer({ min: -20, max: 20 }) }),
    );
    checkProperty(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const db = new Database(new MemoryKV());
        db.createTable({ name: 't', primaryKey: 'id', columns: [{ name: 'id', type: 'int' }, { name: 'name', type: 'text' }] });
        const model = new Map<number, string>();
        for (const o of ops) {
          if (o.type === 'insert') {
            if (model.has(o.id)) {
              expect(() => db.insert('t', { id: o.id, name: o.name })).toThrow(DuplicateKeyError);
            } else {
              db.insert('t', { id: o.id, name: o.name });
              model.set(o.id, o.name);
            }
          } else {
            expect(db.delete('t', o.id)).toBe(model.delete(o.id));
          }
        }
        const expected = [...model].sort((a, b) => a[0] - b[0]).map(([id, name]) => ({ id, name }));
        expect(db.scan('t')).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
  it('rows of a table whose columns are named like inherited object properties come back as stored (property)', () => {
    checkProperty(
      fc.property(propertyNamedTable, ({ schema, names, input, rows }) => {
        const db = new Database(new MemoryKV());
        db.createTable(schema);
        db.insertMany('t', input);
        const key = names[0]!;
        const expected = [...rows].sort((a, b) => compareValues(a[key]!, b[key]!));
        const scanned = db.scan('t');
        expect(scanned, because('a stored value never vanishes, whatever its column is called', LAYOUT)).toEqual(expected);
        for (const row of scanned) {
          expect(Object.keys(row), because('every column is an own property of a read row, in schema order', LAYOUT)).toEqual(names);
        }
        for (const row of rows) expect(db.get('t', row[key]!)).toEqual(row);
      }),
      { numRuns: 50 },
    );
  });

  it('a cell nested too deep to print is a SchemaError naming table and column, never a RangeError, and nothing is stored', () => {
    const { kv, db } = shop();
    const before = dump(kv);
    const deepArray = nestedValue(100_000, 1, (inner) => [inner]);
    const deepObject = nestedValue(100_000, 1, (inner) => ({ a: inner }));
    for (const [row, column] of [
      [{ id: 9, name: deepArray, region: 'SEA' }, 'name'],
      [{ id: 9, name: 'Ada', region: 'SEA', extra: deepArray }, 'extra'],
      [{ id: 9, name: deepObject, region: 'SEA' }, 'name'],
    ] as const) {
      const error = thrown(() => db.insertMany('users', [{ id: 8, name: 'Bo', region: 'SEA' }, row]));
      expect(error, because('a bad value is a typed error, however deep it nests: its message must not overflow the stack', 'Schema-on-write')).toBeInstanceOf(
        SchemaError,
      );
      expect([(error as SchemaError).table, (error as SchemaError).column]).toEqual(['users', column]);
    }
    expect(dump(kv), because('a failed insertMany writes nothing', LAYOUT)).toEqual(before);
  });
});
