/**
 * Exercise 4.1: the column encodings. A column is the list of one attribute's values, row by
 * row. Values in a column repeat a lot (a country, a status, a day), which is what these
 * encodings exploit:
 *
 * - **plain**: every value as is;
 * - **run-length**: runs of equal consecutive values as (value, length) pairs: tiny for sorted or
 *   clustered columns;
 * - **dictionary**: the sorted distinct values once, and per row a small integer code: the
 *   index of its value in the dictionary;
 * - **bitmap**: per distinct value, the bitmap of the rows that hold it: ideal for few distinct
 *   values, and a filter on the column is then an OR of bitmaps.
 *
 * Encoding then decoding gives back the column exactly.
 * @module
 */

import { NotImplementedError, UsageError } from '../../shared/errors.js';
import { Bitmap } from './bitmap.js';

/** The type of a column's values. */
export type ColumnType = 'int' | 'string';
/** One value of a column: a safe integer for `int` columns, a string for `string` columns. */
export type ColumnValue = number | string;
/** How a column is stored. */
export type ColumnEncoding = 'plain' | 'run-length' | 'dictionary' | 'bitmap';

/** A run of `length` equal consecutive values. */
export interface Run {
  readonly value: ColumnValue;
  readonly length: number;
}

/** A value's rows, in a bitmap-encoded column. */
export interface ValueBitmap {
  readonly value: ColumnValue;
  readonly rows: Bitmap;
}

/** A column in one of the four encodings; `rowCount` is the number of values it stands for. */
export type EncodedColumn =
  | { readonly encoding: 'plain'; readonly rowCount: number; readonly values: readonly ColumnValue[] }
  | { readonly encoding: 'run-length'; readonly rowCount: number; readonly runs: readonly Run[] }
  | {
      readonly encoding: 'dictionary';
      readonly rowCount: number;
      /** Distinct values in increasing order ({@link compareValues}). */
      readonly dictionary: readonly ColumnValue[];
      /** Per row, the index of its value in `dictionary`. */
      readonly codes: Uint32Array;
    }
  | {
      readonly encoding: 'bitmap';
      readonly rowCount: number;
      /** One bitmap per distinct value, values in increasing order; every row in exactly one. */
      readonly bitmaps: readonly ValueBitmap[];
    };

/** Orders values: numbers numerically, strings by UTF-16 code units (JavaScript's `<`). */
export function compareValues(a: ColumnValue, b: ColumnValue): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Exercise 4.1. Runs of equal consecutive values, in row order; no run is empty. */
export function encodeRunLength(values: readonly ColumnValue[]): Run[] {
  throw new NotImplementedError({
    exercise: '4.1 Column encodings',
    file: 'chapter02-storage-engines/column-encoding.ts',
    section: '4.1 Column encodings',
  });
}

/** Exercise 4.1. The values the runs stand for: each run's value repeated `length` times. */
export function decodeRunLength(runs: readonly Run[]): ColumnValue[] {
  throw new NotImplementedError({
    exercise: '4.1 Column encodings',
    file: 'chapter02-storage-engines/column-encoding.ts',
    section: '4.1 Column encodings',
  });
}

/** Exercise 4.1. The sorted distinct values and each row's code (its value's index). */
export function encodeDictionary(values: readonly ColumnValue[]): { dictionary: ColumnValue[]; codes: Uint32Array } {
  throw new NotImplementedError({
    exercise: '4.1 Column encodings',
    file: 'chapter02-storage-engines/column-encoding.ts',
    section: '4.1 Column encodings',
  });
}

/** Exercise 4.1. Row `i`'s value is `dictionary[codes[i]]`. */
export function decodeDictionary(dictionary: readonly ColumnValue[], codes: Uint32Array): ColumnValue[] {
  throw new NotImplementedError({
    exercise: '4.1 Column encodings',
    file: 'chapter02-storage-engines/column-encoding.ts',
    section: '4.1 Column encodings',
  });
}

/** Exercise 4.1. One bitmap per distinct value (values in increasing order) of its rows. */
export function encodeBitmaps(values: readonly ColumnValue[]): ValueBitmap[] {
  throw new NotImplementedError({
    exercise: '4.1 Column encodings',
    file: 'chapter02-storage-engines/column-encoding.ts',
    section: '4.1 Column encodings',
  });
}

/** Exercise 4.1. Row `i` takes the value whose bitmap has bit `i` set. */
export function decodeBitmaps(rowCount: number, bitmaps: readonly ValueBitmap[]): ColumnValue[] {
  throw new NotImplementedError({
    exercise: '4.1 Column encodings',
    file: 'chapter02-storage-engines/column-encoding.ts',
    section: '4.1 Column encodings',
  });
}

/** Encodes a column's values with `encoding`. */
export function encodeColumn(values: readonly ColumnValue[], encoding: ColumnEncoding): EncodedColumn {
  const rowCount = values.length;
  switch (encoding) {
    case 'plain':
      return { encoding, rowCount, values: [...values] };
    case 'run-length':
      return { encoding, rowCount, runs: encodeRunLength(values) };
    case 'dictionary':
      return { encoding, rowCount, ...encodeDictionary(values) };
    case 'bitmap':
      return { encoding, rowCount, bitmaps: encodeBitmaps(values) };
    default:
      throw new UsageError(`unknown column encoding ${String(encoding)}`);
  }
}

/** Decodes a column back to its values, row by row. */
export function decodeColumn(column: EncodedColumn): ColumnValue[] {
  switch (column.encoding) {
    case 'plain':
      return [...column.values];
    case 'run-length':
      return decodeRunLength(column.runs);
    case 'dictionary':
      return decodeDictionary(column.dictionary, column.codes);
    case 'bitmap':
      return decodeBitmaps(column.rowCount, column.bitmaps);
  }
}
