import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { QueryError, UnknownColumnError } from '@impl/chapter01-data-models/errors.js';
import { and, col, compare, eq, evaluate, isNull, lit, not, or, type CompareOp, type Expr } from '@impl/chapter01-data-models/expression.js';
import { MAX_NESTING, type Value } from '@impl/chapter01-data-models/values.js';
import { propertyNamedTable } from './fixtures.js';

const LOGIC = 'Three-valued logic';
const row = { 'u.name': 'Ada', 'u.age': 36, 'u.region': null, 'u.admin': true };

describe('exercise 1.3: expressions and three-valued logic', () => {
  it('comparisons work on numbers and on strings', () => {
    const cases: Array<[CompareOp, Value, Value, boolean]> = [
      ['=', 36, 36, true],
      ['<>', 36, 36, false],
      ['<', 2, 10, true],
      ['<=', 10, 10, true],
      ['>', 'b', 'a', true],
      ['>=', 'a', 'b', false],
      ['=', 'Ada', 'ada', false],
    ];
    for (const [op, a, b, expected] of cases) {
      expect(evaluate(compare(op, lit(a), lit(b)), row), because(`${a} ${op} ${b}`, LOGIC)).toBe(expected);
    }
    expect(evaluate(eq(col('u.name'), lit('Ada')), row)).toBe(true);
    expect(evaluate(col('u.age'), row)).toBe(36);
  });

  it('any comparison with null is null (unknown), even null = null', () => {
    for (const op of ['=', '<>', '<', '>='] as const) {
      expect(evaluate(compare(op, col('u.region'), lit('SEA')), row), because(`null ${op} 'SEA' is unknown`, LOGIC)).toBe(null);
    }
    expect(evaluate(eq(lit(null), lit(null)), row), because('null = null is unknown, not true', LOGIC)).toBe(null);
  });

  it('AND, OR and NOT follow the three-valued truth tables', () => {
    const values = [true, false, null] as const;
    const expectedAnd = [
      [true, false, null],
      [false, false, false],
      [null, false, null],
    ];
    const expectedOr = [
      [true, true, true],
      [true, false, null],
      [true, null, null],
    ];
    values.forEach((a, i) => {
      values.forEach((b, j) => {
        expect(evaluate(and(lit(a), lit(b)), row), because(`${a} AND ${b}`, LOGIC)).toBe(expectedAnd[i]![j]);
        expect(evaluate(or(lit(a), lit(b)), row), because(`${a} OR ${b}`, LOGIC)).toBe(expectedOr[i]![j]);
      });
    });
    expect([evaluate(not(lit(true)), row), evaluate(not(lit(false)), row), evaluate(not(lit(null)), row)]).toEqual([
      false,
      true,
      null,
    ]);
  });

  it('IS NULL and IS NOT NULL are never unknown', () => {
    expect(evaluate(isNull(col('u.region')), row)).toBe(true);
    expect(evaluate(isNull(col('u.region'), true), row)).toBe(false);
    expect(evaluate(isNull(col('u.name')), row)).toBe(false);
    expect(evaluate(isNull(eq(col('u.region'), lit('SEA'))), row), because('the unknown result is null', LOGIC)).toBe(true);
  });

  it('a column the row lacks is an UnknownColumnError naming it', () => {
    expect(() => evaluate(eq(col('u.nmae'), lit('Ada')), row)).toThrow(UnknownColumnError);
    try {
      evaluate(col('u.nmae'), row);
    } catch (error) {
      expect((error as UnknownColumnError).column).toBe('u.nmae');
    }
  });

  it('comparing a number with a string, or AND on a number, is a QueryError', () => {
    expect(() => evaluate(eq(col('u.age'), lit('36')), row)).toThrow(QueryError);
    expect(() => evaluate(and(col('u.age'), lit(true)), row)).toThrow(QueryError);
  });
  it('a column named like an inherited object property reads the row\'s own value, or is unknown (property)', () => {
    checkProperty(
      fc.property(propertyNamedTable, ({ names, absent, rows }) => {
        for (const r of rows) {
          for (const name of names) {
            expect(evaluate(col(name), r), because(`column ${name} is the row's own value`, LOGIC)).toBe(r[name]);
            expect(evaluate(isNull(col(name)), r), because(`${name} IS NULL looks at the row's own value`, LOGIC)).toBe(r[name] === null);
          }
          expect(() => evaluate(col(absent[0]!), r), because(`a row without ${absent[0]} does not inherit one`, LOGIC)).toThrow(
            UnknownColumnError,
          );
        }
      }),
      { numRuns: 30 },
    );
  });

  it(`an expression nested up to MAX_NESTING (${MAX_NESTING}) deep evaluates; deeper is a QueryError, never a RangeError`, () => {
    const nots = (n: number, inner: Expr): Expr => {
      let e = inner;
      for (let i = 0; i < n; i++) e = not(e);
      return e;
    };
    const deep = 'Three-valued logic';
    expect(evaluate(nots(MAX_NESTING - 1, lit(true)), row), because('a tree MAX_NESTING deep (leaf included) is allowed', deep)).toBe(
      MAX_NESTING % 2 === 1,
    );
    expect(() => evaluate(nots(MAX_NESTING, lit(true)), row), because('one level deeper is a QueryError', deep)).toThrow(QueryError);
    expect(() => evaluate(nots(100_000, lit(true)), row), because('a deep tree must not overflow the stack', deep)).toThrow(QueryError);
    let chain: Expr = eq(col('u.age'), lit(36));
    for (let i = 0; i < 100_000; i++) chain = and(chain, lit(true));
    expect(() => evaluate(chain, row), because('a long AND chain is a deep tree too', deep)).toThrow(QueryError);
  });
});
