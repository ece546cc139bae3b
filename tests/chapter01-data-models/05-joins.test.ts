import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { QueryError, UnknownColumnError } from '@impl/chapter01-data-models/errors.js';
import { and, col, compare, eq, lit, type Expr } from '@impl/chapter01-data-models/expression.js';
import { hashJoin, nestedLoopJoin } from '@impl/chapter01-data-models/joins.js';
import { project, scanTable } from '@impl/chapter01-data-models/query.js';
import type { Relation } from '@impl/chapter01-data-models/relation.js';
import type { Row, Value } from '@impl/chapter01-data-models/values.js';
import { ownRow, propertyNameText, shop, sorted } from './fixtures.js';

const JOINS = 'Joins';

function relation(prefix: string, rows: ReadonlyArray<{ k: number | null; v: number }>): Relation {
  return {
    columns: [`${prefix}.k`, `${prefix}.v`],
    rows: rows.map((r) => ({ [`${prefix}.k`]: r.k, [`${prefix}.v`]: r.v })),
  };
}

describe('exercise 1.5: nested-loop join and hash join', () => {
  it('a hash join of users and orders pairs every order with its user and drops the orphan', () => {
    const { db } = shop();
    const joined = hashJoin(scanTable(db, 'users', 'u'), scanTable(db, 'orders', 'o'), 'u.id', 'o.user_id');
    expect(joined.columns).toEqual(['u.id', 'u.name', 'u.region', 'u.age', 'o.id', 'o.user_id', 'o.total', 'o.status']);
    const pairs = project(joined, ['u.name', 'o.id']).rows;
    expect(sorted(pairs), because('an inner join keeps only matching pairs', JOINS)).toEqual(
      sorted([
        { 'u.name': 'Ada', 'o.id': 10 },
        { 'u.name': 'Ada', 'o.id': 11 },
        { 'u.name': 'Grace', 'o.id': 12 },
        { 'u.name': 'Linus', 'o.id': 13 },
      ]),
    );
  });

  it('a key repeated m times on the left and n times on the right gives m × n rows, in both joins', () => {
    const left = relation('l', [{ k: 1, v: 1 }, { k: 1, v: 2 }, { k: 2, v: 3 }]);
    const right = relation('r', [{ k: 1, v: 10 }, { k: 1, v: 20 }, { k: 1, v: 30 }]);
    const hashed = hashJoin(left, right, 'l.k', 'r.k');
    expect(hashed.rows.length, because('duplicate keys on both sides multiply: 2 × 3', JOINS)).toBe(6);
    expect(nestedLoopJoin(left, right, eq(col('l.k'), col('r.k'))).rows.length).toBe(6);
    expect(sorted(hashed.rows.map((r) => [r['l.v'], r['r.v']]))).toEqual(
      sorted([[1, 10], [1, 20], [1, 30], [2, 10], [2, 20], [2, 30]]),
    );
  });

  it('null keys match nothing, not even other nulls', () => {
    const left = relation('l', [{ k: null, v: 1 }, { k: 1, v: 2 }]);
    const right = relation('r', [{ k: null, v: 10 }, { k: 1, v: 20 }]);
    expect(hashJoin(left, right, 'l.k', 'r.k').rows.length, because('null = null is not true', 'Three-valued logic')).toBe(1);
    expect(nestedLoopJoin(left, right, eq(col('l.k'), col('r.k'))).rows.length).toBe(1);
  });

  it('a nested-loop join takes any condition, such as an inequality', () => {
    const left = relation('l', [{ k: 1, v: 0 }, { k: 5, v: 0 }]);
    const right = relation('r', [{ k: 2, v: 0 }, { k: 3, v: 0 }, { k: 9, v: 0 }]);
    const joined = nestedLoopJoin(left, right, compare('<', col('l.k'), col('r.k')));
    expect(joined.rows.map((r) => [r['l.k'], r['r.k']])).toEqual([
      [1, 2],
      [1, 3],
      [1, 9],
      [5, 9],
    ]);
  });

  it('hash join and nested-loop join return the same rows on random tables (property)', () => {
    const rows = fc.array(fc.record({ k: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }), v: fc.integer() }), {
      maxLength: 12,
    });
    checkProperty(
      fc.property(rows, rows, (l, r) => {
        const left = relation('l', l);
        const right = relation('r', r);
        const hashed = hashJoin(left, right, 'l.k', 'r.k');
        const looped = nestedLoopJoin(left, right, eq(col('l.k'), col('r.k')));
        expect(sorted(hashed.rows), because('the two join algorithms agree (as multisets of rows)', JOINS)).toEqual(
          sorted(looped.rows),
        );
        expect(hashed.columns).toEqual(looped.columns);
      }),
      { numRuns: 200 },
    );
  });

  it('joining two sides that share a column name is a QueryError; an unknown join column an UnknownColumnError', () => {
    const left = relation('x', [{ k: 1, v: 1 }]);
    expect(() => hashJoin(left, left, 'x.k', 'x.k'), because('merged rows would lose a column', JOINS)).toThrow(QueryError);
    expect(() => nestedLoopJoin(left, left, eq(col('x.k'), col('x.k')))).toThrow(QueryError);
    const right = relation('y', [{ k: 1, v: 1 }]);
    expect(() => hashJoin(left, right, 'x.key', 'y.k')).toThrow(UnknownColumnError);
    expect(() => nestedLoopJoin(left, right, eq(col('x.k'), col('z.k')))).toThrow(UnknownColumnError);
  });
  it('joining keys of different types is a QueryError in both joins, as comparing them is in WHERE', () => {
    const numbers = relation('l', [{ k: 1, v: 1 }, { k: null, v: 2 }]);
    const texts: Relation = { columns: ['r.k'], rows: [{ 'r.k': '1' }, { 'r.k': null }] };
    expect(() => hashJoin(numbers, texts, 'l.k', 'r.k'), because('1 = \'1\' is a type error, not "no match"', JOINS)).toThrow(QueryError);
    expect(() => nestedLoopJoin(numbers, texts, eq(col('l.k'), col('r.k')))).toThrow(QueryError);
    const onlyNulls: Relation = { columns: ['r.k'], rows: [{ 'r.k': null }] };
    expect(hashJoin(numbers, onlyNulls, 'l.k', 'r.k').rows, because('null compares with anything: unknown, no error', JOINS)).toEqual([]);
  });

  it('a join condition that is neither boolean nor null, or nested deeper than MAX_NESTING, is a QueryError', () => {
    const left = relation('l', [{ k: 1, v: 1 }]);
    const right = relation('r', [{ k: 1, v: 2 }]);
    expect(() => nestedLoopJoin(left, right, col('l.v')), because('ON l.v is a mistake, not a condition that matches nothing', JOINS)).toThrow(
      QueryError,
    );
    let deep: Expr = eq(col('l.k'), col('r.k'));
    for (let i = 0; i < 100_000; i++) deep = and(deep, lit(true));
    const empty = relation('r', []);
    expect(() => nestedLoopJoin(left, empty, deep), because('checked before any pair is tried', JOINS)).toThrow(QueryError);
    expect(() => nestedLoopJoin(left, right, deep), because('a deep condition must not overflow the stack', JOINS)).toThrow(QueryError);
  });

  it('hash join and nested-loop join agree on keys of mixed types, errors included (property)', () => {
    const key = fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('0', '1'), fc.boolean(), fc.constant(null));
    const rows = fc.array(fc.record({ k: key, v: fc.integer() }), { maxLength: 6 });
    const outcome = (join: () => Relation): string => {
      try {
        return JSON.stringify(sorted(join().rows));
      } catch (error) {
        expect(error, because('a join either returns rows or throws a QueryError', JOINS)).toBeInstanceOf(QueryError);
        return 'QueryError';
      }
    };
    checkProperty(
      fc.property(rows, rows, (l, r) => {
        const left: Relation = { columns: ['l.k', 'l.v'], rows: l.map((x) => ({ 'l.k': x.k, 'l.v': x.v })) };
        const right: Relation = { columns: ['r.k', 'r.v'], rows: r.map((x) => ({ 'r.k': x.k, 'r.v': x.v })) };
        expect(outcome(() => hashJoin(left, right, 'l.k', 'r.k')), because('a hash join fails exactly when = would', JOINS)).toBe(
          outcome(() => nestedLoopJoin(left, right, eq(col('l.k'), col('r.k')))),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('both joins match keys and keep columns named like inherited object properties (property)', () => {
    const side = (key: string, value: string) =>
      fc.array(fc.tuple(fc.option(propertyNameText, { nil: null }), fc.integer({ min: 0, max: 3 })), { maxLength: 6 }).map(
        (cells): Relation => ({ columns: [key, value], rows: cells.map(([k, v]) => ownRow([[key, k], [value, v]])) }),
      );
    checkProperty(
      fc.property(side('constructor', 'toString'), side('__proto__', 'valueOf'), (left, right) => {
        const expected: Row[] = [];
        for (const l of left.rows) {
          for (const r of right.rows) {
            if (l['constructor'] !== null && l['constructor'] === r['__proto__']) {
              expected.push(ownRow([...Object.entries(l), ...Object.entries(r)] as Array<[string, Value]>));
            }
          }
        }
        const hashed = hashJoin(left, right, 'constructor', '__proto__');
        expect(hashed.columns).toEqual(['constructor', 'toString', '__proto__', 'valueOf']);
        expect(sorted(hashed.rows), because('text keys such as "toString" are keys like any other', JOINS)).toEqual(sorted(expected));
        const looped = nestedLoopJoin(left, right, eq(col('constructor'), col('__proto__')));
        expect(looped.rows, because('a merged row keeps a column named __proto__ as its own', JOINS)).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });
});
