/**
 * Exercise 4.3: a filtered aggregate over a column table, the bread and butter of analytics
 * ("total sales in March for product 31"). It reads only the columns the query names: the
 * filter columns to find the matching rows, as a bitmap, and the aggregated column to add them
 * up. Every other column's file stays unread, which is the whole point of a column store.
 * @module
 */

import { NotImplementedError, UsageError } from '../../shared/errors.js';
import { Bitmap } from './bitmap.js';
import { compareValues, decodeColumn, type ColumnValue, type EncodedColumn } from './column-encoding.js';
import type { ColumnTable } from './column-file.js';

/** A comparison between a column and a constant. */
export type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** `column op value`, e.g. `{ column: 'country', op: '=', value: 'NL' }`. */
export interface Predicate {
  readonly column: string;
  readonly op: Comparison;
  readonly value: ColumnValue;
}

/** An aggregate over the rows matching every predicate of `where` (all rows if it is empty). */
export interface AggregateQuery {
  readonly where: readonly Predicate[];
  /** `count` counts rows; `sum` adds an int column; `min` and `max` work on either type. */
  readonly aggregate: 'count' | 'sum' | 'min' | 'max';
  /** The aggregated column; required except for `count`. */
  readonly column?: string;
}

/** True when `a op b`. */
export function compare(a: ColumnValue, op: Comparison, b: ColumnValue): boolean {
  const c = compareValues(a, b);
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

/** Exercise 4.3. The columns `query` must read, each once, filters first, in query order. */
export function columnsNeeded(query: AggregateQuery): string[] {
  throw new NotImplementedError({
    exercise: '4.3 Filtered aggregates',
    file: 'chapter02-storage-engines/column-query.ts',
    section: '4.3 Filtered aggregates',
  });
}

/**
 * Exercise 4.3. The rows of `column` whose value satisfies `op value`, using the encoding:
 * one test per run (run-length), per dictionary entry (dictionary) or per distinct value
 * (bitmap) rather than per row.
 */
export function matchRows(column: EncodedColumn, op: Comparison, value: ColumnValue): Bitmap {
  throw new NotImplementedError({
    exercise: '4.3 Filtered aggregates',
    file: 'chapter02-storage-engines/column-query.ts',
    section: '4.3 Filtered aggregates',
  });
}

/**
 * Exercise 4.3. Evaluates `query` on `table`, reading only {@link columnsNeeded}. Returns the
 * count, the sum (0 when no row matches), or the min or max (`undefined` when no row matches).
 * Throws a `UsageError` naming the column for an unknown column, a predicate value of the wrong
 * type, a `sum` of a string column, or a missing `column`.
 */
export function filteredAggregate(table: ColumnTable, query: AggregateQuery): ColumnValue | undefined {
  throw new NotImplementedError({
    exercise: '4.3 Filtered aggregates',
    file: 'chapter02-storage-engines/column-query.ts',
    section: '4.3 Filtered aggregates',
  });
}
