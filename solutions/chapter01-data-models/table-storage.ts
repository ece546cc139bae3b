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

import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { prefixRange, type BatchOp, type OrderedKV } from '../../shared/kv.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import { DuplicateKeyError, SchemaError, UnknownTableError } from './errors.js';
import { validateRow, validateSchema, type TableSchema } from './schema.js';
import type { Row, Value } from './values.js';

function catalogKey(table: string): Uint8Array {
  return encodeKey(['catalog', table]);
}

function rowKey(table: string, primaryKey: Value): Uint8Array {
  return encodeKey(['row', table, primaryKey]);
}

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
    validateSchema(schema);
    if (this.kv.get(catalogKey(schema.name)) !== undefined) {
      throw new SchemaError(schema.name, undefined, undefined, 'the table already exists');
    }
    this.kv.put(catalogKey(schema.name), utf8(JSON.stringify(schema)));
  }

  /** The names of all tables, sorted. */
  tableNames(): string[] {
    const names: string[] = [];
    for (const { key } of this.kv.scan(prefixRange(encodeKey(['catalog'])))) {
      names.push(decodeKey(key)[1] as string);
    }
    return names;
  }

  /** The schema of `table`. Throws an {@link UnknownTableError} listing the tables that exist. */
  schema(table: string): TableSchema {
    const bytes = this.kv.get(catalogKey(table));
    if (bytes === undefined) throw new UnknownTableError(table, this.tableNames());
    return JSON.parse(fromUtf8(bytes)) as TableSchema;
  }

  /** Inserts one row; see {@link Database.insertMany}. */
  insert(table: string, row: Readonly<Record<string, unknown>>): void {
    this.insertMany(table, [row]);
  }

  /**
   * Inserts rows atomically: every row is validated (schema-on-write) and checked for a free
   * primary key first, then all are written in one batch. If any row is bad, a typed error is
   * thrown and the table is unchanged.
   */
  insertMany(table: string, rows: readonly Readonly<Record<string, unknown>>[]): void {
    const schema = this.schema(table);
    const ops: BatchOp[] = [];
    const keysInBatch = new Set<Value>();
    for (const input of rows) {
      const row = validateRow(schema, input);
      const primaryKey = row[schema.primaryKey]!;
      const key = rowKey(table, primaryKey);
      if (keysInBatch.has(primaryKey) || this.kv.get(key) !== undefined) {
        throw new DuplicateKeyError(table, primaryKey);
      }
      keysInBatch.add(primaryKey);
      const values = schema.columns.map((c) => row[c.name]!);
      ops.push({ type: 'put', key, value: utf8(JSON.stringify(values)) });
    }
    this.kv.batch(ops);
  }

  /** The row whose primary key is `primaryKey`, or `undefined`. */
  get(table: string, primaryKey: Value): Row | undefined {
    const schema = this.schema(table);
    const bytes = this.kv.get(rowKey(table, primaryKey));
    return bytes === undefined ? undefined : decodeRow(schema, bytes);
  }

  /** Deletes the row with this primary key; returns whether there was one. */
  delete(table: string, primaryKey: Value): boolean {
    this.schema(table);
    const key = rowKey(table, primaryKey);
    if (this.kv.get(key) === undefined) return false;
    this.kv.delete(key);
    return true;
  }

  /** Every row of `table`, in primary-key order (the order of the keys in the store). */
  scan(table: string): Row[] {
    const schema = this.schema(table);
    const rows: Row[] = [];
    for (const { value } of this.kv.scan(prefixRange(encodeKey(['row', table])))) {
      rows.push(decodeRow(schema, value));
    }
    return rows;
  }
}

/** Turns a stored JSON array back into a row, naming the values by the schema's columns. */
function decodeRow(schema: TableSchema, bytes: Uint8Array): Row {
  const values = JSON.parse(fromUtf8(bytes)) as Value[];
  // Own properties, defined rather than assigned: `row.__proto__ = v` would set the prototype.
  return Object.fromEntries(schema.columns.map((column, i) => [column.name, values[i] ?? null]));
}
