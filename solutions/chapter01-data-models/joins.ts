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
import { checkDepth } from './expression-depth.js';
import { columnsOf, conditionHolds, type Expr } from './expression.js';
import { requireColumn, type Relation } from './relation.js';
import { showValue, typeName, type Row, type Value } from './values.js';

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
 * `UnknownColumnError` if the condition names a column neither side has; as for `where`, a
 * condition nested deeper than `MAX_NESTING` is a {@link QueryError} before any row is read, and
 * so is a condition whose value on a pair is neither a boolean nor `null` (`conditionHolds`).
 * Comparing values of different types (a number with a string) is the `QueryError` that
 * `evaluate` throws.
 */
export function nestedLoopJoin(left: Relation, right: Relation, condition: Expr): Relation {
  const columns = joinedColumns(left, right);
  const joined: Relation = { columns, rows: [] };
  checkDepth(condition, 'ON');
  for (const column of columnsOf(condition)) requireColumn(joined, column);
  const rows: Row[] = [];
  // One scratch row, overwritten for every pair: every row of a relation has the same columns,
  // so nothing stale survives, and only matching pairs pay for a fresh object. It has no
  // prototype, so Object.assign stores a column named `__proto__` instead of setting one.
  const scratch: Record<string, Value> = Object.create(null) as Record<string, Value>;
  for (const l of left.rows) {
    Object.assign(scratch, l);
    for (const r of right.rows) {
      Object.assign(scratch, r);
      if (conditionHolds(condition, scratch, 'ON')) rows.push({ ...scratch });
    }
  }
  return { columns, rows };
}

/**
 * Inner equi-join `left.leftColumn = right.rightColumn` with a hash table. Returns the same rows
 * as `nestedLoopJoin(left, right, eq(col(leftColumn), col(rightColumn)))` (as a multiset; the
 * order may differ): every matching pair, so a key that occurs m times on the left and n times on the right
 * gives m × n rows. `null` keys match nothing (as in SQL, `null = null` is not true). Keys of
 * different types are a {@link QueryError}, exactly when the nested-loop join would throw one:
 * if some non-null left key and some non-null right key differ in type (`typeof`), as `1 = '1'`
 * does in `WHERE`. A `Map` alone would silently match nothing instead.
 */
export function hashJoin(left: Relation, right: Relation, leftColumn: string, rightColumn: string): Relation {
  const columns = joinedColumns(left, right);
  requireColumn(left, leftColumn);
  requireColumn(right, rightColumn);

  // Build: key -> every right row with that key, in input order. A Map compares keys with
  // SameValueZero, so 1 and '1' would simply never meet; but `=` on a number and a string is a
  // QueryError, so the build side remembers the types of its keys and the probe checks them.
  const table = new Map<Value, Row[]>();
  const rightTypes = new Map<string, Value>(); // typeof key -> one key of that type, for the message
  for (const r of right.rows) {
    const key = r[rightColumn]!;
    if (key === null) continue;
    if (!rightTypes.has(typeof key)) rightTypes.set(typeof key, key);
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
    for (const [type, other] of rightTypes) {
      if (type !== typeof key) {
        throw new QueryError(
          `cannot join ${leftColumn} = ${rightColumn}: ${typeName(key)} ${showValue(key)} meets ${typeName(other)} ${showValue(other)}`,
        );
      }
    }
    for (const r of table.get(key) ?? []) rows.push({ ...l, ...r });
  }
  return { columns, rows };
}
