/**
 * Exercise 1: table schemas, checked on write.
 *
 * A relational table declares its columns up front; every row is checked against that
 * declaration before it is stored (schema-on-write), so a reader can trust every stored row.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { SchemaError } from './errors.js';
import type { Row, Value } from './values.js';

const EXERCISE = {
  exercise: '1.1 Schemas',
  file: 'chapter01-data-models/schema.ts',
  section: '1.1 Schemas',
} as const;

/** The column types: 64-bit-float-safe integers, finite floats, UTF-8 text, booleans. */
export type ColumnType = 'int' | 'float' | 'text' | 'bool';

/** One column of a table. */
export interface Column {
  /**
   * An identifier: a letter or `_`, then letters, digits or `_`. `constructor`, `toString` and
   * `__proto__` are identifiers too, and must work like any other column name.
   */
  readonly name: string;
  readonly type: ColumnType;
  /** May the column hold `null`? Default `false`. A missing value in a nullable column is `null`. */
  readonly nullable?: boolean;
}

/** A table definition. */
export interface TableSchema {
  /** An identifier, unique in the database. */
  readonly name: string;
  /** At least one column; names unique. Rows are stored with their values in this order. */
  readonly columns: readonly Column[];
  /** The column whose value identifies a row; not nullable, of type `int` or `text`. */
  readonly primaryKey: string;
}

/**
 * Checks that a table definition is usable: identifiers for the table and column names, at
 * least one column, no duplicate column, known types, and a primary key that names a
 * non-nullable `int` or `text` column. Throws a {@link SchemaError} naming the first problem.
 */
export function validateSchema(schema: TableSchema): void {
  throw new NotImplementedError(EXERCISE);
}

/**
 * Schema-on-write: checks `row` against `schema` and returns it in canonical form, a new object
 * with exactly the schema's columns, in schema order, a missing nullable value filled in as
 * `null`. Throws a {@link SchemaError} (table, column, value) for a column the schema does not
 * have, a missing or `null` value in a non-nullable column, or a value of the wrong type
 * (`1.5` is not an `int`; `NaN` and `Infinity` are not `float`s). Only the row's own properties
 * count, so columns named like the properties every object inherits (`constructor`,
 * `toString`, `__proto__`, ...) behave like any other column.
 */
export function validateRow(schema: TableSchema, row: Readonly<Record<string, unknown>>): Row {
  throw new NotImplementedError(EXERCISE);
}
