/**
 * Exercise 5: two ways to join.
 *
 * A nested-loop join tries every pair of rows: O(|left| × |right|) condition checks, any
 * condition. A hash join handles the common case, equality on one column from each side, in
 * O(|left| + |right|): build a hash table of the right side keyed by its column, then probe it
 * with each left row. Both return the same rows; this solution even keeps them in the same order.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { QueryError } from './errors.js';
import { checkDepth } from './expression-depth.js';
import { columnsOf, conditionHolds, type Expr } from './expression.js';
import { requireColumn, type Relation } from './relation.js';
import { showValue, typeName, type Row, type Value } from './values.js';

const EXERCISE = {
  exercise: '1.5 Joins',
  file: 'chapter01-data-models/joins.ts',
  section: '1.5 Joins',
} as const;

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
  throw new NotImplementedError(EXERCISE);
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
  throw new NotImplementedError(EXERCISE);
}
