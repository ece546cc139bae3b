/**
 * Exercise 1: table schemas, checked on write.
 *
 * A relational table declares its columns up front; every row is checked against that
 * declaration before it is stored (schema-on-write), so a reader can trust every stored row.
 * @module
 */

import { SchemaError } from './errors.js';
import type { Row, Value } from './values.js';

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

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const COLUMN_TYPES: readonly string[] = ['int', 'float', 'text', 'bool'];

/**
 * Checks that a table definition is usable: identifiers for the table and column names, at
 * least one column, no duplicate column, known types, and a primary key that names a
 * non-nullable `int` or `text` column. Throws a {@link SchemaError} naming the first problem.
 */
export function validateSchema(schema: TableSchema): void {
  const table = schema.name;
  if (!IDENTIFIER.test(table)) throw new SchemaError(table, undefined, table, 'a table name must be an identifier');
  if (schema.columns.length === 0) throw new SchemaError(table, undefined, undefined, 'a table needs at least one column');
  const seen = new Set<string>();
  for (const column of schema.columns) {
    if (!IDENTIFIER.test(column.name)) {
      throw new SchemaError(table, column.name, column.name, 'a column name must be an identifier');
    }
    if (seen.has(column.name)) throw new SchemaError(table, column.name, undefined, 'the column is declared twice');
    seen.add(column.name);
    if (!COLUMN_TYPES.includes(column.type)) {
      throw new SchemaError(table, column.name, column.type, `the type must be one of ${COLUMN_TYPES.join(', ')}`);
    }
  }
  const key = schema.columns.find((c) => c.name === schema.primaryKey);
  if (key === undefined) {
    throw new SchemaError(table, schema.primaryKey, undefined, 'the primary key must name a column');
  }
  if (key.nullable === true || (key.type !== 'int' && key.type !== 'text')) {
    throw new SchemaError(table, key.name, key.type, 'the primary key must be a non-nullable int or text column');
  }
}

/** True when `value` may be stored in a column of `type` (`null` is handled by the caller). */
function fitsType(type: ColumnType, value: unknown): value is Value {
  switch (type) {
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'text':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
  }
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
  const declared = new Set(schema.columns.map((c) => c.name));
  for (const name of Object.keys(row)) {
    if (!declared.has(name)) throw new SchemaError(schema.name, name, row[name], 'the table has no such column');
  }
  const out: Array<[string, Value]> = [];
  for (const column of schema.columns) {
    // Own properties only: a plain object inherits `constructor`, `toString`, `__proto__`, ...
    const value = Object.hasOwn(row, column.name) ? row[column.name] : undefined;
    if (value === undefined || value === null) {
      if (column.nullable !== true) {
        throw new SchemaError(schema.name, column.name, value, `a ${column.type} is required (the column is not nullable)`);
      }
      out.push([column.name, null]);
    } else if (fitsType(column.type, value)) {
      out.push([column.name, value]);
    } else {
      throw new SchemaError(schema.name, column.name, value, `expected ${column.type}`);
    }
  }
  // Object.fromEntries defines own properties, so even a column named `__proto__` is stored.
  return Object.fromEntries(out);
}
