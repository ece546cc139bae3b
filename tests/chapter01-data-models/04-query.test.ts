import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { QueryError, UnknownColumnError, UnknownTableError } from '@impl/chapter01-data-models/errors.js';
import { and, col, eq, isNull, lit, compare, not, type Expr } from '@impl/chapter01-data-models/expression.js';
import { limit, orderBy, project, scanTable, where } from '@impl/chapter01-data-models/query.js';
import type { Relation } from '@impl/chapter01-data-models/relation.js';
import { Database } from '@impl/chapter01-data-models/table-storage.js';
import { MAX_NESTING } from '@impl/chapter01-data-models/values.js';
import { ownRow, propertyNamedTable, shop } from './fixtures.js';

const ALGEBRA = 'Relational algebra';

const people: Relation = {
  columns: ['name', 'region', 'age'],
  rows: [
    { name: 'Ada', region: 'SEA', age: 36 },
    { name: 'Grace', region: 'NYC', age: 45 },
    { name: 'Linus', region: 'SEA', age: null },
    { name: 'Barbara', region: 'LON', age: 29 },
    { name: 'Alan', region: 'SEA', age: 41 },
  ],
};

describe('exercise 1.4: select, where, project, order, limit', () => {
  it('scanTable reads a table in key order and qualifies columns with the alias', () => {
    const { db } = shop();
    const u = scanTable(db, 'users', 'u');
    expect(u.columns).toEqual(['u.id', 'u.name', 'u.region', 'u.age']);
    expect(u.rows[0]).toEqual({ 'u.id': 1, 'u.name': 'Ada', 'u.region': 'SEA', 'u.age': 36 });
    expect(scanTable(db, 'users').columns, because('without an alias, names stay bare', ALGEBRA)).toEqual([
      'id',
      'name',
      'region',
      'age',
    ]);
    expect(() => scanTable(db, 'usres', 'u')).toThrow(UnknownTableError);
  });

  it('where keeps the rows whose condition is true, in input order, and drops unknown ones', () => {
    const sea = where(people, eq(col('region'), lit('SEA')));
    expect(sea.rows.map((r) => r['name'])).toEqual(['Ada', 'Linus', 'Alan']);
    const older = where(people, compare('>', col('age'), lit(30)));
    expect(older.rows.map((r) => r['name']), because('null > 30 is unknown, so Linus is dropped', 'Three-valued logic')).toEqual([
      'Ada',
      'Grace',
      'Alan',
    ]);
  });

  it('where names an unknown column: UnknownColumnError, even on an empty relation', () => {
    const empty: Relation = { columns: people.columns, rows: [] };
    expect(() => where(empty, eq(col('regoin'), lit('SEA'))), because('columns are checked before rows are read', ALGEBRA)).toThrow(
      UnknownColumnError,
    );
  });

  it('project keeps the listed columns in the listed order, renames, and keeps duplicate rows', () => {
    const out = project(people, ['region', { column: 'name', as: 'who' }]);
    expect(out.columns).toEqual(['region', 'who']);
    expect(out.rows[0]).toEqual({ region: 'SEA', who: 'Ada' });
    const regions = project(people, ['region']);
    expect(regions.rows.length, because('SQL projection keeps duplicates (bags, not sets)', ALGEBRA)).toBe(5);
    expect(() => project(people, ['nmae'])).toThrow(UnknownColumnError);
    expect(() => project(people, ['name', { column: 'region', as: 'name' }])).toThrow(QueryError);
  });

  it('orderBy sorts by several keys, descending on request, nulls first, and is stable', () => {
    const byRegionThenAge = orderBy(people, [{ column: 'region' }, { column: 'age', descending: true }]);
    expect(byRegionThenAge.rows.map((r) => r['name'])).toEqual(['Barbara', 'Grace', 'Alan', 'Ada', 'Linus']);
    const byAge = orderBy(people, [{ column: 'age' }]);
    expect(byAge.rows.map((r) => r['name']), because('null sorts first', ALGEBRA)).toEqual([
      'Linus',
      'Barbara',
      'Ada',
      'Alan',
      'Grace',
    ]);
    const byRegion = orderBy(people, [{ column: 'region' }]);
    expect(byRegion.rows.map((r) => r['name']), because('equal keys keep their input order', ALGEBRA)).toEqual([
      'Barbara',
      'Grace',
      'Ada',
      'Linus',
      'Alan',
    ]);
    expect(people.rows[0]!['name'], because('operators never change their input', ALGEBRA)).toBe('Ada');
    expect(() => orderBy(people, [{ column: 'height' }])).toThrow(UnknownColumnError);
  });

  it('limit takes the first rows after an offset and rejects negative or fractional counts', () => {
    expect(limit(people, 2).rows.map((r) => r['name'])).toEqual(['Ada', 'Grace']);
    expect(limit(people, 2, 3).rows.map((r) => r['name'])).toEqual(['Barbara', 'Alan']);
    expect(limit(people, 10, 4).rows.length).toBe(1);
    expect(() => limit(people, -1)).toThrow(QueryError);
    expect(() => limit(people, 1.5)).toThrow(QueryError);
  });

  it('the operators compose into a plan: the oldest SEA user with a known age', () => {
    const { db } = shop();
    const plan = limit(
      orderBy(where(scanTable(db, 'users', 'u'), eq(col('u.region'), lit('SEA'))), [{ column: 'u.age', descending: true }]),
      1,
    );
    expect(project(plan, [{ column: 'u.name', as: 'name' }]).rows).toEqual([{ name: 'Ada' }]);
  });
  it('a condition that is neither boolean nor null is a QueryError in WHERE, as it is under NOT', () => {
    const LOGIC = 'Three-valued logic';
    expect(() => where(people, col('age')), because('WHERE age is a mistake, not a filter that keeps nothing', LOGIC)).toThrow(QueryError);
    expect(() => where(people, not(col('age'))), because('the same operand under NOT', LOGIC)).toThrow(QueryError);
    expect(() => where(people, col('name'))).toThrow(QueryError);
    expect(() => where(people, lit(1))).toThrow(QueryError);
    const flags: Relation = {
      columns: ['name', 'admin'],
      rows: [
        { name: 'Ada', admin: true },
        { name: 'Grace', admin: null },
        { name: 'Linus', admin: false },
      ],
    };
    expect(where(flags, col('admin')).rows.map((r) => r['name']), because('a boolean column is a condition; null drops the row', LOGIC)).toEqual([
      'Ada',
    ]);
  });

  it(`a WHERE condition nested deeper than MAX_NESTING (${MAX_NESTING}) is a QueryError before any row is read`, () => {
    let deep: Expr = eq(col('age'), lit(1));
    for (let i = 0; i < 100_000; i++) deep = and(deep, lit(true));
    const empty: Relation = { columns: people.columns, rows: [] };
    expect(() => where(empty, deep), because('the depth is checked before rows are read, as column names are', ALGEBRA)).toThrow(QueryError);
    expect(() => where(people, deep), because('a deep condition must not overflow the stack', ALGEBRA)).toThrow(QueryError);
  });

  it('scan, where IS NULL and project treat columns named like inherited object properties like any other (property)', () => {
    checkProperty(
      fc.property(propertyNamedTable, ({ schema, names, rows }) => {
        const db = new Database(new MemoryKV());
        db.createTable(schema);
        db.insertMany('t', rows);
        const table = scanTable(db, 't');
        expect(table.columns).toEqual(names);
        expect(table.rows.length).toBe(rows.length);
        for (const name of names) {
          const nulls = rows.filter((r) => r[name] === null).length;
          expect(where(table, isNull(col(name))).rows.length, because(`${name} IS NULL finds every null ${name}`, ALGEBRA)).toBe(nulls);
          expect(where(table, isNull(col(name), true)).rows.length).toBe(rows.length - nulls);
        }
        // Rename every column to the next name round the list: each output is an own property.
        const renamed = names.map((name, i) => ({ column: name, as: names[(i + 1) % names.length]! }));
        const projected = project(table, renamed);
        expect(projected.columns).toEqual(renamed.map((r) => r.as));
        expect(projected.rows, because('projection keeps every value under its new name, whatever the name', ALGEBRA)).toEqual(
          table.rows.map((r) => ownRow(renamed.map(({ column, as }) => [as, r[column]!]))),
        );
      }),
      { numRuns: 30 },
    );
  });
});
