/**
 * Exercise 5: two ways to join.
 *
 * A nested-loop join tries every pair of rows: O(|left| × |right|) condition checks, any
 * condition. A hash join handles the common case, equality on one column from each side, in
 * O(|left| + |right|): build a hash table of the right side keyed by its column, then probe it
 * with each left row. Both return the same rows; this solution even keeps them in the same order.
 * @module
 */

import { QueryError } from './errors.js';
import { columnsOf, evaluate, type Expr } from './expression.js';
import { requireColumn, type Relation } from './relation.js';
import type { Row, Value } from './values.js';

/** The output columns of a join: left's, then right's. Throws a {@link QueryError} on a clash. */
function joinedColumns(left: Relation, right: Relation): string[] {
  for (const column of right.columns) {
    if (left.columns.includes(column)) {
      throw new QueryError(`both sides of the join have a column "${column}"; qualify the columns (scanTable's alias)`);
    }
  }
  return [...left.columns, ...right.columns];
}

/**
 * Inner join by brute force: for each left row (in order), for each right row (in order), emit
 * the merged row `{ ...leftRow, ...rightRow }` when `condition` evaluates to `true` on it.
 * Throws a {@link QueryError} if the two sides share a column name, and an
 * `UnknownColumnError` if the condition names a column neither side has.
 */
export function nestedLoopJoin(left: Relation, right: Relation, condition: Expr): Relation {
  const columns = joinedColumns(left, right);
  const joined: Relation = { columns, rows: [] };
  for (const column of columnsOf(condition)) requireColumn(joined, column);
  const rows: Row[] = [];
  // One scratch row, overwritten for every pair: every row of a relation has the same columns,
  // so nothing stale survives, and only matching pairs pay for a fresh object.
  const scratch: Record<string, Value> = {};
  for (const l of left.rows) {
    Object.assign(scratch, l);
    for (const r of right.rows) {
      Object.assign(scratch, r);
      if (evaluate(condition, scratch) === true) rows.push({ ...scratch });
    }
  }
  return { columns, rows };
}

/**
 * Inner equi-join `left.leftColumn = right.rightColumn` with a hash table. Returns the same rows
 * as `nestedLoopJoin(left, right, eq(col(leftColumn), col(rightColumn)))` (as a multiset; the
 * order may differ): every matching pair, so a key that occurs m times on the left and n times on the right
 * gives m × n rows. `null` keys match nothing (as in SQL, `null = null` is not true).
 */
export function hashJoin(left: Relation, right: Relation, leftColumn: string, rightColumn: string): Relation {
  const columns = joinedColumns(left, right);
  requireColumn(left, leftColumn);
  requireColumn(right, rightColumn);

  // Build: key -> every right row with that key, in input order. A Map compares keys with
  // SameValueZero, so 1 and '1' are different keys, as they are for `=`.
  const table = new Map<Value, Row[]>();
  for (const r of right.rows) {
    const key = r[rightColumn]!;
    if (key === null) continue;
    let bucket = table.get(key);
    if (bucket === undefined) {
      bucket = [];
      table.set(key, bucket);
    }
    bucket.push(r);
  }

  // Probe: each left row meets its bucket, in order, so the output order is nested-loop order.
  const rows: Row[] = [];
  for (const l of left.rows) {
    const key = l[leftColumn]!;
    if (key === null) continue;
    for (const r of table.get(key) ?? []) rows.push({ ...l, ...r });
  }
  return { columns, rows };
}
