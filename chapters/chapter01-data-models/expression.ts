/**
 * Exercise 3: expressions and SQL's three-valued logic.
 *
 * A `WHERE` or `ON` condition is a small tree. Evaluating it against a row gives a value; a row
 * passes a filter only when the condition is `true`. Comparisons with `null` give `null`
 * ("unknown"), and `AND`, `OR`, `NOT` treat unknown the way SQL does.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { QueryError, UnknownColumnError } from './errors.js';
import { typeName, showValue, type Row, type Value } from './values.js';

const EXERCISE = {
  exercise: '1.3 Expressions',
  file: 'chapter01-data-models/expression.ts',
  section: '1.3 Expressions',
} as const;

/** The comparison operators. `<>` is "not equal". */
export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** An expression tree. */
export type Expr =
  | { readonly kind: 'column'; readonly name: string }
  | { readonly kind: 'literal'; readonly value: Value }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'and'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly operand: Expr }
  | { readonly kind: 'isNull'; readonly operand: Expr; readonly negated: boolean };

/** A column reference. */
export function col(name: string): Expr {
  return { kind: 'column', name };
}

/** A constant. */
export function lit(value: Value): Expr {
  return { kind: 'literal', value };
}

/** A comparison, e.g. `compare('=', col('u.id'), col('o.user_id'))`. */
export function compare(op: CompareOp, left: Expr, right: Expr): Expr {
  return { kind: 'compare', op, left, right };
}

/** `left = right`. */
export function eq(left: Expr, right: Expr): Expr {
  return compare('=', left, right);
}

/** `left AND right`. */
export function and(left: Expr, right: Expr): Expr {
  return { kind: 'and', left, right };
}

/** `left OR right`. */
export function or(left: Expr, right: Expr): Expr {
  return { kind: 'or', left, right };
}

/** `NOT operand`. */
export function not(operand: Expr): Expr {
  return { kind: 'not', operand };
}

/** `operand IS NULL`, or `IS NOT NULL` when `negated`. */
export function isNull(operand: Expr, negated = false): Expr {
  return { kind: 'isNull', operand, negated };
}

/** The column names an expression reads, in order of appearance, without duplicates. */
export function columnsOf(expr: Expr): string[] {
  const out: string[] = [];
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'column':
        if (!out.includes(e.name)) out.push(e.name);
        return;
      case 'literal':
        return;
      case 'compare':
      case 'and':
      case 'or':
        visit(e.left);
        visit(e.right);
        return;
      case 'not':
      case 'isNull':
        visit(e.operand);
        return;
    }
  };
  visit(expr);
  return out;
}

/**
 * Evaluates `expr` against `row`.
 *
 * - A column reads `row[name]`; a column the row lacks throws an {@link UnknownColumnError}.
 * - A comparison with `null` on either side is `null`; comparing values of different types
 *   (a number with a string) throws a {@link QueryError}.
 * - `AND` is `false` if either side is `false`, else `null` if either is `null`, else `true`;
 *   `OR` is the mirror image; `NOT null` is `null`. Their operands must be booleans or `null`.
 * - `IS NULL` and `IS NOT NULL` are never `null`.
 */
export function evaluate(expr: Expr, row: Row): Value {
  throw new NotImplementedError(EXERCISE);
}
