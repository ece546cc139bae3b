import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { QueryError, SqlSyntaxError, UnknownColumnError, UnknownTableError } from '@impl/chapter01-data-models/errors.js';
import { executeSql, explainSql } from '@impl/chapter01-data-models/sql-executor.js';
import { Database } from '@impl/chapter01-data-models/table-storage.js';
import { dump, shop } from './fixtures.js';

const SQL = 'A small SQL';

describe('exercise 1.8: running SQL', () => {
  it("runs the classic query: names and order totals of users in region 'SEA'", () => {
    const { db } = shop();
    const result = executeSql(db, "SELECT u.name, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE u.region = 'SEA'");
    expect(result.columns, because('output columns are named without their qualifier', SQL)).toEqual(['name', 'total']);
    expect(result.rows).toEqual([
      { name: 'Ada', total: 30 },
      { name: 'Ada', total: 12.5 },
      { name: 'Linus', total: 7 },
    ]);
  });

  it('an equality ON runs as a hash join, any other ON as a nested-loop join', () => {
    const { db } = shop();
    const plan = explainSql(db, 'SELECT u.name FROM users u JOIN orders o ON o.user_id = u.id');
    expect(plan, because('the planner picks the hash join for an equi-join', 'Joins')).toContain(
      'hash join orders as o on u.id = o.user_id',
    );
    const theta = explainSql(db, 'SELECT u.name FROM users u JOIN orders o ON o.total > u.age');
    expect(theta).toContain('nested-loop join orders as o');
    expect(executeSql(db, 'SELECT u.name, o.id FROM users u JOIN orders o ON o.total > u.age').rows).toEqual([
      { name: 'Ada', id: 12 },
      { name: 'Grace', id: 12 },
      { name: 'Barbara', id: 10 },
      { name: 'Barbara', id: 12 },
    ]);
  });

  it('groups, aggregates, orders by an alias and limits', () => {
    const { db } = shop();
    const result = executeSql(
      db,
      'SELECT u.region, count(*) AS orders, sum(o.total) AS revenue FROM users u JOIN orders o ON u.id = o.user_id ' +
        'GROUP BY u.region ORDER BY revenue DESC LIMIT 2',
    );
    expect(result.columns).toEqual(['region', 'orders', 'revenue']);
    expect(result.rows, because('ORDER BY may name an output alias; LIMIT applies after sorting', SQL)).toEqual([
      { region: 'NYC', orders: 1, revenue: 99 },
      { region: 'SEA', orders: 3, revenue: 49.5 },
    ]);
  });

  it('aggregates without GROUP BY make one group; unaliased aggregates are named as written', () => {
    const { db } = shop();
    const result = executeSql(db, 'SELECT count(*), avg(age), max(name) FROM users WHERE age IS NOT NULL');
    expect(result.columns).toEqual(['count(*)', 'avg(age)', 'max(name)']);
    expect(result.rows).toEqual([{ 'count(*)': 3, 'avg(age)': 110 / 3, 'max(name)': 'Grace' }]);
  });

  it('SELECT * returns every column under its bare name, and ORDER BY may use a column not selected', () => {
    const { db } = shop();
    const result = executeSql(db, 'SELECT * FROM users ORDER BY name DESC LIMIT 2');
    expect(result.columns).toEqual(['id', 'name', 'region', 'age']);
    expect(result.rows.map((r) => r['name']), because('LIMIT keeps the first rows after sorting', SQL)).toEqual([
      'Linus',
      'Grace',
    ]);
    expect(executeSql(db, 'SELECT name FROM users ORDER BY age').rows.map((r) => r['name'])).toEqual([
      'Linus',
      'Barbara',
      'Ada',
      'Grace',
    ]);
  });

  it('a query naming an unknown table or column is a typed error with the names that do exist', () => {
    const { db } = shop();
    expect(() => executeSql(db, 'SELECT name FROM usres')).toThrow(UnknownTableError);
    expect(() => executeSql(db, 'SELECT u.name FROM users u JOIN ordres o ON o.user_id = u.id')).toThrow(UnknownTableError);
    let error: unknown;
    try {
      executeSql(db, "SELECT u.nmae FROM users u WHERE u.region = 'SEA'");
    } catch (e) {
      error = e;
    }
    expect(error, because('an unknown column is named in the error', SQL)).toBeInstanceOf(UnknownColumnError);
    expect((error as UnknownColumnError).column).toBe('u.nmae');
    expect((error as UnknownColumnError).available).toContain('u.name');
    expect(() => executeSql(db, 'SELECT name FROM users WHERE regoin = 1')).toThrow(UnknownColumnError);
    expect(() => executeSql(db, 'SELECT name FROM users ORDER BY height')).toThrow(UnknownColumnError);
  });

  it('an ambiguous column or a column neither grouped nor aggregated is a QueryError', () => {
    const { db } = shop();
    expect(() => executeSql(db, 'SELECT id FROM users u JOIN orders o ON o.user_id = u.id'), because('id could be u.id or o.id', SQL)).toThrow(
      QueryError,
    );
    expect(() => executeSql(db, 'SELECT name, count(*) FROM users GROUP BY region')).toThrow(QueryError);
    expect(() => executeSql(db, 'SELECT * FROM users GROUP BY region')).toThrow(QueryError);
  });

  it('malformed SQL is a SqlSyntaxError, and no failing query changes the store', () => {
    const { kv, db } = shop();
    const before = dump(kv);
    expect(() => executeSql(db, 'SELECT name FORM users')).toThrow(SqlSyntaxError);
    expect(() => executeSql(db, 'SELECT name FROM nowhere')).toThrow(UnknownTableError);
    expect(dump(kv)).toEqual(before);
  });

  it('filter, sort, limit and group by agree with plain array code on random tables (property)', () => {
    const row = fc.record({ g: fc.constantFrom('a', 'b', 'c'), x: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }) });
    checkProperty(
      fc.property(fc.array(row, { maxLength: 25 }), fc.integer({ min: -5, max: 5 }), fc.nat(6), (input, k, n) => {
        const db = new Database(new MemoryKV());
        db.createTable({
          name: 't',
          primaryKey: 'id',
          columns: [{ name: 'id', type: 'int' }, { name: 'g', type: 'text' }, { name: 'x', type: 'int', nullable: true }],
        });
        const rows = input.map((r, id) => ({ id, ...r }));
        db.insertMany('t', rows);

        // WHERE drops nulls (unknown), ORDER BY x DESC then id, LIMIT n.
        const expected = rows
          .filter((r) => r.x !== null && r.x > k)
          .sort((a, b) => b.x! - a.x! || a.id - b.id)
          .slice(0, n)
          .map((r) => ({ id: r.id, x: r.x }));
        const actual = executeSql(db, `SELECT id, x FROM t WHERE x > ${k} ORDER BY x DESC, id LIMIT ${n}`).rows;
        expect(actual, because('WHERE, then ORDER BY, then LIMIT, then the select list', SQL)).toEqual(expected);

        const groups = new Map<string, { n: number; s: number | null }>();
        for (const r of rows) {
          const group = groups.get(r.g) ?? { n: 0, s: null };
          group.n++;
          if (r.x !== null) group.s = (group.s ?? 0) + r.x;
          groups.set(r.g, group);
        }
        const expectedGroups = [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([g, v]) => ({ g, n: v.n, s: v.s }));
        const actualGroups = executeSql(db, 'SELECT g, count(*) AS n, sum(x) AS s FROM t GROUP BY g ORDER BY g').rows;
        expect(actualGroups, because('one row per group; sum skips nulls', 'Grouping and aggregation')).toEqual(expectedGroups);
      }),
      { numRuns: 60 },
    );
  });
});
