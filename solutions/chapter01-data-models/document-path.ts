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

import { PathSyntaxError } from './errors.js';
import { MAX_NESTING, isJsonObject, type JsonValue } from './values.js';

/** One step of a path. */
export type PathStep =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'each' };

const NAME_START = /[A-Za-z_$]/;
const NAME_PART = /[A-Za-z0-9_$]/;

/**
 * Parses a path such as `address.city`, `orders[0].total` or `orders[*].items[*].sku` into its
 * steps. Throws a {@link PathSyntaxError} with the offset of the first character that does not
 * fit (an empty path, a missing name after `.`, an index that is not digits or `*`, a missing
 * `]`, or the start of step `MAX_NESTING + 1`: a path has at most `MAX_NESTING` steps).
 */
export function parsePath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  let at = 0;
  const readName = (): string => {
    const start = at;
    if (!NAME_START.test(path[at] ?? '')) throw new PathSyntaxError(path, at, 'a field name');
    while (at < path.length && NAME_PART.test(path[at]!)) at++;
    return path.slice(start, at);
  };
  if (path.length === 0) throw new PathSyntaxError(path, 0, 'a field name');
  if (path[0] !== '[') steps.push({ kind: 'field', name: readName() });
  while (at < path.length) {
    // No document that can be stored nests deeper, so a longer path could reach nothing.
    if (steps.length === MAX_NESTING) throw new PathSyntaxError(path, at, `at most ${MAX_NESTING} steps`);
    const c = path[at]!;
    if (c === '.') {
      at++;
      steps.push({ kind: 'field', name: readName() });
    } else if (c === '[') {
      at++;
      if (path[at] === '*') {
        at++;
        steps.push({ kind: 'each' });
      } else {
        const start = at;
        while (at < path.length && /[0-9]/.test(path[at]!)) at++;
        if (at === start) throw new PathSyntaxError(path, at, 'an array index (digits) or *');
        steps.push({ kind: 'index', index: Number(path.slice(start, at)) });
      }
      if (path[at] !== ']') throw new PathSyntaxError(path, at, '"]"');
      at++;
    } else {
      throw new PathSyntaxError(path, at, '"." or "["');
    }
  }
  return steps;
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
  const steps = typeof path === 'string' ? parsePath(path) : path;
  let current: JsonValue[] = [doc];
  for (const step of steps) {
    const next: JsonValue[] = [];
    for (const value of current) {
      if (step.kind === 'field') {
        if (isJsonObject(value) && Object.hasOwn(value, step.name)) next.push(value[step.name]!);
      } else if (Array.isArray(value)) {
        const items = value as readonly JsonValue[];
        if (step.kind === 'index') {
          if (step.index < items.length) next.push(items[step.index]!);
        } else {
          for (const item of items) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}
