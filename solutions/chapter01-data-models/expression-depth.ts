/**
 * The depth of an expression tree, measured without recursion, so that code which does recurse
 * over a tree can first make sure the tree is shallow enough not to overflow the stack. Given
 * code: read it, do not edit it.
 * @module
 */

import { QueryError } from './errors.js';
import type { Expr } from './expression.js';
import { MAX_NESTING } from './values.js';

/** The children of an expression node, left to right. */
export function childrenOf(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'column':
    case 'literal':
      return [];
    case 'compare':
    case 'and':
    case 'or':
      return [e.left, e.right];
    case 'not':
    case 'isNull':
      return [e.operand];
  }
}

/**
 * Whether `expr` nests deeper than `limit`. The depth of a tree is the number of nodes on its
 * longest path from the root to a leaf. Iterative, and it stops at the first path that is too
 * deep, so it is cheap and safe on a tree of any size.
 */
function deeperThan(expr: Expr, limit: number): boolean {
  const stack: Array<[Expr, number]> = [[expr, 1]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [e, depth] = top;
    if (depth > limit) return true;
    for (const child of childrenOf(e)) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Throws a {@link QueryError} if `expr` nests deeper than {@link MAX_NESTING}; `where` names the
 * clause for the message, e.g. `WHERE` or `JOIN orders ON`. The depth of an expression is the
 * number of nodes on its longest path from the root to a leaf: `col('a')` is 1 deep,
 * `not(col('a'))` 2, `and(eq(col('a'), lit(1)), col('b'))` 3, and a chain `a AND b AND c`
 * (which parses as `(a AND b) AND c`) 3 as well. After this check, recursion over `expr`
 * cannot overflow the stack.
 */
export function checkDepth(expr: Expr, where: string): void {
  if (deeperThan(expr, MAX_NESTING)) {
    throw new QueryError(`${where}: the expression nests more than ${MAX_NESTING} levels deep, the limit`);
  }
}
