import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { SqlSyntaxError } from '@impl/chapter01-data-models/errors.js';
import { and, col, compare, eq, isNull, lit, not, or } from '@impl/chapter01-data-models/expression.js';
import { parseSql } from '@impl/chapter01-data-models/sql-parser.js';
import { MAX_NESTING } from '@impl/chapter01-data-models/values.js';

const SQL = 'A small SQL';

describe('exercise 1.7: parsing the SQL subset', () => {
  it('parses the classic users-join-orders query', () => {
    const statement = parseSql("SELECT u.name, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE u.region = 'SEA'");
    expect(statement).toEqual({
      select: [
        { kind: 'column', column: 'u.name' },
        { kind: 'column', column: 'o.total' },
      ],
      from: { table: 'users', alias: 'u' },
      joins: [{ table: { table: 'orders', alias: 'o' }, on: eq(col('o.user_id'), col('u.id')) }],
      where: eq(col('u.region'), lit('SEA')),
      groupBy: [],
      orderBy: [],
      limit: undefined,
    });
  });

  it('parses aggregates, aliases, GROUP BY, ORDER BY and LIMIT; a table without alias is its own alias', () => {
    const statement = parseSql('select region, count(*) as n, SUM(total) from orders group by region order by n desc, region limit 3;');
    expect(statement.select).toEqual([
      { kind: 'column', column: 'region' },
      { kind: 'aggregate', fn: 'count', as: 'n' },
      { kind: 'aggregate', fn: 'sum', column: 'total' },
    ]);
    expect(statement.from, because('FROM orders means FROM orders AS orders', SQL)).toEqual({ table: 'orders', alias: 'orders' });
    expect(statement.groupBy).toEqual(['region']);
    expect(statement.orderBy).toEqual([
      { kind: 'column', column: 'n', descending: true },
      { kind: 'column', column: 'region', descending: false },
    ]);
    expect(statement.limit).toBe(3);
    expect(parseSql('SELECT * FROM users AS people').select).toEqual([{ kind: 'star' }]);
    expect(parseSql('SELECT * FROM users AS people').from).toEqual({ table: 'users', alias: 'people' });
  });

  it('AND binds tighter than OR, NOT tighter than AND, and parentheses override both', () => {
    const where = (text: string) => parseSql(`SELECT * FROM t WHERE ${text}`).where;
    expect(where('a = 1 OR b = 2 AND c = 3'), because('AND before OR, as in arithmetic * before +', SQL)).toEqual(
      or(eq(col('a'), lit(1)), and(eq(col('b'), lit(2)), eq(col('c'), lit(3)))),
    );
    expect(where('(a = 1 OR b = 2) AND NOT c = 3')).toEqual(
      and(or(eq(col('a'), lit(1)), eq(col('b'), lit(2))), not(eq(col('c'), lit(3)))),
    );
    expect(where('x IS NOT NULL AND y IS NULL')).toEqual(and(isNull(col('x'), true), isNull(col('y'))));
  });

  it('reads every literal: integers, decimals, negatives, quoted quotes, booleans, null, and != as <>', () => {
    const where = (text: string) => parseSql(`SELECT * FROM t WHERE a ${text}`).where;
    expect(where('>= -2.5')).toEqual(compare('>=', col('a'), lit(-2.5)));
    expect(where("= 'it''s'")).toEqual(eq(col('a'), lit("it's")));
    expect(where('!= TRUE')).toEqual(compare('<>', col('a'), lit(true)));
    expect(where('= null')).toEqual(eq(col('a'), lit(null)));
    expect(where('< 10')).toEqual(compare('<', col('a'), lit(10)));
  });

  it('malformed SQL is a SqlSyntaxError that points at the offending token and says what was expected', () => {
    // [statement, offset of the offending token, a word the "expected" text must contain]
    const cases: Array<[string, number, RegExp]> = [
      ['SELECT name FORM users', 12, /FROM/],
      ['SELECT FROM users', 7, /column/i],
      ['SELECT name FROM', 16, /table/i],
      ["SELECT * FROM users WHERE name = 'Ada", 33, /quote/i],
      ['SELECT * FROM users WHERE', 25, /column|value|literal|operand|expression/i],
      ['SELECT * FROM users LIMIT ten', 26, /number|integer/i],
      ['SELECT * FROM users u JOIN orders o', 35, /ON/],
      ['SELECT * FROM users extra words', 26, /end/i],
      ['SELECT median(age) FROM users', 7, /function|count/i],
      ['SELECT * FROM users WHERE a = #', 30, /.+/],
    ];
    for (const [sql, position, expected] of cases) {
      let error: unknown;
      try {
        parseSql(sql);
      } catch (e) {
        error = e;
      }
      expect(error, because(`"${sql}" must not parse`, SQL)).toBeInstanceOf(SqlSyntaxError);
      const syntax = error as SqlSyntaxError;
      expect(syntax.position, because(`the error points at the offending token of "${sql}"`, SQL)).toBe(position);
      expect(syntax.expected, because(`the error says what would have fit in "${sql}"`, SQL)).toMatch(expected);
      expect(syntax.message).toContain(`position ${position}`);
      expect(syntax.message).toContain(sql);
    }
  });
  it('ORDER BY takes aggregate calls, in any case and spacing; an unknown function there is a SqlSyntaxError', () => {
    const statement = parseSql('SELECT region FROM orders GROUP BY region ORDER BY COUNT( * ) DESC, Sum(o.total), max(total) ASC');
    expect(statement.orderBy, because('an aggregate in ORDER BY is parsed like one in the select list', SQL)).toEqual([
      { kind: 'aggregate', fn: 'count', descending: true },
      { kind: 'aggregate', fn: 'sum', column: 'o.total', descending: false },
      { kind: 'aggregate', fn: 'max', column: 'total', descending: false },
    ]);
    let error: unknown;
    try {
      parseSql('SELECT region FROM orders ORDER BY median(total)');
    } catch (e) {
      error = e;
    }
    expect(error, because('median is not one of the aggregate functions', SQL)).toBeInstanceOf(SqlSyntaxError);
    expect((error as SqlSyntaxError).position).toBe(35);
    expect(() => parseSql('SELECT region FROM orders ORDER BY sum(*)')).toThrow(SqlSyntaxError);
  });

  it(`parentheses and NOTs nest up to MAX_NESTING (${MAX_NESTING}) deep; the next one is a SqlSyntaxError, never a RangeError`, () => {
    const parens = (n: number) => `SELECT * FROM t WHERE ${'('.repeat(n)}a = 1${')'.repeat(n)}`;
    expect(parseSql(parens(MAX_NESTING)).where, because('MAX_NESTING open parentheses are allowed', SQL)).toEqual(eq(col('a'), lit(1)));
    const prefix = 'SELECT * FROM t WHERE ';
    for (const [sql, position] of [
      [parens(MAX_NESTING + 1), prefix.length + MAX_NESTING],
      [parens(20_000), prefix.length + MAX_NESTING],
      [`${prefix}${'NOT '.repeat(30_000)}a`, prefix.length + 4 * MAX_NESTING],
      [`${prefix}${'NOT ('.repeat(10_000)}a`, prefix.length + 5 * (MAX_NESTING / 2)],
    ] as const) {
      let error: unknown;
      try {
        parseSql(sql);
      } catch (e) {
        error = e;
      }
      expect(error, because('nesting deeper than MAX_NESTING is a syntax error, not a stack overflow', SQL)).toBeInstanceOf(SqlSyntaxError);
      expect((error as SqlSyntaxError).position, because('it points at the "(" or NOT that opens one level too many', SQL)).toBe(position);
      expect((error as SqlSyntaxError).expected).toContain(String(MAX_NESTING));
    }
    let nots: ReturnType<typeof not> = eq(col('a'), lit(1));
    for (let i = 0; i < MAX_NESTING; i++) nots = not(nots);
    expect(parseSql(`${prefix}${'NOT '.repeat(MAX_NESTING)}a = 1`).where).toEqual(nots);
  });
});
