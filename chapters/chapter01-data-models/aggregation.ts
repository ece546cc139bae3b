/**
 * Exercise 6: grouping and aggregate functions.
 *
 * `GROUP BY` splits the rows into groups that agree on the key columns and turns each group into
 * one output row: its key values plus one value per aggregate function.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { QueryError } from './errors.js';
import { requireColumn, type Relation } from './relation.js';
import { compareValues, showValue, typeName, type Row, type Value } from './values.js';

const EXERCISE = {
  exercise: '1.6 Aggregation',
  file: 'chapter01-data-models/aggregation.ts',
  section: '1.6 Aggregation',
} as const;

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
  throw new NotImplementedError(EXERCISE);
}
