/**
 * Exercise 4.3: a filtered aggregate over a column table, the bread and butter of analytics
 * ("total sales in March for product 31"). It reads only the columns the query names: the
 * filter columns to find the matching rows, as a bitmap, and the aggregated column to add them
 * up. Every other column's file stays unread, which is the whole point of a column store.
 * @module
 */

import { UsageError } from '../../shared/errors.js';
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
  const names: string[] = [];
  for (const p of query.where) if (!names.includes(p.column)) names.push(p.column);
  if (query.column !== undefined && !names.includes(query.column)) names.push(query.column);
  return names;
}

/**
 * Exercise 4.3. The rows of `column` whose value satisfies `op value`, using the encoding:
 * one test per run (run-length), per dictionary entry (dictionary) or per distinct value
 * (bitmap) rather than per row.
 */
export function matchRows(column: EncodedColumn, op: Comparison, value: ColumnValue): Bitmap {
  const out = new Bitmap(column.rowCount);
  switch (column.encoding) {
    case 'plain':
      column.values.forEach((v, row) => {
        if (compare(v, op, value)) out.set(row);
      });
      return out;
    case 'run-length': {
      let row = 0;
      for (const run of column.runs) {
        if (compare(run.value, op, value)) out.setRange(row, row + run.length);
        row += run.length;
      }
      return out;
    }
    case 'dictionary': {
      const matches = column.dictionary.map((v) => compare(v, op, value));
      column.codes.forEach((code, row) => {
        if (matches[code]) out.set(row);
      });
      return out;
    }
    case 'bitmap': {
      let rows = out;
      for (const b of column.bitmaps) if (compare(b.value, op, value)) rows = rows.or(b.rows);
      return rows;
    }
  }
}

/**
 * Exercise 4.3. Evaluates `query` on `table`, reading only {@link columnsNeeded}. Returns the
 * count, the sum (0 when no row matches), or the min or max (`undefined` when no row matches).
 * Throws a `UsageError` naming the column for an unknown column, a predicate value of the wrong
 * type, a `sum` of a string column, or a missing `column`.
 */
export function filteredAggregate(table: ColumnTable, query: AggregateQuery): ColumnValue | undefined {
  if (query.aggregate !== 'count' && query.column === undefined) {
    throw new UsageError(`a ${query.aggregate} needs the column to aggregate`);
  }
  // Check the whole query before reading any column.
  for (const p of query.where) {
    const spec = table.spec(p.column);
    if ((spec.type === 'int') !== (typeof p.value === 'number')) {
      throw new UsageError(`predicate on column ${p.column}: ${JSON.stringify(p.value)} is not of its type (${spec.type})`);
    }
  }
  if (query.column !== undefined) {
    const spec = table.spec(query.column);
    if (query.aggregate === 'sum' && spec.type !== 'int') throw new UsageError(`cannot sum column ${query.column}: it holds strings`);
  }
  let rows: Bitmap | undefined;
  for (const name of columnsNeeded(query)) table.readColumn(name);
  for (const p of query.where) {
    const match = matchRows(table.readColumn(p.column), p.op, p.value);
    rows = rows === undefined ? match : rows.and(match);
  }
  if (rows === undefined) {
    rows = new Bitmap(table.rowCount);
    rows.setRange(0, table.rowCount);
  }
  if (query.aggregate === 'count') return rows.count();
  const values = decodeColumn(table.readColumn(query.column!));
  if (query.aggregate === 'sum') {
    let sum = 0;
    for (const row of rows.ones()) sum += values[row] as number;
    return sum;
  }
  let best: ColumnValue | undefined;
  const sign = query.aggregate === 'min' ? -1 : 1;
  for (const row of rows.ones()) {
    const v = values[row]!;
    if (best === undefined || compareValues(v, best) * sign > 0) best = v;
  }
  return best;
}
