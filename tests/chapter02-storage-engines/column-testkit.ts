/**
 * Helpers for the column-store tests (exercises 4.x): random tables and columns. (Which files a
 * query read is counted by `shared/fs/counting-fs.ts`.)
 */

import fc from 'fast-check';
import type { ColumnEncoding, ColumnType, ColumnValue } from '@impl/chapter02-storage-engines/column-encoding.js';
import type { ColumnSpec, Row } from '@impl/chapter02-storage-engines/column-file.js';

/** Values drawn from a few distinct ones, often repeated in runs, like real columns. */
export function columnValuesArb(type: ColumnType, rows: number): fc.Arbitrary<ColumnValue[]> {
  const valueArb: fc.Arbitrary<ColumnValue> =
    type === 'int' ? fc.oneof(fc.integer({ min: -3, max: 5 }), fc.integer({ min: -1_000_000, max: 1_000_000 })) : fc.constantFrom('', 'NL', 'FR', 'DE', 'Zürich', 'a\u0000b', '🙂');
  return fc
    .array(fc.tuple(valueArb, fc.integer({ min: 1, max: 6 })), { minLength: rows, maxLength: rows })
    .map((runs) => runs.flatMap(([v, n]) => Array.from({ length: n }, () => v)).slice(0, rows))
    .filter((values) => values.length === rows);
}

const encodingsFor: Record<ColumnType, readonly ColumnEncoding[]> = {
  int: ['plain', 'run-length', 'dictionary', 'bitmap'],
  string: ['plain', 'run-length', 'dictionary', 'bitmap'],
};

/** A random table: 2 to 5 columns of random types and encodings, and its rows. */
export const tableArb: fc.Arbitrary<{ columns: ColumnSpec[]; rows: Row[] }> = fc
  .tuple(
    fc.array(fc.constantFrom<ColumnType>('int', 'string'), { minLength: 2, maxLength: 5 }),
    fc.integer({ min: 0, max: 60 }),
  )
  .chain(([types, rowCount]) =>
    fc
      .tuple(
        ...types.map((type) => fc.tuple(fc.constantFrom(...encodingsFor[type]), columnValuesArb(type, rowCount))),
      )
      .map((cols) => {
        const columns: ColumnSpec[] = cols.map(([encoding], i) => ({ name: `c${i}`, type: types[i]!, encoding }));
        const rows: Row[] = Array.from({ length: rowCount }, (_, r) => Object.fromEntries(cols.map(([, values], i) => [`c${i}`, values[r]!])));
        return { columns, rows };
      }),
  );
