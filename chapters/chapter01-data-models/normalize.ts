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

import { NotImplementedError } from '../../shared/errors.js';
import { ShapeError } from './errors.js';
import { MAX_NESTING, isJsonObject, typeName, type JsonObject, type JsonValue, type Row, type Value } from './values.js';

const EXERCISE = {
  exercise: '1.12 Normalisation',
  file: 'chapter01-data-models/normalize.ts',
  section: '1.12 Normalisation',
} as const;

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
  throw new NotImplementedError(EXERCISE);
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
  throw new NotImplementedError(EXERCISE);
}
