/**
 * Exercise 12: normalising a document into tables, and back.
 *
 * A document nests one-to-many data (a user's orders, each order's items). Relational tables
 * cannot nest, so each array of objects becomes rows of a child table, each child row pointing
 * at its parent row and recording its position in the array. A {@link Shape} says which fields
 * are scalars and which arrays become which tables.
 *
 * Meta columns added to every row (field names starting with `_` are reserved for them):
 *
 * | column      | in        | value                                                            |
 * |-------------|-----------|------------------------------------------------------------------|
 * | `_id`       | every row | the document id for the root row; `parent/field/position` below |
 * | `_parent`   | child rows| the `_id` of the parent row (the foreign key)                    |
 * | `_position` | child rows| the index in the parent's array (tables are unordered)           |
 * @module
 */

import { ShapeError } from './errors.js';
import { MAX_NESTING, isJsonObject, typeName, type JsonObject, type JsonValue, type Row, type Value } from './values.js';

/** How one level of a document maps to one table. */
export interface Shape {
  /** The table this level's rows go to. Each table appears once in a shape. */
  readonly table: string;
  /**
   * The scalar fields (string, number, boolean or null), each a column. A dotted name such as
   * `address.city` is a field of a nested object and becomes the column `address.city`.
   */
  readonly fields: readonly string[];
  /** Fields holding arrays of objects: field name → the shape of each element. */
  readonly children?: Readonly<Record<string, Shape>>;
}

/** Rows per table name. */
export type Tables = Readonly<Record<string, readonly Row[]>>;

/** `path` extended by a field name; the root itself is `$`, its fields have no prefix. */
function fieldPath(path: string, field: string): string {
  return path === '$' ? field : `${path}.${field}`;
}

/**
 * `obj[key]` if `obj` has it as its own property. A plain `{}` inherits `constructor`,
 * `toString` and more, and a document may lack those fields.
 */
function own<T>(obj: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * Sets `obj[key]` as an own property: plain assignment of `__proto__` would replace the
 * object's prototype and store nothing.
 */
function define<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

function isScalar(value: JsonValue | undefined): value is Value {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/**
 * Checks a shape: tables used once, no reserved or conflicting field names, and no nesting past
 * MAX_NESTING (`depth` is 1 at the root), so that normalising and reassembling, which recurse
 * along the shape, cannot overflow the stack.
 */
function checkShape(shape: Shape, path: string, tables: Set<string>, depth: number): void {
  if (depth > MAX_NESTING) throw new ShapeError(path, `the shape nests child tables more than ${MAX_NESTING} levels deep`);
  if (tables.has(shape.table)) throw new ShapeError(path, `table "${shape.table}" is used twice in the shape`);
  tables.add(shape.table);
  const childNames = Object.keys(shape.children ?? {});
  const names = [...shape.fields, ...childNames];
  const seen = new Set<string>();
  for (const name of names) {
    if (name.startsWith('_')) throw new ShapeError(path, `field "${name}": names starting with "_" are reserved`);
    if (name.split('.').length > MAX_NESTING) {
      throw new ShapeError(path, `field "${name.slice(0, 20)}...": a dotted name has at most ${MAX_NESTING} parts`);
    }
    if (seen.has(name)) throw new ShapeError(path, `field "${name}" is listed twice`);
    seen.add(name);
    if (names.some((other) => other.startsWith(`${name}.`))) {
      throw new ShapeError(path, `"${name}" cannot be both a value and an object`);
    }
  }
  for (const name of childNames) {
    if (name.includes('.')) throw new ShapeError(path, `child array "${name}" must be a top-level field of its object`);
  }
  for (const [field, childShape] of Object.entries(shape.children ?? {})) {
    checkShape(childShape, fieldPath(path, field), tables, depth + 1);
  }
}

/**
 * The scalar leaves of `obj`, flattened to dotted names. Throws a {@link ShapeError} for a leaf
 * the shape does not list (it would be lost), a missing field, or a non-scalar value.
 */
function flatten(obj: JsonObject, shape: Shape, path: string): Map<string, Value> {
  const fields = new Set(shape.fields);
  const children = new Set(Object.keys(shape.children ?? {}));
  const out = new Map<string, Value>();
  const walk = (value: JsonObject, prefix: string): void => {
    for (const [key, inner] of Object.entries(value)) {
      const name = prefix + key;
      if (prefix === '' && children.has(name)) continue;
      if (fields.has(name)) {
        if (!isScalar(inner)) throw new ShapeError(fieldPath(path, name), `expected a scalar, found ${typeName(inner)}`);
        out.set(name, inner);
      } else if (shape.fields.some((f) => f.startsWith(`${name}.`))) {
        if (!isJsonObject(inner)) throw new ShapeError(fieldPath(path, name), `expected an object, found ${typeName(inner)}`);
        walk(inner, `${name}.`);
      } else {
        throw new ShapeError(fieldPath(path, name), 'the shape has no such field, so normalising would lose it');
      }
    }
  };
  walk(obj, '');
  for (const field of shape.fields) {
    if (!out.has(field)) throw new ShapeError(fieldPath(path, field), 'the field is missing (use null for "no value")');
  }
  return out;
}

function shred(obj: JsonObject, shape: Shape, id: string, parent: Row, path: string, tables: Map<string, Row[]>): void {
  tables.get(shape.table)!.push(Object.fromEntries([['_id', id], ...Object.entries(parent), ...flatten(obj, shape, path)]));
  for (const [field, child] of Object.entries(shape.children ?? {})) {
    const items = own(obj, field);
    if (!Array.isArray(items)) {
      throw new ShapeError(fieldPath(path, field), `expected an array, found ${items === undefined ? 'nothing' : typeName(items)}`);
    }
    (items as readonly JsonValue[]).forEach((item, position) => {
      const itemPath = `${fieldPath(path, field)}[${position}]`;
      if (!isJsonObject(item)) throw new ShapeError(itemPath, `expected an object, found ${typeName(item)}`);
      shred(item, child, `${id}/${field}/${position}`, { _parent: id, _position: position }, itemPath, tables);
    });
  }
}

function emptyTables(shape: Shape, out: Map<string, Row[]>): Map<string, Row[]> {
  out.set(shape.table, []);
  for (const child of Object.values(shape.children ?? {})) emptyTables(child, out);
  return out;
}

/**
 * Splits document `id` into rows: one row in `shape.table` for the document's scalar fields,
 * and one row in the child table for each element of each child array, recursively. Returns
 * every table of the shape, possibly with no rows. Throws a {@link ShapeError} naming the path
 * (`address.zip`, `orders[0].items[1].gift`) of anything the shape cannot represent: a field it
 * does not list, a missing field, an array where a scalar belongs, a scalar where an array of
 * objects belongs; or if the shape uses a table twice or a reserved `_` name, nests `children`
 * more than `MAX_NESTING` levels deep (the root table is level 1), or has a dotted field name of
 * more than `MAX_NESTING` parts. It never drops data, and it recurses only as deep as the shape,
 * so a document nested far deeper than its shape is a `ShapeError`, never a stack overflow.
 * Names are data: a table, field or child array may be called `constructor`, `toString` or (a
 * table, or a later part of a dotted name) `__proto__`; only the document's own fields count, and
 * every table and column comes out as an own property.
 */
export function normalize(id: string, doc: JsonObject, shape: Shape): Record<string, Row[]> {
  checkShape(shape, '$', new Set(), 1);
  const tables = emptyTables(shape, new Map());
  shred(doc, shape, id, {}, '$', tables);
  // Object.fromEntries defines own properties, so even a table named `__proto__` is kept.
  return Object.fromEntries(tables);
}

/** Rows of one table grouped by `_parent`, each group sorted by `_position`. */
function byParent(rows: readonly Row[]): Map<Value, Row[]> {
  const groups = new Map<Value, Row[]>();
  for (const row of rows) {
    const parent = row['_parent'] ?? null;
    const group = groups.get(parent);
    if (group === undefined) groups.set(parent, [row]);
    else group.push(row);
  }
  // Rows in a table have no order; the array order lives in _position.
  for (const group of groups.values()) group.sort((a, b) => (a['_position'] as number) - (b['_position'] as number));
  return groups;
}

function build(row: Row, shape: Shape, tables: Tables, index: Map<string, Map<Value, Row[]>>): JsonObject {
  const doc: Record<string, JsonValue> = {};
  for (const field of shape.fields) {
    // Re-nest dotted names: address.city → { address: { city } }.
    const parts = field.split('.');
    let target = doc;
    for (const part of parts.slice(0, -1)) {
      if (!isJsonObject(own(target, part))) define(target, part, {});
      target = target[part] as Record<string, JsonValue>;
    }
    define(target, parts[parts.length - 1]!, own(row, field) ?? null);
  }
  for (const [field, child] of Object.entries(shape.children ?? {})) {
    let groups = index.get(child.table);
    if (groups === undefined) {
      groups = byParent(own(tables, child.table) ?? []);
      index.set(child.table, groups);
    }
    define(doc, field, (groups.get(row['_id']!) ?? []).map((childRow) => build(childRow, child, tables, index)));
  }
  return doc;
}

/**
 * Reassembles document `id` from `tables` (which may hold the rows of many documents, in any
 * order): the inverse of {@link normalize}. For every document that fits the shape,
 * `denormalize(normalize(id, doc, shape), id, shape)` equals `doc`. Returns `undefined` when
 * the root table has no row with `_id` equal to `id` (`tables` lacking the root table as an own
 * property counts as no rows). A shape that `normalize` would refuse is the same
 * {@link ShapeError} here. The document it builds has every field as an own property, even one
 * named `__proto__`.
 */
export function denormalize(tables: Tables, id: string, shape: Shape): JsonObject | undefined {
  checkShape(shape, '$', new Set(), 1);
  const root = (own(tables, shape.table) ?? []).find((row) => row['_id'] === id);
  return root === undefined ? undefined : build(root, shape, tables, new Map());
}
