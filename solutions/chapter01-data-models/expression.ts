/**
 * Exercise 3: expressions and SQL's three-valued logic.
 *
 * A `WHERE` or `ON` condition is a small tree. Evaluating it against a row gives a value; a row
 * passes a filter only when the condition is `true`. Comparisons with `null` give `null`
 * ("unknown"), and `AND`, `OR`, `NOT` treat unknown the way SQL does.
 * @module
 */

import { QueryError, UnknownColumnError } from './errors.js';
import { checkDepth, childrenOf } from './expression-depth.js';
import { MAX_NESTING, typeName, showValue, type Row, type Value } from './values.js';

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

/**
 * The column names an expression reads, in order of appearance, without duplicates. Throws a
 * {@link QueryError} for an expression nested deeper than {@link MAX_NESTING}.
 */
export function columnsOf(expr: Expr): string[] {
  checkDepth(expr, 'expression');
  const out: string[] = [];
  const visit = (e: Expr): void => {
    if (e.kind === 'column') {
      if (!out.includes(e.name)) out.push(e.name);
      return;
    }
    for (const child of childrenOf(e)) visit(child);
  };
  visit(expr);
  return out;
}

/**
 * Whether a row passes a filter (`clause` is `WHERE` or `ON`, for the message): `true` when
 * `condition` evaluates to `true`, `false` when it is `false` or `null` (unknown). A condition
 * whose value is neither a boolean nor `null` (a number, a string) is a {@link QueryError}, as
 * it is under `NOT`, `AND` and `OR`: `WHERE age` is a mistake, not a filter that keeps nothing.
 */
export function conditionHolds(condition: Expr, row: Row, clause: string): boolean {
  const value = evaluate(condition, row);
  if (value === null || typeof value === 'boolean') return value === true;
  throw new QueryError(`${clause} needs a boolean condition, got ${showValue(value)} (${typeName(value)})`);
}

/** A truth value of three-valued logic: `null` is "unknown". */
function truth(value: Value, where: string): boolean | null {
  if (value === null || typeof value === 'boolean') return value;
  throw new QueryError(`${where} needs a boolean, got ${showValue(value)} (${typeName(value)})`);
}

function compareScalars(op: CompareOp, a: Value, b: Value): boolean | null {
  if (a === null || b === null) return null; // comparing with unknown gives unknown
  if (typeof a !== typeof b) {
    throw new QueryError(`cannot compare ${typeName(a)} ${showValue(a)} with ${typeName(b)} ${showValue(b)}`);
  }
  switch (op) {
    case '=':
      return a === b;
    case '<>':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/**
 * Evaluates `expr` against `row`.
 *
 * - A column reads the row's own property `name` (`Object.hasOwn`, so a column called
 *   `toString` or `constructor` is found only if the row has it); a column the row lacks throws
 *   an {@link UnknownColumnError}.
 * - A comparison with `null` on either side is `null`; comparing values of different types
 *   (a number with a string) throws a {@link QueryError}.
 * - `AND` is `false` if either side is `false`, else `null` if either is `null`, else `true`;
 *   `OR` is the mirror image; `NOT null` is `null`. Their operands must be booleans or `null`.
 * - `IS NULL` and `IS NOT NULL` are never `null`.
 * - An expression nested deeper than {@link MAX_NESTING} (see {@link checkDepth}) is a
 *   {@link QueryError}, never a stack overflow: count the depth as you recurse, or check once
 *   ({@link checkDepth}) and then recurse.
 */
export function evaluate(expr: Expr, row: Row): Value {
  return evaluateAt(expr, row, 1);
}

/** {@link evaluate} of a node at `depth` (the root is 1): the recursion stops at MAX_NESTING. */
function evaluateAt(expr: Expr, row: Row, depth: number): Value {
  if (depth > MAX_NESTING) throw new QueryError(`the expression nests more than ${MAX_NESTING} levels deep, the limit`);
  const inner = (e: Expr): Value => evaluateAt(e, row, depth + 1);
  switch (expr.kind) {
    case 'column': {
      if (!Object.hasOwn(row, expr.name)) throw new UnknownColumnError(expr.name, Object.keys(row));
      return row[expr.name]!;
    }
    case 'literal':
      return expr.value;
    case 'compare':
      return compareScalars(expr.op, inner(expr.left), inner(expr.right));
    case 'and': {
      const left = truth(inner(expr.left), 'AND');
      const right = truth(inner(expr.right), 'AND');
      if (left === false || right === false) return false;
      if (left === null || right === null) return null;
      return true;
    }
    case 'or': {
      const left = truth(inner(expr.left), 'OR');
      const right = truth(inner(expr.right), 'OR');
      if (left === true || right === true) return true;
      if (left === null || right === null) return null;
      return false;
    }
    case 'not': {
      const value = truth(inner(expr.operand), 'NOT');
      return value === null ? null : !value;
    }
    case 'isNull': {
      const isItNull = inner(expr.operand) === null;
      return expr.negated ? !isItNull : isItNull;
    }
  }
}
