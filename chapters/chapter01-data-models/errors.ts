/**
 * The errors of chapter 01. Each carries, as fields, what a program needs to react to it, and
 * says in its message what was wrong and where. None of them is thrown after a write has
 * started: bad input is rejected before anything stored changes.
 * @module
 */

import { showValue } from './values.js';

/** Draws a caret under `position` in `text`, for syntax errors. */
export function pointAt(text: string, position: number): string {
  return `  ${text}\n  ${' '.repeat(Math.max(0, position))}^`;
}

/** A row or a table definition breaks its schema. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  /** The table whose schema was broken. */
  readonly table: string;
  /** The offending column, when one is to blame. */
  readonly column: string | undefined;
  /** The offending value, when one is to blame (`undefined` for a missing value). */
  readonly value: unknown;
  /** What is wrong, e.g. `expected int`. */
  readonly reason: string;

  constructor(table: string, column: string | undefined, value: unknown, reason: string) {
    const where = column === undefined ? `table "${table}"` : `table "${table}", column "${column}"`;
    const got = column === undefined ? '' : `, got ${showValue(value)}`;
    super(`${where}: ${reason}${got}`);
    this.table = table;
    this.column = column;
    this.value = value;
    this.reason = reason;
  }
}

/** A query or a write named a table that does not exist. */
export class UnknownTableError extends Error {
  override readonly name = 'UnknownTableError';
  /** The name that was asked for. */
  readonly table: string;
  /** The tables that do exist. */
  readonly available: readonly string[];

  constructor(table: string, available: readonly string[]) {
    super(`unknown table "${table}"; the tables are: ${available.join(', ') || '(none)'}`);
    this.table = table;
    this.available = available;
  }
}

/** A query named a column that its input does not have. */
export class UnknownColumnError extends Error {
  override readonly name = 'UnknownColumnError';
  /** The name that was asked for. */
  readonly column: string;
  /** The columns that do exist at that point of the query. */
  readonly available: readonly string[];

  constructor(column: string, available: readonly string[]) {
    super(`unknown column "${column}"; the columns are: ${available.join(', ') || '(none)'}`);
    this.column = column;
    this.available = available;
  }
}

/** An insert would give two rows the same primary key. */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
  /** The table written to. */
  readonly table: string;
  /** The primary key that is already taken. */
  readonly key: unknown;

  constructor(table: string, key: unknown) {
    super(`table "${table}" already has a row with primary key ${showValue(key)}`);
    this.table = table;
    this.key = key;
  }
}

/**
 * A query is well formed but cannot run: an ambiguous column name, a column that is neither
 * grouped nor aggregated, values of types that cannot be compared.
 */
export class QueryError extends Error {
  override readonly name = 'QueryError';
}

/** SQL text does not parse. `position` is the 0-based offset of the first offending character. */
export class SqlSyntaxError extends Error {
  override readonly name = 'SqlSyntaxError';
  /** The whole statement. */
  readonly sql: string;
  /** 0-based character offset where parsing failed. */
  readonly position: number;
  /** What the parser wanted there, e.g. `FROM`. */
  readonly expected: string;
  /** What it found, e.g. `"FORM"` or `end of input`. */
  readonly found: string;

  constructor(sql: string, position: number, expected: string, found: string) {
    super(`SQL syntax error at position ${position}: expected ${expected}, found ${found}\n${pointAt(sql, position)}`);
    this.sql = sql;
    this.position = position;
    this.expected = expected;
    this.found = found;
  }
}

/** A document path such as `orders[*].total` does not parse. */
export class PathSyntaxError extends Error {
  override readonly name = 'PathSyntaxError';
  /** The whole path. */
  readonly path: string;
  /** 0-based character offset where parsing failed. */
  readonly position: number;

  constructor(path: string, position: number, expected: string) {
    super(`path syntax error at position ${position}: expected ${expected}\n${pointAt(path, position)}`);
    this.path = path;
    this.position = position;
  }
}

/** A stored document does not fit the schema it is read with (schema-on-read). */
export class DocumentSchemaError extends Error {
  override readonly name = 'DocumentSchemaError';
  /** Where in the document, as a path such as `orders[2].total` (`$` is the root). */
  readonly path: string;
  /** What the schema wanted there. */
  readonly expected: string;
  /** What the document has there (`missing` when absent). */
  readonly found: string;

  constructor(path: string, expected: string, found: string) {
    super(`document does not fit its schema at ${path}: expected ${expected}, found ${found}`);
    this.path = path;
    this.expected = expected;
    this.found = found;
  }
}

/** A document does not fit the shape it is normalised with, or the shape itself is invalid. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
  /** Where in the document (or in the shape), as a path. */
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`cannot normalise at ${path}: ${reason}`);
    this.path = path;
  }
}

/** A graph operation named a vertex that does not exist. */
export class UnknownVertexError extends Error {
  override readonly name = 'UnknownVertexError';
  /** The missing vertex id. */
  readonly vertex: string;

  constructor(vertex: string) {
    super(`unknown vertex "${vertex}"`);
    this.vertex = vertex;
  }
}

/** A graph pattern such as `(a:User)-[:FOLLOWS]->(b)` does not parse. */
export class PatternSyntaxError extends Error {
  override readonly name = 'PatternSyntaxError';
  /** The whole pattern. */
  readonly pattern: string;
  /** 0-based character offset where parsing failed. */
  readonly position: number;

  constructor(pattern: string, position: number, expected: string) {
    super(`pattern syntax error at position ${position}: expected ${expected}\n${pointAt(pattern, position)}`);
    this.pattern = pattern;
    this.position = position;
  }
}
