import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { SchemaError } from '@impl/chapter01-data-models/errors.js';
import { validateRow, validateSchema, type TableSchema } from '@impl/chapter01-data-models/schema.js';
import { ownRow, propertyNamedTable, usersSchema } from './fixtures.js';

const SECTION = 'Schema-on-write';

/** Runs `action`, expects a SchemaError, and returns it for closer inspection. */
function schemaError(action: () => unknown): SchemaError {
  try {
    action();
  } catch (error) {
    expect(error, because('bad input is rejected with a SchemaError', SECTION)).toBeInstanceOf(SchemaError);
    return error as SchemaError;
  }
  throw new Error('expected a SchemaError, but nothing was thrown');
}

describe('exercise 1.1: schemas, checked on write', () => {
  it('a valid row comes back with exactly the schema columns, in schema order', () => {
    const row = validateRow(usersSchema, { region: 'SEA', age: 36, name: 'Ada', id: 1 });
    expect(Object.keys(row), because('rows are canonical: schema column order', SECTION)).toEqual([
      'id',
      'name',
      'region',
      'age',
    ]);
    expect(row).toEqual({ id: 1, name: 'Ada', region: 'SEA', age: 36 });
  });

  it('a missing value in a nullable column becomes null', () => {
    expect(validateRow(usersSchema, { id: 3, name: 'Linus', region: 'SEA' })).toEqual({
      id: 3,
      name: 'Linus',
      region: 'SEA',
      age: null,
    });
  });

  it('a value of the wrong type is a SchemaError naming the table, the column and the value', () => {
    const cases: Array<[Record<string, unknown>, string, unknown]> = [
      [{ id: '1', name: 'Ada', region: 'SEA' }, 'id', '1'],
      [{ id: 1.5, name: 'Ada', region: 'SEA' }, 'id', 1.5],
      [{ id: 1, name: 42, region: 'SEA' }, 'name', 42],
      [{ id: 1, name: 'Ada', region: 'SEA', age: true }, 'age', true],
    ];
    for (const [row, column, value] of cases) {
      const error = schemaError(() => validateRow(usersSchema, row));
      expect([error.table, error.column, error.value], because('the error says where the problem is', SECTION)).toEqual([
        'users',
        column,
        value,
      ]);
      expect(error.message).toContain(`"${column}"`);
    }
  });

  it('NaN and Infinity are not floats, and a float column rejects text', () => {
    const prices: TableSchema = { name: 'prices', primaryKey: 'sku', columns: [{ name: 'sku', type: 'text' }, { name: 'price', type: 'float' }] };
    expect(validateRow(prices, { sku: 'a', price: 2.5 })).toEqual({ sku: 'a', price: 2.5 });
    for (const price of [Number.NaN, Infinity, '2.5']) {
      expect(schemaError(() => validateRow(prices, { sku: 'a', price })).column).toBe('price');
    }
  });

  it('a missing or null value in a non-nullable column is rejected', () => {
    expect(schemaError(() => validateRow(usersSchema, { id: 1, region: 'SEA' })).column).toBe('name');
    expect(schemaError(() => validateRow(usersSchema, { id: 1, name: null, region: 'SEA' })).column).toBe('name');
  });

  it('a column the schema does not declare is rejected, not silently dropped', () => {
    const error = schemaError(() => validateRow(usersSchema, { id: 1, name: 'Ada', region: 'SEA', email: 'a@b' }));
    expect([error.column, error.value], because('dropping unknown fields would lose data', SECTION)).toEqual([
      'email',
      'a@b',
    ]);
  });

  it('validateSchema rejects duplicate columns, a missing or nullable key and non-identifier names', () => {
    const id = { name: 'id', type: 'int' } as const;
    const bad: TableSchema[] = [
      { name: 't', primaryKey: 'id', columns: [id, id] },
      { name: 't', primaryKey: 'key', columns: [id] },
      { name: 't', primaryKey: 'id', columns: [{ ...id, nullable: true }] },
      { name: 't', primaryKey: 'id', columns: [{ name: 'id', type: 'float' }] },
      { name: 't', primaryKey: 'id', columns: [] },
      { name: 'my table', primaryKey: 'id', columns: [id] },
      { name: 't', primaryKey: 'id', columns: [id, { name: 'first name', type: 'text' }] },
    ];
    for (const schema of bad) {
      expect(() => validateSchema(schema), because(`${JSON.stringify(schema)} is not a usable schema`, SECTION)).toThrow(
        SchemaError,
      );
    }
    expect(() => validateSchema(usersSchema)).not.toThrow();
  });

  it('every row built from the schema validates to itself (property)', () => {
    const row = fc.record(
      {
        id: fc.integer(),
        name: fc.string(),
        region: fc.constantFrom('SEA', 'NYC', 'LON'),
        age: fc.option(fc.nat(120), { nil: null }),
      },
      { requiredKeys: ['id', 'name', 'region'] },
    );
    checkProperty(
      fc.property(row, (input) => {
        expect(validateRow(usersSchema, input)).toEqual({ age: null, ...input });
      }),
    );
  });
  it('a row may leave out nullable columns named constructor and __proto__, and gets null in them', () => {
    const schema: TableSchema = {
      name: 'objects',
      primaryKey: 'id',
      columns: [
        { name: 'id', type: 'int' },
        { name: 'constructor', type: 'text', nullable: true },
        { name: '__proto__', type: 'int', nullable: true },
        { name: 'toString', type: 'bool', nullable: true },
      ],
    };
    const names = ['id', 'constructor', '__proto__', 'toString'];
    const empty = validateRow(schema, { id: 1 });
    expect(Object.keys(empty), because('a missing nullable value is null, even where a plain {} inherits a property', SECTION)).toEqual(names);
    expect(empty).toEqual(ownRow([['id', 1], ['constructor', null], ['__proto__', null], ['toString', null]]));
    const full = validateRow(schema, ownRow([['__proto__', 7], ['id', 2], ['toString', true], ['constructor', 'x']]));
    expect(Object.keys(full), because('a column named __proto__ is stored like any other, not taken as a prototype', SECTION)).toEqual(names);
    expect(full['__proto__']).toBe(7);
    const extra = schemaError(() => validateRow(usersSchema, ownRow([['id', 1], ['name', 'Ada'], ['region', 'SEA'], ['valueOf', 1]])));
    expect(extra.column, because('an undeclared column is an error whatever its name', SECTION)).toBe('valueOf');
  });

  it('a table whose columns are named like inherited object properties validates like any other (property)', () => {
    checkProperty(
      fc.property(propertyNamedTable, ({ schema, names, input, rows }) => {
        expect(() => validateSchema(schema), because('constructor, __proto__, toString, ... are identifiers', SECTION)).not.toThrow();
        input.forEach((row, i) => {
          const valid = validateRow(schema, row);
          expect(Object.keys(valid), because('every column is an own property of the row, in schema order', SECTION)).toEqual(names);
          expect(valid, because('missing nullable values become null; present ones are kept', SECTION)).toEqual(rows[i]);
        });
      }),
      { numRuns: 50 },
    );
  });
});
