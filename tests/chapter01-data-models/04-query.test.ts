import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { QueryError, UnknownColumnError, UnknownTableError } from '@impl/chapter01-data-models/errors.js';
import { col, eq, lit, compare } from '@impl/chapter01-data-models/expression.js';
import { limit, orderBy, project, scanTable, where } from '@impl/chapter01-data-models/query.js';
import type { Relation } from '@impl/chapter01-data-models/relation.js';
import { shop } from './fixtures.js';

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
});
