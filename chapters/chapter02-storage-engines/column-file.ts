/**
 * Exercise 4.2: a table stored column by column, one file per column, so a query reads only the
 * columns it names. Files in the table's directory:
 *
 * - `<column>.col`, one per column, in the format below;
 * - `schema.json`, written last (to a temporary name, synced, then renamed): the table exists
 *   once it does. `{"rowCount": n, "columns": [{"name", "type", "encoding"}, ...]}`.
 *
 * Column file format (integers big-endian; u32 fields and values as in `column-bytes.ts`):
 *
 *     0   u32 magic "DCOL"
 *     4   u8  format version (2)
 *     5   u8  type: 1 int, 2 string
 *     6   u8  encoding: 1 plain, 2 run-length, 3 dictionary, 4 bitmap
 *     7   u8  zero
 *     8   u32 row count
 *     12  u32 body length in bytes
 *     16  u32 CRC-32C of the body
 *     20  body:
 *         plain       row count x value
 *         run-length  u32 run count, then per run: value, u32 length
 *         dictionary  u32 dictionary size, the values in order, then per row a u32 code
 *         bitmap      u32 value count, then per value: value, u32 run count, the runs
 *                     (u32 each; see Bitmap.toRuns)
 *
 * A value is a signed 64-bit integer in an int column and a u32 length plus UTF-8 in a string
 * one.
 * @module
 */

import { crc32c } from '../../shared/checksum.js';
import { CorruptionError, DecodeError, NotImplementedError, UsageError } from '../../shared/errors.js';
import type { FileSystem } from '../../shared/fs/file-system.js';
import { Bitmap } from './bitmap.js';
import { ByteReader, ByteWriter } from './column-bytes.js';
import {
  encodeColumn,
  type ColumnEncoding,
  type ColumnType,
  type ColumnValue,
  type EncodedColumn,
  type Run,
  type ValueBitmap,
} from './column-encoding.js';

/** One column of a table's schema. */
export interface ColumnSpec {
  /** Letters, digits, `_` and `-`, 1 to 64 of them (it becomes a file name). */
  readonly name: string;
  readonly type: ColumnType;
  readonly encoding: ColumnEncoding;
}

/** One row, as a record from column name to value. */
export type Row = Readonly<Record<string, ColumnValue>>;

/** What a {@link ColumnTable} has read from disk so far. */
export interface ColumnReadStats {
  /** Names of the columns whose files were read, in the order first read. */
  readonly columnsRead: string[];
  /** Bytes read from column files. */
  bytesRead: number;
}

/** "DCOL" in ASCII. */
export const COLUMN_MAGIC = 0x44434f4c;
/** Bytes before a column file's body. */
export const COLUMN_HEADER_SIZE = 20;

const TYPE_CODES: Record<ColumnType, number> = { int: 1, string: 2 };
const ENCODING_CODES: Record<ColumnEncoding, number> = { plain: 1, 'run-length': 2, dictionary: 3, bitmap: 4 };
const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Exercise 4.2. The body bytes of `column`, whose values are of `type`. */
export function encodeColumnBody(type: ColumnType, column: EncodedColumn): Uint8Array {
  throw new NotImplementedError({
    exercise: '4.2 Column files',
    file: 'chapter02-storage-engines/column-file.ts',
    section: '4.2 Column files',
  });
}

/**
 * Exercise 4.2. Parses a body made by {@link encodeColumnBody}. Throws a `DecodeError` (offset
 * within the body) when it is malformed or does not stand for exactly `rowCount` rows.
 */
export function decodeColumnBody(type: ColumnType, encoding: ColumnEncoding, rowCount: number, body: Uint8Array): EncodedColumn {
  throw new NotImplementedError({
    exercise: '4.2 Column files',
    file: 'chapter02-storage-engines/column-file.ts',
    section: '4.2 Column files',
  });
}

/**
 * Exercise 4.2. Writes `rows` as a column table in directory `dir` (created if needed): each
 * column encoded as its spec says, one file per column, each synced, then `schema.json`
 * atomically. Throws a `UsageError`, before writing anything, when a column name is bad or
 * repeated, or a row lacks a column or holds a value of the wrong type.
 */
export function writeColumnTable(fs: FileSystem, dir: string, columns: readonly ColumnSpec[], rows: readonly Row[]): void {
  throw new NotImplementedError({
    exercise: '4.2 Column files',
    file: 'chapter02-storage-engines/column-file.ts',
    section: '4.2 Column files',
  });
}

/** A column table opened for reading. Columns are read from disk only when first asked for. */
export class ColumnTable {
  /** The table's columns, in schema order. */
  readonly columns: readonly ColumnSpec[];
  /** Rows in the table. */
  readonly rowCount: number;
  /** Which column files were read, and how many bytes. */
  readonly stats: ColumnReadStats = { columnsRead: [], bytesRead: 0 };
  private readonly fs: FileSystem;
  private readonly dir: string;
  private readonly cache = new Map<string, EncodedColumn>();

  private constructor(fs: FileSystem, dir: string, columns: readonly ColumnSpec[], rowCount: number) {
    this.fs = fs;
    this.dir = dir;
    this.columns = columns;
    this.rowCount = rowCount;
  }

  /** Opens the table in `dir` by reading its `schema.json` (and no column file). */
  static open(fs: FileSystem, dir: string): ColumnTable {
    const path = `${dir}/schema.json`;
    const file = fs.open(path, 'read');
    const bytes = file.read(0, file.size());
    file.close();
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (error) {
      throw new CorruptionError(path, 0, `schema is not valid JSON: ${(error as Error).message}`);
    }
    const schema = parsed as { rowCount?: unknown; columns?: unknown };
    if (!Number.isSafeInteger(schema.rowCount) || !Array.isArray(schema.columns)) {
      throw new CorruptionError(path, 0, 'schema lacks rowCount or columns');
    }
    return new ColumnTable(fs, dir, schema.columns as ColumnSpec[], schema.rowCount as number);
  }

  /** The spec of column `name`; a `UsageError` names the column when there is none. */
  spec(name: string): ColumnSpec {
    const spec = this.columns.find((c) => c.name === name);
    if (spec === undefined) {
      throw new UsageError(`no column ${JSON.stringify(name)} in table ${this.dir}; columns: ${this.columns.map((c) => c.name).join(', ')}`);
    }
    return spec;
  }

  /**
   * Exercise 4.2. Column `name`, read from its file on first use (and counted in
   * {@link ColumnTable.stats}), then from memory. Throws a `CorruptionError` naming the file
   * and offset when the header or the checksum does not match, or the body does not parse.
   */
  readColumn(name: string): EncodedColumn {
    throw new NotImplementedError({
      exercise: '4.2 Column files',
      file: 'chapter02-storage-engines/column-file.ts',
      section: '4.2 Column files',
    });
  }
}

/** The file holding column `name` of the table in `dir`. */
export function columnPath(dir: string, name: string): string {
  return `${dir}/${name}.col`;
}

function checkedValue(spec: ColumnSpec, value: ColumnValue | undefined, row: number): ColumnValue {
  if (spec.type === 'int' ? Number.isSafeInteger(value) : typeof value === 'string') return value!;
  throw new UsageError(`row ${row}, column ${spec.name}: expected ${spec.type === 'int' ? 'a safe integer' : 'a string'}, got ${JSON.stringify(value)}`);
}
