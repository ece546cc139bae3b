import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { groupBy } from '@impl/chapter01-data-models/aggregation.js';
import { QueryError, UnknownColumnError } from '@impl/chapter01-data-models/errors.js';
import type { Relation } from '@impl/chapter01-data-models/relation.js';
import type { Value } from '@impl/chapter01-data-models/values.js';
import { ownRow, propertyNamedTable } from './fixtures.js';

const GROUPING = 'Grouping and aggregation';

const sales: Relation = {
  columns: ['region', 'amount'],
  rows: [
    { region: 'SEA', amount: 30 },
    { region: 'NYC', amount: 99 },
    { region: 'SEA', amount: 12 },
    { region: 'SEA', amount: null },
    { region: null, amount: 5 },
    { region: null, amount: 7 },
  ],
};

describe('exercise 1.6: group by with count, sum, avg, min, max', () => {
  it('one row per group, in order of first appearance, with every aggregate', () => {
    const out = groupBy(
      sales,
      ['region'],
      [
        { fn: 'count', as: 'rows' },
        { fn: 'count', column: 'amount', as: 'amounts' },
        { fn: 'sum', column: 'amount', as: 'sum' },
        { fn: 'avg', column: 'amount', as: 'avg' },
        { fn: 'min', column: 'amount', as: 'min' },
        { fn: 'max', column: 'amount', as: 'max' },
      ],
    );
    expect(out.columns).toEqual(['region', 'rows', 'amounts', 'sum', 'avg', 'min', 'max']);
    expect(out.rows, because('count(*) counts rows; the others skip nulls; null is a group of its own', GROUPING)).toEqual([
      { region: 'SEA', rows: 3, amounts: 2, sum: 42, avg: 21, min: 12, max: 30 },
      { region: 'NYC', rows: 1, amounts: 1, sum: 99, avg: 99, min: 99, max: 99 },
      { region: null, rows: 2, amounts: 2, sum: 12, avg: 6, min: 5, max: 7 },
    ]);
  });

  it('aggregates over only nulls are null, except count which is 0', () => {
    const onlyNulls: Relation = { columns: ['g', 'x'], rows: [{ g: 1, x: null }, { g: 1, x: null }] };
    const out = groupBy(onlyNulls, ['g'], [
      { fn: 'count', column: 'x', as: 'n' },
      { fn: 'sum', column: 'x', as: 's' },
      { fn: 'avg', column: 'x', as: 'a' },
      { fn: 'max', column: 'x', as: 'm' },
    ]);
    expect(out.rows).toEqual([{ g: 1, n: 0, s: null, a: null, m: null }]);
  });

  it('without keys an empty input still gives one row; with keys it gives none', () => {
    const empty: Relation = { columns: sales.columns, rows: [] };
    const total = groupBy(empty, [], [{ fn: 'count', as: 'n' }, { fn: 'sum', column: 'amount', as: 's' }]);
    expect(total.rows, because('SELECT count(*) FROM empty_table returns one row: 0', GROUPING)).toEqual([{ n: 0, s: null }]);
    expect(groupBy(empty, ['region'], [{ fn: 'count', as: 'n' }]).rows).toEqual([]);
  });

  it('min and max work on text too, and groups may have several keys', () => {
    const people: Relation = {
      columns: ['team', 'role', 'name'],
      rows: [
        { team: 'a', role: 'dev', name: 'Zoe' },
        { team: 'a', role: 'dev', name: 'Adam' },
        { team: 'a', role: 'ops', name: 'Kim' },
        { team: 'b', role: 'dev', name: 'Lee' },
      ],
    };
    const out = groupBy(people, ['team', 'role'], [{ fn: 'min', column: 'name', as: 'first' }, { fn: 'max', column: 'name', as: 'last' }]);
    expect(out.rows).toEqual([
      { team: 'a', role: 'dev', first: 'Adam', last: 'Zoe' },
      { team: 'a', role: 'ops', first: 'Kim', last: 'Kim' },
      { team: 'b', role: 'dev', first: 'Lee', last: 'Lee' },
    ]);
  });

  it('sum of text, sum without a column and unknown columns are typed errors', () => {
    const text: Relation = { columns: ['s'], rows: [{ s: 'x' }] };
    expect(() => groupBy(text, [], [{ fn: 'sum', column: 's', as: 't' }])).toThrow(QueryError);
    expect(() => groupBy(sales, [], [{ fn: 'sum', as: 't' }])).toThrow(QueryError);
    expect(() => groupBy(sales, ['regoin'], [])).toThrow(UnknownColumnError);
    expect(() => groupBy(sales, [], [{ fn: 'max', column: 'amt', as: 'm' }])).toThrow(UnknownColumnError);
  });

  it('the group counts add up to the input size and the group sums to the total (property)', () => {
    const rows = fc.array(fc.record({ g: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }), x: fc.integer({ min: -100, max: 100 }) }), {
      maxLength: 30,
    });
    checkProperty(
      fc.property(rows, (input) => {
        const relation: Relation = { columns: ['g', 'x'], rows: input };
        const out = groupBy(relation, ['g'], [{ fn: 'count', as: 'n' }, { fn: 'sum', column: 'x', as: 's' }]);
        const keys = out.rows.map((r) => r['g']);
        expect(new Set(keys).size, because('each key value forms exactly one group', GROUPING)).toBe(keys.length);
        expect(out.rows.reduce((n, r) => n + (r['n'] as number), 0)).toBe(input.length);
        expect(out.rows.reduce((s, r) => s + (r['s'] as number), 0)).toBe(input.reduce((s, r) => s + r.x, 0));
      }),
    );
  });
  it('grouping by, and naming outputs after, inherited object properties works like any other name (property)', () => {
    checkProperty(
      fc.property(propertyNamedTable, ({ names, absent, rows }) => {
        const relation: Relation = { columns: names, rows };
        // Group by the second column, count the rows and the non-null values of the last one.
        const [key, counted, rowsAs, valuesAs] = [names[1]!, names[names.length - 1]!, absent[0]!, absent[1]!];
        const out = groupBy(relation, [key], [
          { fn: 'count', as: rowsAs },
          { fn: 'count', column: counted, as: valuesAs },
        ]);
        const groups = new Map<string, { key: Value; n: number; values: number }>();
        for (const r of rows) {
          const id = JSON.stringify(r[key]);
          const group = groups.get(id) ?? { key: r[key]!, n: 0, values: 0 };
          group.n++;
          if (r[counted] !== null) group.values++;
          groups.set(id, group);
        }
        expect(out.columns).toEqual([key, rowsAs, valuesAs]);
        expect(out.rows, because('one row per key value, even "constructor" or "__proto__"; each output an own property', GROUPING)).toEqual(
          [...groups.values()].map((g) => ownRow([[key, g.key], [rowsAs, g.n], [valuesAs, g.values]])),
        );
      }),
      { numRuns: 30 },
    );
  });
});
