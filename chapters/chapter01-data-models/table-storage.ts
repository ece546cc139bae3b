/**
 * Exercise 2: tables stored in an ordered key-value store.
 *
 * Key layout (every key built with `encodeKey`, so byte order is tuple order):
 *
 * | key                            | value                                                  |
 * |--------------------------------|--------------------------------------------------------|
 * | `['catalog', table]`           | the {@link TableSchema}, as JSON text                  |
 * | `['row', table, primaryKey]`   | the row's values in schema column order, a JSON array  |
 *
 * A table's rows are one contiguous key range, sorted by primary key, so a full-table scan is a
 * prefix scan and a point lookup is one `get`.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { prefixRange, type BatchOp, type OrderedKV } from '../../shared/kv.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import { DuplicateKeyError, SchemaError, UnknownTableError } from './errors.js';
import { validateRow, validateSchema, type TableSchema } from './schema.js';
import type { Row, Value } from './values.js';

const EXERCISE = {
  exercise: '1.2 Table storage',
  file: 'chapter01-data-models/table-storage.ts',
  section: '1.2 Table storage',
} as const;

/**
 * A relational database over an {@link OrderedKV}. It keeps no state of its own: the catalog and
 * the rows live in the store, so a second `Database` over the same store sees the same tables.
 */
export class Database {
  private readonly kv: OrderedKV;

  /** The store is injected: tests use a `MemoryKV`, chapter 02 plugs in engines on files. */
  constructor(kv: OrderedKV) {
    this.kv = kv;
  }

  /**
   * Creates a table. Throws a {@link SchemaError} if the schema is invalid or the table exists;
   * then nothing is written.
   */
  createTable(schema: TableSchema): void {
    throw new NotImplementedError(EXERCISE);
  }

  /** The names of all tables, sorted. */
  tableNames(): string[] {
    throw new NotImplementedError(EXERCISE);
  }

  /** The schema of `table`. Throws an {@link UnknownTableError} listing the tables that exist. */
  schema(table: string): TableSchema {
    throw new NotImplementedError(EXERCISE);
  }

  /** Inserts one row; see {@link Database.insertMany}. */
  insert(table: string, row: Readonly<Record<string, unknown>>): void {
    throw new NotImplementedError(EXERCISE);
  }

  /**
   * Inserts rows atomically: every row is validated (schema-on-write) and checked for a free
   * primary key first, then all are written in one batch. If any row is bad, a typed error is
   * thrown and the table is unchanged.
   */
  insertMany(table: string, rows: readonly Readonly<Record<string, unknown>>[]): void {
    throw new NotImplementedError(EXERCISE);
  }

  /** The row whose primary key is `primaryKey`, or `undefined`. */
  get(table: string, primaryKey: Value): Row | undefined {
    throw new NotImplementedError(EXERCISE);
  }

  /** Deletes the row with this primary key; returns whether there was one. */
  delete(table: string, primaryKey: Value): boolean {
    throw new NotImplementedError(EXERCISE);
  }

  /** Every row of `table`, in primary-key order (the order of the keys in the store). */
  scan(table: string): Row[] {
    throw new NotImplementedError(EXERCISE);
  }
}

