import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { Bitmap } from '@impl/chapter02-storage-engines/bitmap.js';
import {
  compareValues,
  decodeBitmaps,
  decodeColumn,
  decodeDictionary,
  decodeRunLength,
  encodeBitmaps,
  encodeColumn,
  encodeDictionary,
  encodeRunLength,
  type ColumnEncoding,
} from '@impl/chapter02-storage-engines/column-encoding.js';
import { columnValuesArb } from './column-testkit.js';

const SECTION = '4.1 Column encodings';

describe('4.1 column encodings', () => {
  test('run-length encoding stores one (value, length) pair per run of equal values', () => {
    expect(encodeRunLength([7, 7, 7, 2, 2, 7]), because('three runs: 7×3, 2×2, 7×1', SECTION)).toEqual([
      { value: 7, length: 3 },
      { value: 2, length: 2 },
      { value: 7, length: 1 },
    ]);
    expect(encodeRunLength([]), because('an empty column has no runs', SECTION)).toEqual([]);
    expect(decodeRunLength([{ value: 'x', length: 2 }, { value: 'y', length: 1 }]), because('each run expands to length copies', SECTION)).toEqual(['x', 'x', 'y']);
  });

  test('dictionary encoding stores the sorted distinct values once and a code per row', () => {
    const { dictionary, codes } = encodeDictionary(['NL', 'DE', 'NL', 'FR', 'DE']);
    expect(dictionary, because('the dictionary is sorted, so codes keep the order of values', SECTION)).toEqual(['DE', 'FR', 'NL']);
    expect([...codes], because("each row's code indexes its value in the dictionary", SECTION)).toEqual([2, 0, 2, 1, 0]);
    expect(decodeDictionary(dictionary, codes), because('decoding looks every code up', SECTION)).toEqual(['NL', 'DE', 'NL', 'FR', 'DE']);
    expect(
      encodeDictionary([10, -2, 9, -1, 0, 10]).dictionary,
      because('ints sort as numbers (compareValues), not as strings: a plain .sort() would give [-1, -2, 0, 10, 9]', SECTION),
    ).toEqual([-2, -1, 0, 9, 10]);
  });

  test('bitmap encoding keeps one bitmap per distinct value, and every row is in exactly one', () => {
    const bitmaps = encodeBitmaps([3, 1, 3, 3]);
    expect(bitmaps.map((b) => b.value), because('one bitmap per distinct value, values in order', SECTION)).toEqual([1, 3]);
    expect([...bitmaps[0]!.rows.ones()], because("value 1's bitmap has row 1 only", SECTION)).toEqual([1]);
    expect([...bitmaps[1]!.rows.ones()], because("value 3's bitmap has rows 0, 2 and 3", SECTION)).toEqual([0, 2, 3]);
    expect(decodeBitmaps(4, bitmaps), because('each row takes the value whose bitmap holds it', SECTION)).toEqual([3, 1, 3, 3]);
  });

  test('a bitmap compresses to alternating runs of 0s and 1s, starting with 0s', () => {
    const bits = new Bitmap(7);
    [2, 3, 4].forEach((row) => bits.set(row));
    expect(bits.toRuns(), because('0011100 is two 0s, three 1s, two 0s', SECTION)).toEqual([2, 3, 2]);
    const leading = new Bitmap(4);
    [0, 1].forEach((row) => leading.set(row));
    expect(leading.toRuns(), because('a bitmap starting with 1s begins with an empty run of 0s', SECTION)).toEqual([0, 2, 2]);
    expect([...Bitmap.fromRuns(7, [2, 3, 2]).ones()], because('fromRuns inverts toRuns', SECTION)).toEqual([2, 3, 4]);
    expect(() => Bitmap.fromRuns(7, [2, 3]), because('runs that do not cover every row are malformed', SECTION)).toThrow(RangeError);
  });

  test('bitmap run lengths round-trip for any set of rows (property)', () => {
    checkProperty(
      fc.property(fc.integer({ min: 0, max: 200 }).chain((size) => fc.tuple(fc.constant(size), fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, size - 1) }), { maxLength: size }))), ([size, rows]) => {
        const bits = new Bitmap(size);
        for (const r of rows) if (r < size) bits.set(r);
        const runs = bits.toRuns();
        expect(runs.reduce((a, b) => a + b, 0), because('the runs cover every row exactly once', SECTION)).toBe(size);
        expect(runs.slice(1).every((r) => r > 0), because('only the first run (of 0s) may be empty', SECTION)).toBe(true);
        expect([...Bitmap.fromRuns(size, runs).ones()], because('fromRuns(toRuns(b)) is b', SECTION)).toEqual([...bits.ones()]);
      }),
    );
  });

  test('every encoding gives back the exact column, for ints and strings (property)', () => {
    const encodings: ColumnEncoding[] = ['plain', 'run-length', 'dictionary', 'bitmap'];
    checkProperty(
      fc.property(
        fc.constantFrom<'int' | 'string'>('int', 'string').chain((type) => fc.integer({ min: 0, max: 80 }).chain((n) => columnValuesArb(type, n))),
        fc.constantFrom(...encodings),
        (values, encoding) => {
          const column = encodeColumn(values, encoding);
          expect(column.rowCount, because('an encoded column knows how many rows it stands for', SECTION)).toBe(values.length);
          expect(decodeColumn(column), because(`decode(encode(column)) is the column, with ${encoding} encoding`, SECTION)).toEqual(values);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('run-length encoding of a clustered column is much smaller than the column', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => Math.floor(i / 1000));
    expect(encodeRunLength(values).length, because('10,000 values in 10 runs take 10 pairs', SECTION)).toBe(10);
    const dictionary = encodeDictionary(values.map((v) => `day-${v}`)).dictionary;
    expect(dictionary.length, because('a dictionary holds each distinct value once', SECTION)).toBe(10);
    expect(compareValues('a', 'b'), because('strings compare in JavaScript order', SECTION)).toBeLessThan(0);
  });
});
