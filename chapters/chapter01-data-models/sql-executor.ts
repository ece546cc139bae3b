/**
 * Exercise 8: running SQL by composing the operators of exercises 4 to 6.
 *
 * The plan is always the same pipeline, in the order SQL defines (not the order it is written):
 * scan `FROM` → join each `JOIN` → filter `WHERE` → group `GROUP BY` and aggregates → sort
 * `ORDER BY` → cut `LIMIT` → project the select list.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { groupBy, type Aggregate, type AggregateFunction } from './aggregation.js';
import { QueryError, UnknownColumnError } from './errors.js';
import { checkDepth } from './expression-depth.js';
import type { Expr } from './expression.js';
import { hashJoin, nestedLoopJoin } from './joins.js';
import { limit, orderBy, project, scanTable, where, type SortKey } from './query.js';
import type { Relation } from './relation.js';
import { parseSql, type SelectStatement } from './sql-parser.js';
import type { Database } from './table-storage.js';

const EXERCISE = {
  exercise: '1.8 SQL executor',
  file: 'chapter01-data-models/sql-executor.ts',
  section: '1.8 SQL executor',
} as const;

/**
 * Parses and runs one `SELECT`. Output columns are named by their `AS` alias, else by the
 * column's name without its qualifier (`u.name` → `name`), else, for an aggregate, as written
 * (`count(*)`, `sum(o.total)`). A `JOIN … ON a = b` with one column from each side runs as a
 * hash join; any other `ON` as a nested-loop join.
 *
 * `ORDER BY` takes an output name (an alias), an input column, or an aggregate call. Aggregates
 * match by structure, not spelling: the same function (in any case) of the same column after
 * name resolution, so `ORDER BY COUNT( * )` sorts on `count(*) AS n`, and `ORDER BY sum(total)`
 * on `sum(o.total)`. An aggregate that is not in the select list is computed for sorting and not
 * shown; like one in the select list, it makes the query an aggregate query.
 *
 * Throws `SqlSyntaxError` for text that does not parse, `UnknownTableError` and
 * {@link UnknownColumnError} for names that do not exist, and {@link QueryError} for an
 * ambiguous column, a selected column that is neither grouped nor aggregated, a `WHERE` or
 * `ON` condition nested deeper than `MAX_NESTING` (checked before any row is read), or a
 * condition that is not boolean or compares values of different types (`ON u.name = o.id`,
 * even when it runs as a hash join). Never writes.
 */
export function executeSql(db: Database, sql: string): Relation {
  throw new NotImplementedError(EXERCISE);
}

/**
 * Runs the query like {@link executeSql} and returns the steps it ran, one line each, in order.
 * A join step reads `hash join orders as o on u.id = o.user_id` (the left input's column
 * first) or `nested-loop join orders as o`; the other steps are `scan users as u`, `filter`,
 * `group by …` or `aggregate`, `sort by …`, `limit N` and `project …`.
 */
export function explainSql(db: Database, sql: string): string[] {
  throw new NotImplementedError(EXERCISE);
}
