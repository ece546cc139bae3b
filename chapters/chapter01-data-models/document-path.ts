/**
 * Exercise 9: path queries into nested documents.
 *
 * A path walks into a document step by step: `.name` enters a field, `[2]` one array element,
 * `[*]` every array element. `orders[*].items[*].sku` is every SKU of every item of every order.
 *
 * ```text
 * path := step { step }        (the first step may omit its ".")
 * step := "." name | "[" digits "]" | "[" "*" "]"
 * name := letter, digit, "_" or "$", not starting with a digit
 * ```
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { PathSyntaxError } from './errors.js';
import { MAX_NESTING, isJsonObject, type JsonValue } from './values.js';

const EXERCISE = {
  exercise: '1.9 Document paths',
  file: 'chapter01-data-models/document-path.ts',
  section: '1.9 Document paths',
} as const;

/** One step of a path. */
export type PathStep =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'each' };

/**
 * Parses a path such as `address.city`, `orders[0].total` or `orders[*].items[*].sku` into its
 * steps. Throws a {@link PathSyntaxError} with the offset of the first character that does not
 * fit (an empty path, a missing name after `.`, an index that is not digits or `*`, a missing
 * `]`, or the start of step `MAX_NESTING + 1`: a path has at most `MAX_NESTING` steps).
 */
export function parsePath(path: string): PathStep[] {
  throw new NotImplementedError(EXERCISE);
}

/**
 * Every value the path reaches in `doc`, in document order. A step that does not apply (a field
 * of a non-object, a missing field, an index past the end, `[*]` on a non-array) reaches
 * nothing, so a path into a document of another shape returns `[]` rather than throwing:
 * documents in one collection may differ. `[*]` visits every element, not only the first. A
 * field step reaches only the object's own field: `constructor` or `toString` on a document
 * without such a field reaches nothing, whatever a plain object inherits.
 * It walks only as deep as the path, so a document nested to any depth is no problem.
 */
export function selectPath(doc: JsonValue, path: string | readonly PathStep[]): JsonValue[] {
  throw new NotImplementedError(EXERCISE);
}
