import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { QueryError, SqlSyntaxError, UnknownColumnError, UnknownTableError } from '@impl/chapter01-data-models/errors.js';
import { executeSql, explainSql } from '@impl/chapter01-data-models/sql-executor.js';
import { Database } from '@impl/chapter01-data-models/table-storage.js';
import { compareValues, MAX_NESTING } from '@impl/chapter01-data-models/values.js';
import { dump, ownRow, propertyNamedTable, shop } from './fixtures.js';

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
  it('a WHERE or ON condition that is not boolean, or a JOIN on columns of different types, is a QueryError', () => {
    const { db } = shop();
    const LOGIC = 'Three-valued logic';
    expect(() => executeSql(db, 'SELECT name FROM users WHERE age'), because('WHERE age keeps nothing silently otherwise', LOGIC)).toThrow(
      QueryError,
    );
    expect(() => executeSql(db, 'SELECT name FROM users WHERE NOT age')).toThrow(QueryError);
    expect(() => executeSql(db, 'SELECT u.name FROM users u JOIN orders o ON o.total')).toThrow(QueryError);
    expect(explainSql(db, 'SELECT u.name FROM users u JOIN orders o ON o.id = u.id')).toContain('hash join orders as o on u.id = o.id');
    for (const on of ['u.name = o.id', 'o.id = u.name']) {
      expect(() => executeSql(db, `SELECT u.name FROM users u JOIN orders o ON ${on}`), because(`ON ${on} compares text with int`, 'Joins')).toThrow(
        QueryError,
      );
    }
    expect(() => executeSql(db, 'SELECT u.name FROM users u JOIN orders o ON u.name = o.id OR o.id = 1')).toThrow(QueryError);
  });

  it(`a WHERE or ON condition nested deeper than MAX_NESTING (${MAX_NESTING}) is a QueryError, and nothing stored changes`, () => {
    const { kv, db } = shop();
    const before = dump(kv);
    const chain = `age = 1${' AND age = 1'.repeat(MAX_NESTING)}`;
    expect(() => executeSql(db, `SELECT name FROM users WHERE ${chain}`), because('a long AND chain parses, but is a tree too deep to run', SQL)).toThrow(
      QueryError,
    );
    expect(() => executeSql(db, `SELECT u.name FROM users u JOIN orders o ON ${chain.replaceAll('age', 'u.age')}`)).toThrow(QueryError);
    const long = `age = 1${' OR age = 1'.repeat(30_000)}`;
    expect(() => executeSql(db, `SELECT name FROM users WHERE ${long}`), because('never a stack overflow', SQL)).toThrow(QueryError);
    const shallow = `age = 36${' OR age = 1'.repeat(MAX_NESTING - 2)}`;
    expect(executeSql(db, `SELECT name FROM users WHERE ${shallow}`).rows, because('a tree MAX_NESTING deep runs', SQL)).toEqual([{ name: 'Ada' }]);
    expect(dump(kv)).toEqual(before);
  });

  it('ORDER BY an aggregate matches it by function and column, however spelled, selected or not (property)', () => {
    const row = fc.record({ g: fc.constantFrom('a', 'b', 'c', 'd'), x: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }) });
    checkProperty(
      fc.property(fc.array(row, { maxLength: 20 }), (input) => {
        const db = new Database(new MemoryKV());
        db.createTable({
          name: 't',
          primaryKey: 'id',
          columns: [{ name: 'id', type: 'int' }, { name: 'g', type: 'text' }, { name: 'x', type: 'int', nullable: true }],
        });
        db.insertMany('t', input.map((r, id) => ({ id, ...r })));
        const byAlias = executeSql(db, 'SELECT g, sum(x) AS s, count(*) AS n FROM t GROUP BY g ORDER BY s DESC, n, g').rows;
        const expected = [...byAlias].sort(
          (a, b) => -compareValues(a['s']!, b['s']!) || compareValues(a['n']!, b['n']!) || compareValues(a['g']!, b['g']!),
        );
        expect(byAlias, because('ORDER BY an alias sorts on that output', SQL)).toEqual(expected);
        for (const order of ['SUM(x) DESC, COUNT(*), g', 'sum( t.x ) DESC, count( * ) ASC, t.g', 'Sum(x) DESC, n, g']) {
          const sql = `SELECT g, sum(x) AS s, count(*) AS n FROM t GROUP BY g ORDER BY ${order}`;
          expect(executeSql(db, sql).rows, because(`ORDER BY ${order} names the same aggregates`, SQL)).toEqual(expected);
        }
        const hidden = executeSql(db, 'SELECT g FROM t GROUP BY g ORDER BY sum(x) DESC, count(*), g').rows;
        expect(hidden, because('an aggregate only ORDER BY uses is computed, not shown', SQL)).toEqual(expected.map((r) => ({ g: r['g'] })));
      }),
      { numRuns: 40 },
    );
  });

  it('ORDER BY an aggregate makes the query an aggregate query, with the same rules as the select list', () => {
    const { db } = shop();
    expect(executeSql(db, 'SELECT count(*) AS n FROM users ORDER BY max(age)').rows).toEqual([{ n: 4 }]);
    expect(() => executeSql(db, 'SELECT name FROM users ORDER BY count(*)'), because('name is neither grouped nor aggregated', SQL)).toThrow(
      QueryError,
    );
    expect(() => executeSql(db, 'SELECT region FROM users GROUP BY region ORDER BY max(height)')).toThrow(UnknownColumnError);
  });

  it('SQL over a table whose columns are named like inherited object properties works like any other (property)', () => {
    checkProperty(
      fc.property(propertyNamedTable, ({ schema, names, absent, rows }) => {
        const db = new Database(new MemoryKV());
        db.createTable(schema);
        db.insertMany('t', rows);
        const key = names[0]!;
        const byKey = [...rows].sort((a, b) => compareValues(a[key]!, b[key]!));
        expect(executeSql(db, `SELECT * FROM t ORDER BY ${key}`).rows, because('SELECT * returns every value under its own name', SQL)).toEqual(byKey);
        const last = names[names.length - 1]!;
        const nulls = executeSql(db, `SELECT ${names.join(', ')} FROM t WHERE ${last} IS NULL ORDER BY t.${key}`).rows;
        expect(nulls, because(`${last} IS NULL finds the rows whose ${last} is null`, SQL)).toEqual(byKey.filter((r) => r[last] === null));
        const group = names[1]!;
        const counts = new Map<string, number>();
        for (const r of rows) counts.set(JSON.stringify(r[group]), (counts.get(JSON.stringify(r[group])) ?? 0) + 1);
        const expected = [...counts]
          .map(([k, n]) => ownRow([[group, JSON.parse(k) as string | number | null], [absent[0]!, n]]))
          .sort((a, b) => compareValues(a[group]!, b[group]!));
        const grouped = executeSql(db, `SELECT ${group}, count(*) AS ${absent[0]} FROM t GROUP BY ${group} ORDER BY ${group}`).rows;
        expect(grouped, because('GROUP BY and AS work with any identifier', 'Grouping and aggregation')).toEqual(expected);
        // A self-join on the primary key, under aliases that are property names too.
        const [l, r] = [absent[1]!, absent[2]!];
        const joined = executeSql(db, `SELECT ${l}.${key} AS ${absent[0]!}, ${r}.${last} FROM t AS ${l} JOIN t ${r} ON ${l}.${key} = ${r}.${key} ORDER BY ${absent[0]!} DESC`);
        expect(joined.columns).toEqual([absent[0]!, last]);
        expect(joined.rows, because('a join matches every row with itself, whatever its columns and aliases are called', 'Joins')).toEqual(
          [...byKey].reverse().map((row) => ownRow([[absent[0]!, row[key]!], [last, row[last]!]])),
        );
      }),
      { numRuns: 30 },
    );
  });
});
