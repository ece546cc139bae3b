/**
 * Exercise 4: the single-table operators of relational algebra.
 *
 * `scanTable` turns a stored table into a relation; `where` keeps rows (selection), `project`
 * keeps and renames columns (projection), `orderBy` sorts, `limit` cuts. Each takes a relation
 * and returns a new one, so they compose into query plans.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { QueryError } from './errors.js';
import { checkDepth } from './expression-depth.js';
import { columnsOf, conditionHolds, type Expr } from './expression.js';
import { requireColumn, type Relation } from './relation.js';
import type { Database } from './table-storage.js';
import { compareValues, type Row } from './values.js';

const EXERCISE = {
  exercise: '1.4 Select, where, project, order, limit',
  file: 'chapter01-data-models/query.ts',
  section: '1.4 Select, where, project, order, limit',
} as const;

/** A column to keep, optionally renamed: `'name'` or `{ column: 'u.name', as: 'name' }`. */
export type ProjectItem = string | { readonly column: string; readonly as: string };

/** One sort key of {@link orderBy}. */
export interface SortKey {
  readonly column: string;
  /** Largest first. Default: smallest first. */
  readonly descending?: boolean;
}

/**
 * Reads a whole table, in primary-key order. With an `alias`, every column is qualified:
 * column `name` of `scanTable(db, 'users', 'u')` is called `u.name`. Throws an
 * `UnknownTableError` for a table that does not exist.
 */
export function scanTable(db: Database, table: string, alias?: string): Relation {
  throw new NotImplementedError(EXERCISE);
}

/**
 * Selection: the rows for which `condition` evaluates to exactly `true` (not `null`), in their
 * input order. Throws an `UnknownColumnError` before reading any row if the condition
 * names a column the relation does not have, and a {@link QueryError} if it nests deeper than
 * `MAX_NESTING`, even when the relation is empty. A condition whose value on a row is neither a
 * boolean nor `null` (`WHERE age`) is a {@link QueryError}, not a row silently dropped
 * (`conditionHolds` applies this rule).
 */
export function where(relation: Relation, condition: Expr): Relation {
  throw new NotImplementedError(EXERCISE);
}

/**
 * Projection: every row, keeping only the listed columns, in the listed order, renamed where an
 * item says `as` (any name, `__proto__` included, becomes an own property of the new rows).
 * Throws an `UnknownColumnError` for a column the relation lacks and a {@link QueryError} if two
 * output columns would have the same name. Duplicate rows are kept
 * (this is SQL's bag semantics, not set semantics).
 */
export function project(relation: Relation, items: readonly ProjectItem[]): Relation {
  throw new NotImplementedError(EXERCISE);
}

/**
 * Sorts by the keys, the first key deciding first, using `compareValues` (nulls first). The
 * sort is stable: rows equal on every key keep their input order. Throws an
 * `UnknownColumnError` for a key the relation lacks.
 */
export function orderBy(relation: Relation, keys: readonly SortKey[]): Relation {
  throw new NotImplementedError(EXERCISE);
}

/**
 * The first `count` rows after skipping `offset`. Both must be non-negative integers, else a
 * {@link QueryError}.
 */
export function limit(relation: Relation, count: number, offset = 0): Relation {
  throw new NotImplementedError(EXERCISE);
}
