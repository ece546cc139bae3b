/**
 * A relation: what every relational operator takes and returns. Operators never change their
 * input; they build a new relation.
 * @module
 */

import { UnknownColumnError } from './errors.js';
import type { Row } from './values.js';

/**
 * A named list of columns and a list of rows. Invariant: every row has exactly the keys listed
 * in `columns`. Column names are unique; after a join they are usually qualified, `u.name`.
 */
export interface Relation {
  readonly columns: readonly string[];
  readonly rows: readonly Row[];
}

/** Throws an {@link UnknownColumnError} unless `relation` has a column named `column`. */
export function requireColumn(relation: Relation, column: string): void {
  if (!relation.columns.includes(column)) throw new UnknownColumnError(column, relation.columns);
}
