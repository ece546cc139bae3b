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
import { CorruptionError, DecodeError, UsageError } from '../../shared/errors.js';
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
  const out = new ByteWriter();
  const value = (v: ColumnValue): void => {
    if (type === 'int') out.int(v as number);
    else out.string(v as string);
  };
  switch (column.encoding) {
    case 'plain':
      column.values.forEach(value);
      break;
    case 'run-length':
      out.u32(column.runs.length);
      for (const run of column.runs) {
        value(run.value);
        out.u32(run.length);
      }
      break;
    case 'dictionary':
      out.u32(column.dictionary.length);
      column.dictionary.forEach(value);
      for (const code of column.codes) out.u32(code);
      break;
    case 'bitmap':
      out.u32(column.bitmaps.length);
      for (const { value: v, rows } of column.bitmaps) {
        value(v);
        const runs = rows.toRuns();
        out.u32(runs.length);
        for (const r of runs) out.u32(r);
      }
      break;
  }
  return out.finish();
}

/**
 * Exercise 4.2. Parses a body made by {@link encodeColumnBody}. Throws a `DecodeError` (offset
 * within the body) when it is malformed or does not stand for exactly `rowCount` rows.
 */
export function decodeColumnBody(type: ColumnType, encoding: ColumnEncoding, rowCount: number, body: Uint8Array): EncodedColumn {
  const input = new ByteReader(body);
  const value = (): ColumnValue => (type === 'int' ? input.int() : input.string());
  const count = (what: string, max: number): number => {
    const at = input.offset;
    const n = input.u32();
    if (n > max) throw new DecodeError(at, `${what} of at most ${max}`, `found ${n}`);
    return n;
  };
  let column: EncodedColumn;
  switch (encoding) {
    case 'plain': {
      const values: ColumnValue[] = [];
      for (let row = 0; row < rowCount; row++) values.push(value());
      column = { encoding, rowCount, values };
      break;
    }
    case 'run-length': {
      const runs: Run[] = [];
      let total = 0;
      const n = count('a run count', rowCount);
      for (let i = 0; i < n; i++) {
        const v = value();
        const length = count('a run length', rowCount - total);
        total += length;
        runs.push({ value: v, length });
      }
      if (total !== rowCount) throw new DecodeError(input.offset, `runs covering ${rowCount} rows`, `they cover ${total}`);
      column = { encoding, rowCount, runs };
      break;
    }
    case 'dictionary': {
      const dictionary: ColumnValue[] = [];
      const size = count('a dictionary size', rowCount);
      for (let i = 0; i < size; i++) dictionary.push(value());
      const codes = new Uint32Array(rowCount);
      for (let row = 0; row < rowCount; row++) codes[row] = count('a code', size - 1);
      column = { encoding, rowCount, dictionary, codes };
      break;
    }
    case 'bitmap': {
      const bitmaps: ValueBitmap[] = [];
      const n = count('a value count', rowCount);
      for (let i = 0; i < n; i++) {
        const v = value();
        const runs: number[] = [];
        const runCount = count('a run count', 2 * rowCount + 1);
        for (let r = 0; r < runCount; r++) runs.push(count('a run length', rowCount));
        const at = input.offset;
        try {
          bitmaps.push({ value: v, rows: Bitmap.fromRuns(rowCount, runs) });
        } catch (error) {
          if (error instanceof RangeError) throw new DecodeError(at, `bitmap runs covering ${rowCount} rows`, error.message);
          throw error;
        }
      }
      column = { encoding, rowCount, bitmaps };
      break;
    }
  }
  if (!input.done) throw new DecodeError(input.offset, 'the end of the column body', 'bytes are left over');
  return column;
}

/**
 * Exercise 4.2. Writes `rows` as a column table in directory `dir` (created if needed): each
 * column encoded as its spec says, one file per column, each synced, then `schema.json`
 * atomically. Throws a `UsageError`, before writing anything, when a column name is bad or
 * repeated, or a row lacks a column or holds a value of the wrong type.
 */
export function writeColumnTable(fs: FileSystem, dir: string, columns: readonly ColumnSpec[], rows: readonly Row[]): void {
  const names = new Set<string>();
  for (const spec of columns) {
    if (!NAME_PATTERN.test(spec.name)) throw new UsageError(`column name ${JSON.stringify(spec.name)} must match ${NAME_PATTERN}`);
    if (names.has(spec.name)) throw new UsageError(`column ${spec.name} appears twice in the schema`);
    names.add(spec.name);
  }
  const encoded = columns.map((spec) => {
    const values = rows.map((row, i) => checkedValue(spec, row[spec.name], i));
    return encodeColumn(values, spec.encoding);
  });
  fs.mkdir(dir);
  columns.forEach((spec, i) => {
    const body = encodeColumnBody(spec.type, encoded[i]!);
    const header = new Uint8Array(COLUMN_HEADER_SIZE);
    const view = new DataView(header.buffer);
    view.setUint32(0, COLUMN_MAGIC);
    view.setUint8(4, 2);
    view.setUint8(5, TYPE_CODES[spec.type]);
    view.setUint8(6, ENCODING_CODES[spec.encoding]);
    view.setUint32(8, rows.length);
    view.setUint32(12, body.length);
    view.setUint32(16, crc32c(body));
    const file = fs.open(columnPath(dir, spec.name), 'truncate');
    file.write(0, header);
    file.write(COLUMN_HEADER_SIZE, body);
    file.sync();
    file.close();
  });
  const schema = JSON.stringify({ rowCount: rows.length, columns: columns.map(({ name, type, encoding }) => ({ name, type, encoding })) });
  const temp = `${dir}/schema.json.tmp`;
  const file = fs.open(temp, 'truncate');
  file.write(0, new TextEncoder().encode(schema));
  file.sync();
  file.close();
  fs.rename(temp, `${dir}/schema.json`);
  fs.syncDir(dir);
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
    const spec = this.spec(name);
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const path = columnPath(this.dir, name);
    const file = this.fs.open(path, 'read');
    let header: Uint8Array;
    let body: Uint8Array;
    try {
      header = file.read(0, COLUMN_HEADER_SIZE);
      if (header.length < COLUMN_HEADER_SIZE) throw new CorruptionError(path, header.length, 'the file ends inside the header');
      const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
      const expect = (offset: number, actual: number, wanted: number, what: string): void => {
        if (actual !== wanted) throw new CorruptionError(path, offset, `${what} is ${actual}, expected ${wanted}`);
      };
      expect(0, view.getUint32(0), COLUMN_MAGIC, 'the magic number');
      expect(4, view.getUint8(4), 2, 'the format version');
      expect(5, view.getUint8(5), TYPE_CODES[spec.type], 'the type code');
      expect(6, view.getUint8(6), ENCODING_CODES[spec.encoding], 'the encoding code');
      expect(7, view.getUint8(7), 0, 'the reserved byte');
      expect(8, view.getUint32(8), this.rowCount, 'the row count');
      const length = view.getUint32(12);
      body = file.read(COLUMN_HEADER_SIZE, length);
      if (body.length !== length) throw new CorruptionError(path, COLUMN_HEADER_SIZE + body.length, `the body ends after ${body.length} of ${length} bytes`);
      const stored = view.getUint32(16);
      const computed = crc32c(body);
      if (stored !== computed) {
        throw new CorruptionError(path, COLUMN_HEADER_SIZE, `body checksum mismatch (stored ${stored}, computed ${computed})`);
      }
    } finally {
      file.close();
    }
    this.stats.columnsRead.push(name);
    this.stats.bytesRead += header.length + body.length;
    let column: EncodedColumn;
    try {
      column = decodeColumnBody(spec.type, spec.encoding, this.rowCount, body);
    } catch (error) {
      if (error instanceof DecodeError) throw new CorruptionError(path, COLUMN_HEADER_SIZE + error.offset, error.message);
      throw error;
    }
    this.cache.set(name, column);
    return column;
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
