/**
 * Exercise 8: running SQL by composing the operators of exercises 4 to 6.
 *
 * The plan is always the same pipeline, in the order SQL defines (not the order it is written):
 * scan `FROM` → join each `JOIN` → filter `WHERE` → group `GROUP BY` and aggregates → sort
 * `ORDER BY` → cut `LIMIT` → project the select list.
 * @module
 */

import { groupBy, type Aggregate, type AggregateFunction } from './aggregation.js';
import { QueryError, UnknownColumnError } from './errors.js';
import { checkDepth } from './expression-depth.js';
import type { Expr } from './expression.js';
import { hashJoin, nestedLoopJoin } from './joins.js';
import { limit, orderBy, project, scanTable, where, type SortKey } from './query.js';
import type { Relation } from './relation.js';
import { parseSql, type SelectStatement } from './sql-parser.js';
import type { Database } from './table-storage.js';

/** An output column: which column of the pipeline's relation, and the name it is shown under. */
interface Output {
  readonly column: string;
  readonly as: string;
}

function bareName(column: string): string {
  return column.slice(column.lastIndexOf('.') + 1);
}

/**
 * Name resolution: `u.name` must exist as written; a bare `name` must match exactly one
 * qualified column (`u.name` or `o.name`, not both).
 */
function resolveColumn(name: string, columns: readonly string[]): string {
  if (columns.includes(name)) return name;
  if (!name.includes('.')) {
    const candidates = columns.filter((c) => bareName(c) === name);
    if (candidates.length === 1) return candidates[0]!;
    if (candidates.length > 1) {
      throw new QueryError(`column "${name}" is ambiguous: it could be ${candidates.join(' or ')}; qualify it`);
    }
  }
  throw new UnknownColumnError(name, columns);
}

function resolveExpr(expr: Expr, columns: readonly string[]): Expr {
  switch (expr.kind) {
    case 'column':
      return { kind: 'column', name: resolveColumn(expr.name, columns) };
    case 'literal':
      return expr;
    case 'compare':
    case 'and':
    case 'or':
      return { ...expr, left: resolveExpr(expr.left, columns), right: resolveExpr(expr.right, columns) };
    case 'not':
    case 'isNull':
      return { ...expr, operand: resolveExpr(expr.operand, columns) };
  }
}

/** If `on` is `a = b` with `a` from the left input and `b` from the right (or swapped), the pair. */
function equiJoinColumns(on: Expr, left: Relation, right: Relation): { left: string; right: string } | undefined {
  if (on.kind !== 'compare' || on.op !== '=' || on.left.kind !== 'column' || on.right.kind !== 'column') return undefined;
  const a = on.left.name;
  const b = on.right.name;
  if (left.columns.includes(a) && right.columns.includes(b)) return { left: a, right: b };
  if (left.columns.includes(b) && right.columns.includes(a)) return { left: b, right: a };
  return undefined;
}

function run(db: Database, statement: SelectStatement, plan: string[]): Relation {
  const from = statement.from;
  let relation = scanTable(db, from.table, from.alias);
  plan.push(`scan ${from.table} as ${from.alias}`);

  for (const join of statement.joins) {
    const right = scanTable(db, join.table.table, join.table.alias);
    checkDepth(join.on, `JOIN ${join.table.table} ON`);
    const on = resolveExpr(join.on, [...relation.columns, ...right.columns]);
    const equi = equiJoinColumns(on, relation, right);
    if (equi !== undefined) {
      relation = hashJoin(relation, right, equi.left, equi.right);
      plan.push(`hash join ${join.table.table} as ${join.table.alias} on ${equi.left} = ${equi.right}`);
    } else {
      relation = nestedLoopJoin(relation, right, on);
      plan.push(`nested-loop join ${join.table.table} as ${join.table.alias}`);
    }
  }

  if (statement.where !== undefined) {
    checkDepth(statement.where, 'WHERE');
    relation = where(relation, resolveExpr(statement.where, relation.columns));
    plan.push('filter');
  }

  const outputs: Output[] = [];
  // The pipeline column that each ORDER BY aggregate sorts on, by its index in statement.orderBy.
  const orderAggregates = new Map<number, string>();
  const aggregated =
    statement.groupBy.length > 0 ||
    statement.select.some((i) => i.kind === 'aggregate') ||
    statement.orderBy.some((t) => t.kind === 'aggregate');
  if (aggregated) {
    const keys = statement.groupBy.map((c) => resolveColumn(c, relation.columns));
    const aggregates: Aggregate[] = [];
    // Inside the pipeline an aggregate is named by its function and its resolved column, e.g.
    // `sum(o.total)`, so `SUM(total)` and `sum(o.total)` are one aggregate, computed once, and an
    // aggregate that only ORDER BY uses is computed without being shown.
    const aggregateColumn = (fn: AggregateFunction, written: string | undefined): string => {
      const column = written === undefined ? undefined : resolveColumn(written, relation.columns);
      const name = `${fn}(${column ?? '*'})`;
      if (!aggregates.some((a) => a.as === name)) {
        aggregates.push(column === undefined ? { fn, as: name } : { fn, column, as: name });
      }
      return name;
    };
    for (const item of statement.select) {
      if (item.kind === 'star') throw new QueryError('SELECT * cannot be combined with GROUP BY or aggregates');
      if (item.kind === 'column') {
        const column = resolveColumn(item.column, relation.columns);
        if (!keys.includes(column)) {
          throw new QueryError(`column "${item.column}" must appear in GROUP BY or be inside an aggregate function`);
        }
        outputs.push({ column, as: item.as ?? bareName(column) });
      } else {
        // Shown as written unless aliased: `sum(total)` stays `sum(total)`.
        outputs.push({ column: aggregateColumn(item.fn, item.column), as: item.as ?? `${item.fn}(${item.column ?? '*'})` });
      }
    }
    statement.orderBy.forEach((term, i) => {
      if (term.kind === 'aggregate') orderAggregates.set(i, aggregateColumn(term.fn, term.column));
    });
    relation = groupBy(relation, keys, aggregates);
    plan.push(keys.length > 0 ? `group by ${keys.join(', ')}` : 'aggregate');
  } else {
    for (const item of statement.select) {
      if (item.kind === 'star') {
        for (const column of relation.columns) {
          const unique = relation.columns.filter((c) => bareName(c) === bareName(column)).length === 1;
          outputs.push({ column, as: unique ? bareName(column) : column });
        }
      } else if (item.kind === 'column') {
        const column = resolveColumn(item.column, relation.columns);
        outputs.push({ column, as: item.as ?? bareName(column) });
      }
    }
  }

  if (statement.orderBy.length > 0) {
    // ORDER BY may name an output column (an alias), any column of the pipeline, or an aggregate.
    const keys: SortKey[] = statement.orderBy.map((term, i) => {
      if (term.kind === 'aggregate') return { column: orderAggregates.get(i)!, descending: term.descending };
      const output = outputs.find((o) => o.as === term.column);
      const column = output !== undefined ? output.column : resolveColumn(term.column, relation.columns);
      return { column, descending: term.descending };
    });
    relation = orderBy(relation, keys);
    plan.push(`sort by ${keys.map((k) => `${k.column}${k.descending === true ? ' desc' : ''}`).join(', ')}`);
  }

  if (statement.limit !== undefined) {
    relation = limit(relation, statement.limit);
    plan.push(`limit ${statement.limit}`);
  }

  plan.push(`project ${outputs.map((o) => o.as).join(', ')}`);
  return project(relation, outputs);
}

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
  return run(db, parseSql(sql), []);
}

/**
 * Runs the query like {@link executeSql} and returns the steps it ran, one line each, in order.
 * A join step reads `hash join orders as o on u.id = o.user_id` (the left input's column
 * first) or `nested-loop join orders as o`; the other steps are `scan users as u`, `filter`,
 * `group by …` or `aggregate`, `sort by …`, `limit N` and `project …`.
 */
export function explainSql(db: Database, sql: string): string[] {
  const plan: string[] = [];
  run(db, parseSql(sql), plan);
  return plan;
}
