/**
 * Exercise 11: schema-on-read.
 *
 * A document store checks nothing when it writes. The structure is applied when the data is
 * read: the reader says what it expects, fills in defaults for fields that older documents lack,
 * and rejects what it cannot interpret. Stored documents are never rewritten.
 * @module
 */

import { DocumentSchemaError } from './errors.js';
import { MAX_NESTING, isJsonObject, typeName, type JsonObject, type JsonValue } from './values.js';

/** What every schema may say about a value. */
export interface SchemaOptions {
  /** Used, deep-copied, when the value is missing. Not checked against the schema. */
  readonly default?: JsonValue;
  /** May the value be missing (no default)? Then it stays missing. Default `false`. */
  readonly optional?: boolean;
  /** May the value be `null`? Default `false`. */
  readonly nullable?: boolean;
}

/** The schema of a value that a reader expects. */
export type DocSchema =
  | ({ readonly type: 'string' | 'number' | 'boolean' } & SchemaOptions)
  | ({ readonly type: 'object'; readonly fields: Readonly<Record<string, DocSchema>> } & SchemaOptions)
  | ({ readonly type: 'array'; readonly items: DocSchema } & SchemaOptions);

function fieldPath(path: string, field: string): string {
  return path === '$' ? field : `${path}.${field}`;
}

/**
 * Reads one value against its schema; `undefined` in and out means "missing". `depth` is the
 * schema's nesting level (the root is 1): the recursion follows the schema, never the parts of
 * the document it does not mention, so it is at most MAX_NESTING deep.
 */
function readValue(value: JsonValue | undefined, schema: DocSchema, path: string, depth: number): JsonValue | undefined {
  if (depth > MAX_NESTING) throw new DocumentSchemaError(path, `a schema at most ${MAX_NESTING} levels deep`, 'a deeper one');
  if (value === undefined) {
    if (schema.default !== undefined) return structuredClone(schema.default);
    if (schema.optional === true) return undefined;
    throw new DocumentSchemaError(path, schema.type, 'missing');
  }
  if (value === null) {
    if (schema.nullable === true) return null;
    throw new DocumentSchemaError(path, schema.type, 'null');
  }
  switch (schema.type) {
    case 'string':
    case 'number':
    case 'boolean':
      if (typeof value !== schema.type) throw new DocumentSchemaError(path, schema.type, typeName(value));
      return value;
    case 'array': {
      if (!Array.isArray(value)) throw new DocumentSchemaError(path, 'array', typeName(value));
      const items = value as readonly JsonValue[];
      // An element is never missing, so readValue returns a value for each.
      return items.map((item, i) => readValue(item, schema.items, `${path}[${i}]`, depth + 1)!);
    }
    case 'object': {
      if (!isJsonObject(value)) throw new DocumentSchemaError(path, 'object', typeName(value));
      // Fields the schema does not mention are kept: a newer writer may have added them. A Map
      // and own-property reads keep fields named `constructor` or `__proto__` ordinary.
      const out = new Map<string, JsonValue>(Object.entries(value));
      for (const [field, fieldSchema] of Object.entries(schema.fields)) {
        const read = readValue(out.get(field), fieldSchema, fieldPath(path, field), depth + 1);
        if (read === undefined) out.delete(field);
        else out.set(field, read);
      }
      return Object.fromEntries(out);
    }
  }
}

/**
 * Reads `doc` as the reader's `schema` expects, returning a new document; `doc` itself is not
 * changed. A missing field takes its `default` (a fresh copy each time), or stays missing if
 * `optional`, or else is a {@link DocumentSchemaError}; `null` is allowed only where `nullable`;
 * a value of the wrong type is an error naming its path (`orders[1].total`; `$` is the root).
 * The error's `expected` is the schema's type; its `found` is `missing`, `null`, or the value's
 * type (`string`, `number`, `boolean`, `array`, `object`). Fields the schema does not mention
 * are kept as they are, and not walked into: a document nested to any depth below them reads
 * fine (no deep copy of the whole document). A read that reaches schema level
 * `MAX_NESTING + 1` (the root object is level 1, each `fields` entry or `items` one more; the
 * read goes as deep as document and schema both go) is a {@link DocumentSchemaError} at that
 * path, whose `expected` names the limit; never a stack overflow. Only the document's own fields count: a field named
 * `constructor` or `toString` that the document lacks is missing (its default applies), and
 * every field of the result, `__proto__` included, is an own property.
 */
export function readDocument(doc: JsonValue, schema: DocSchema & { readonly type: 'object' }): JsonObject {
  return readValue(doc, schema, '$', 1) as JsonObject;
}
