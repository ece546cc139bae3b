/**
 * Exercise 7: parsing a small SQL subset.
 *
 * Grammar (keywords are case-insensitive; `[ ]` optional, `{ }` repeated):
 *
 * ```text
 * statement := SELECT items FROM table {JOIN table ON expr} [WHERE expr]
 *              [GROUP BY column {, column}] [ORDER BY order {, order}] [LIMIT integer] [;]
 * items     := * | item {, item}
 * item      := (column | function ( column | * )) [AS name]
 * table     := name [[AS] alias]
 * order     := (column | function ( column | * )) [ASC | DESC]
 * expr      := and {OR and}         and := not {AND not}         not := NOT not | predicate
 * predicate := operand [op operand | IS [NOT] NULL]      op := = | <> | != | < | <= | > | >=
 * operand   := column | number | -number | 'text' | TRUE | FALSE | NULL | ( expr )
 * column    := name [. name]
 * ```
 *
 * Each "(" of an expression and each NOT opens a level of nesting that ends with the operand it
 * applies to; at most `MAX_NESTING` (1000) levels may be open at once.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { AggregateFunction } from './aggregation.js';
import { SqlSyntaxError } from './errors.js';
import type { CompareOp, Expr } from './expression.js';
import { MAX_NESTING } from './values.js';

const EXERCISE = {
  exercise: '1.7 SQL parser',
  file: 'chapter01-data-models/sql-parser.ts',
  section: '1.7 SQL parser',
} as const;

/** One item of the select list. Column names are kept as written, e.g. `u.name` or `name`. */
export type SelectItem =
  | { readonly kind: 'star' }
  | { readonly kind: 'column'; readonly column: string; readonly as?: string }
  | { readonly kind: 'aggregate'; readonly fn: AggregateFunction; readonly column?: string; readonly as?: string };

/** A table in `FROM` or `JOIN`. Without an alias, the alias is the table's name. */
export interface TableRef {
  readonly table: string;
  readonly alias: string;
}

/** `JOIN table ON condition`. */
export interface JoinClause {
  readonly table: TableRef;
  readonly on: Expr;
}

/**
 * One `ORDER BY` term: a name as written (an output name or an input column), or an aggregate
 * call, its function name lower-cased and its column as written (`COUNT( * )` is
 * `{ kind: 'aggregate', fn: 'count', descending }`).
 */
export type OrderTerm =
  | { readonly kind: 'column'; readonly column: string; readonly descending: boolean }
  | { readonly kind: 'aggregate'; readonly fn: AggregateFunction; readonly column?: string; readonly descending: boolean };

/** A parsed `SELECT` statement. Absent clauses are empty lists or `undefined`. */
export interface SelectStatement {
  readonly select: readonly SelectItem[];
  readonly from: TableRef;
  readonly joins: readonly JoinClause[];
  readonly where: Expr | undefined;
  readonly groupBy: readonly string[];
  readonly orderBy: readonly OrderTerm[];
  readonly limit: number | undefined;
}

// Suggested structure: a tokenizer that turns the text into words, numbers, strings and symbols,
// each with its offset; then a recursive-descent parser with one method per grammar rule.

/**
 * Parses one `SELECT` statement of the subset above into a {@link SelectStatement}. Keywords
 * may be in any case; names keep theirs. Throws a {@link SqlSyntaxError} whose `position` is
 * the offset of the first token that does not fit (the text's length at its end; the opening
 * quote of an unterminated string; the character itself if no token starts there), and whose
 * `expected` says what would have fitted, naming the keyword when one was required (`FROM`).
 * An unknown function (`median(x)`) is a syntax error in the select list and in `ORDER BY`
 * alike. The "(" or NOT that would open nesting level `MAX_NESTING + 1` is a syntax error at its
 * offset whose `expected` names the limit, never a stack overflow.
 */
export function parseSql(sql: string): SelectStatement {
  throw new NotImplementedError(EXERCISE);
}
