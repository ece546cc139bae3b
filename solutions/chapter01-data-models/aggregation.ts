/**
 * Exercise 6: grouping and aggregate functions.
 *
 * `GROUP BY` splits the rows into groups that agree on the key columns and turns each group into
 * one output row: its key values plus one value per aggregate function.
 * @module
 */

import { QueryError } from './errors.js';
import { requireColumn, type Relation } from './relation.js';
import { compareValues, showValue, typeName, type Row, type Value } from './values.js';

/** The aggregate functions. */
export type AggregateFunction = 'count' | 'sum' | 'avg' | 'min' | 'max';

/** One aggregate of {@link groupBy}: `{ fn: 'sum', column: 'o.total', as: 'revenue' }`. */
export interface Aggregate {
  readonly fn: AggregateFunction;
  /** The input column. Omitted only for `count`, meaning `count(*)`: count rows. */
  readonly column?: string;
  /** The output column's name. */
  readonly as: string;
}

function aggregate(spec: Aggregate, rows: readonly Row[]): Value {
  if (spec.column === undefined) return rows.length; // count(*)
  // Every function but count(*) ignores nulls.
  const values = rows.map((r) => r[spec.column!]!).filter((v) => v !== null);
  switch (spec.fn) {
    case 'count':
      return values.length;
    case 'min':
    case 'max': {
      if (values.length === 0) return null;
      const sign = spec.fn === 'min' ? -1 : 1;
      return values.reduce((best, v) => (sign * compareValues(v, best) > 0 ? v : best));
    }
    case 'sum':
    case 'avg': {
      if (values.length === 0) return null;
      let sum = 0;
      for (const v of values) {
        if (typeof v !== 'number') {
          throw new QueryError(`${spec.fn}(${spec.column}) needs numbers, got ${typeName(v)} ${showValue(v)}`);
        }
        sum += v;
      }
      return spec.fn === 'sum' ? sum : sum / values.length;
    }
  }
}

/**
 * Groups rows by the `keys` columns and computes the aggregates for each group.
 *
 * - Output columns: the keys, then each aggregate's `as`, in that order, as own properties of
 *   each output row whatever their names (`toString`, `__proto__`, ...).
 * - One output row per distinct combination of key values, in order of first appearance; `null`
 *   is a key value like any other (all nulls form one group).
 * - `count(*)` counts rows; every other function ignores `null`s: `count(c)` counts non-null
 *   values, `sum`, `avg`, `min`, `max` of no non-null values are `null`. `sum` and `avg` need
 *   numbers, else a {@link QueryError}; `min` and `max` use `compareValues`.
 * - With no keys the whole input is one group, so even an empty input gives one row
 *   (`count` 0); with keys, an empty input gives no rows.
 * - Throws an `UnknownColumnError` for a missing key or aggregate column, and a
 *   {@link QueryError} for an aggregate other than `count` without a column, or for two output
 *   columns with the same name.
 */
export function groupBy(relation: Relation, keys: readonly string[], aggregates: readonly Aggregate[]): Relation {
  for (const key of keys) requireColumn(relation, key);
  for (const spec of aggregates) {
    if (spec.column === undefined) {
      if (spec.fn !== 'count') throw new QueryError(`${spec.fn} needs a column; only count may use *`);
    } else {
      requireColumn(relation, spec.column);
    }
  }
  const columns = [...keys, ...aggregates.map((a) => a.as)];
  if (new Set(columns).size !== columns.length) throw new QueryError(`duplicate output column in ${columns.join(', ')}`);

  // JSON text of the key values identifies a group: it tells 1 from "1" and null from "null".
  const groups = new Map<string, Row[]>();
  for (const row of relation.rows) {
    const id = JSON.stringify(keys.map((k) => row[k]));
    const group = groups.get(id);
    if (group === undefined) groups.set(id, [row]);
    else group.push(row);
  }
  if (keys.length === 0 && groups.size === 0) groups.set('[]', []);

  const rows: Row[] = [];
  for (const members of groups.values()) {
    // Own properties, defined rather than assigned, whatever the names (`__proto__` too).
    const keyCells = keys.map((key): [string, Value] => [key, members[0]![key]!]);
    const aggregateCells = aggregates.map((spec): [string, Value] => [spec.as, aggregate(spec, members)]);
    rows.push(Object.fromEntries([...keyCells, ...aggregateCells]));
  }
  return { columns, rows };
}
