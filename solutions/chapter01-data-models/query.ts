/**
 * Exercise 4: the single-table operators of relational algebra.
 *
 * `scanTable` turns a stored table into a relation; `where` keeps rows (selection), `project`
 * keeps and renames columns (projection), `orderBy` sorts, `limit` cuts. Each takes a relation
 * and returns a new one, so they compose into query plans.
 * @module
 */

import { QueryError } from './errors.js';
import { checkDepth } from './expression-depth.js';
import { columnsOf, conditionHolds, type Expr } from './expression.js';
import { requireColumn, type Relation } from './relation.js';
import type { Database } from './table-storage.js';
import { compareValues, type Row } from './values.js';

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
  const schema = db.schema(table);
  const rename = (column: string) => (alias === undefined ? column : `${alias}.${column}`);
  const columns = schema.columns.map((c) => rename(c.name));
  const rows = db.scan(table).map((row): Row => Object.fromEntries(schema.columns.map((c) => [rename(c.name), row[c.name]!])));
  return { columns, rows };
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
  checkDepth(condition, 'WHERE');
  for (const column of columnsOf(condition)) requireColumn(relation, column);
  return { columns: relation.columns, rows: relation.rows.filter((row) => conditionHolds(condition, row, 'WHERE')) };
}

/**
 * Projection: every row, keeping only the listed columns, in the listed order, renamed where an
 * item says `as` (any name, `__proto__` included, becomes an own property of the new rows).
 * Throws an `UnknownColumnError` for a column the relation lacks and a {@link QueryError} if two
 * output columns would have the same name. Duplicate rows are kept
 * (this is SQL's bag semantics, not set semantics).
 */
export function project(relation: Relation, items: readonly ProjectItem[]): Relation {
  const pairs = items.map((item) => (typeof item === 'string' ? { column: item, as: item } : item));
  const names = new Set<string>();
  for (const { column, as } of pairs) {
    requireColumn(relation, column);
    if (names.has(as)) throw new QueryError(`two output columns are named "${as}"; rename one`);
    names.add(as);
  }
  const rows = relation.rows.map((row): Row => Object.fromEntries(pairs.map(({ column, as }) => [as, row[column]!])));
  return { columns: pairs.map((p) => p.as), rows };
}

/**
 * Sorts by the keys, the first key deciding first, using `compareValues` (nulls first). The
 * sort is stable: rows equal on every key keep their input order. Throws an
 * `UnknownColumnError` for a key the relation lacks.
 */
export function orderBy(relation: Relation, keys: readonly SortKey[]): Relation {
  for (const key of keys) requireColumn(relation, key.column);
  const compareRows = (a: Row, b: Row): number => {
    for (const key of keys) {
      const d = compareValues(a[key.column]!, b[key.column]!);
      if (d !== 0) return key.descending === true ? -d : d;
    }
    return 0;
  };
  // Array.prototype.sort is stable (ES2019), which is what makes multi-pass sorts predictable.
  return { columns: relation.columns, rows: [...relation.rows].sort(compareRows) };
}

/**
 * The first `count` rows after skipping `offset`. Both must be non-negative integers, else a
 * {@link QueryError}.
 */
export function limit(relation: Relation, count: number, offset = 0): Relation {
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(offset) || offset < 0) {
    throw new QueryError(`LIMIT and OFFSET must be non-negative integers, got ${count} and ${offset}`);
  }
  return { columns: relation.columns, rows: relation.rows.slice(offset, offset + count) };
}
