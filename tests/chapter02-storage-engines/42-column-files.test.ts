import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CorruptionError, UsageError } from '../../shared/errors.js';
import { SimDisk } from '../../shared/fs/sim-disk.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { decodeColumn, encodeColumn } from '@impl/chapter02-storage-engines/column-encoding.js';
import {
  COLUMN_HEADER_SIZE,
  ColumnTable,
  columnPath,
  decodeColumnBody,
  encodeColumnBody,
  writeColumnTable,
  type ColumnSpec,
  type Row,
} from '@impl/chapter02-storage-engines/column-file.js';
import { CountingFs } from '../../shared/fs/counting-fs.js';
import { columnValuesArb, tableArb } from './column-testkit.js';

const SECTION = '4.2 Column files';

const COLUMNS: ColumnSpec[] = [
  { name: 'day', type: 'int', encoding: 'run-length' },
  { name: 'country', type: 'string', encoding: 'dictionary' },
  { name: 'status', type: 'string', encoding: 'bitmap' },
  { name: 'amount', type: 'int', encoding: 'plain' },
];

function sales(count: number): Row[] {
  const random = new Random(count);
  return Array.from({ length: count }, (_, i) => ({
    day: Math.floor(i / 50),
    country: random.pick(['NL', 'DE', 'FR', 'BE']),
    status: random.pick(['paid', 'refunded']),
    amount: random.int(-50, 500),
  }));
}

function newDisk(): SimDisk {
  return new SimDisk(new Random(1));
}

describe('4.2 column files', () => {
  test('a column body round-trips through bytes for every encoding and type (property)', () => {
    checkProperty(
      fc.property(
        fc.constantFrom<'int' | 'string'>('int', 'string').chain((type) => fc.tuple(fc.constant(type), fc.integer({ min: 0, max: 50 }).chain((n) => columnValuesArb(type, n)))),
        fc.constantFrom('plain', 'run-length', 'dictionary', 'bitmap' as const),
        ([type, values], encoding) => {
          const body = encodeColumnBody(type, encodeColumn(values, encoding));
          const back = decodeColumnBody(type, encoding, values.length, body);
          expect(decodeColumn(back), because('parsing the body gives back the column', SECTION)).toEqual(values);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('a table written column by column reads back every column exactly', () => {
    checkProperty(
      fc.property(tableArb, ({ columns, rows }) => {
        const disk = newDisk();
        writeColumnTable(disk, 'sales', columns, rows);
        const table = ColumnTable.open(disk, 'sales');
        expect(table.rowCount, because('the schema records the row count', SECTION)).toBe(rows.length);
        expect(table.columns, because('the schema records every column, in order', SECTION)).toEqual(columns);
        for (const spec of columns) {
          expect(decodeColumn(table.readColumn(spec.name)), because(`column ${spec.name} reads back as written`, SECTION)).toEqual(rows.map((r) => r[spec.name]));
        }
      }),
      { numRuns: 60 },
    );
  });

  test('each column lives in its own file, and reading one column reads only that file', () => {
    const disk = newDisk();
    writeColumnTable(disk, 'sales', COLUMNS, sales(500));
    expect(disk.list('sales'), because('one .col file per column, plus the schema', SECTION)).toEqual(['amount.col', 'country.col', 'day.col', 'schema.json', 'status.col']);
    const counting = new CountingFs(disk);
    const table = ColumnTable.open(counting, 'sales');
    expect(counting.filesRead(), because('opening a table reads the schema and no column', SECTION)).toEqual(['sales/schema.json']);
    counting.reset();
    table.readColumn('country');
    expect(counting.filesRead(), because('reading a column opens only its file', SECTION)).toEqual([columnPath('sales', 'country')]);
    expect(table.stats.columnsRead, because('the table counts the columns it read', SECTION)).toEqual(['country']);
    expect(table.stats.bytesRead, because('the table counts the bytes it read', SECTION)).toBe(counting.bytesReadByPath.get(columnPath('sales', 'country')));
    table.readColumn('country');
    expect(table.stats.columnsRead, because('a column is read from disk once, then kept', SECTION)).toEqual(['country']);
  });

  test('encodings shrink the files: a run-length day column is tiny next to its plain twin', () => {
    const disk = newDisk();
    const rows = sales(5000);
    writeColumnTable(disk, 'a', [{ name: 'day', type: 'int', encoding: 'run-length' }], rows);
    writeColumnTable(disk, 'b', [{ name: 'day', type: 'int', encoding: 'plain' }], rows);
    const rle = disk.contents('a/day.col').length;
    const plain = disk.contents('b/day.col').length;
    expect(rle * 20, because('100 runs of 50 equal days cost far less than 5000 values', SECTION)).toBeLessThan(plain);
  });

  test('the header is big-endian, as the format table says: magic "DCOL" at byte 0, the row count at byte 8', () => {
    const disk = newDisk();
    writeColumnTable(disk, 'sales', COLUMNS, sales(300));
    const bytes = disk.contents(columnPath('sales', 'day'));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(String.fromCharCode(...bytes.subarray(0, 4)), because('the magic number reads "DCOL" in file order', SECTION)).toBe('DCOL');
    expect(view.getUint32(8), because('integers in the header are big-endian', SECTION)).toBe(300);
    expect(view.getUint32(12), because('the body length follows the row count', SECTION)).toBe(bytes.length - COLUMN_HEADER_SIZE);
  });

  test('every header byte is checked: the checksum covers only the body', () => {
    for (let at = 0; at < COLUMN_HEADER_SIZE; at++) {
      const disk = newDisk();
      writeColumnTable(disk, 'sales', COLUMNS, sales(50));
      const path = columnPath('sales', 'day');
      disk.flipByte(path, at, at === 7 ? 0x01 : 0x10);
      let error: unknown;
      try {
        ColumnTable.open(disk, 'sales').readColumn('day');
      } catch (e) {
        error = e;
      }
      expect(
        error,
        because(`a flipped header byte ${at} must be caught: magic, version, type and encoding (matching the schema), the zero byte, the row count (matching the schema), the body length and the checksum`, SECTION),
      ).toBeInstanceOf(CorruptionError);
    }
  });

  test('a flipped byte in a column file raises a CorruptionError naming the file and an offset', () => {
    forEachSeed(20, (seed) => {
      const random = new Random(seed);
      const disk = newDisk();
      writeColumnTable(disk, 'sales', COLUMNS, sales(300));
      const spec = random.pick(COLUMNS);
      const path = columnPath('sales', spec.name);
      const size = disk.contents(path).length;
      const offset = random.int(0, size - 1);
      disk.flipByte(path, offset, random.int(1, 255));
      const table = ColumnTable.open(disk, 'sales');
      let error: unknown;
      try {
        table.readColumn(spec.name);
      } catch (e) {
        error = e;
      }
      expect(error, because('a damaged column must never be returned', SECTION)).toBeInstanceOf(CorruptionError);
      expect((error as CorruptionError).file, because('the error names the file', SECTION)).toBe(path);
      expect(
        (error as CorruptionError).offset,
        because('the error names an offset inside the file: the header checks, or the body checksum, must catch the flip before the body is decoded', SECTION),
      ).toBeLessThan(size);
      if (offset >= COLUMN_HEADER_SIZE) {
        expect((error as CorruptionError).offset, because('a body byte is caught by the body checksum', SECTION)).toBeGreaterThanOrEqual(COLUMN_HEADER_SIZE);
      }
    });
  });

  test('bad input is refused with a UsageError before anything is written', () => {
    const disk = newDisk();
    writeColumnTable(disk, 'sales', COLUMNS, sales(10));
    const before = disk.contents('sales/day.col');
    expect(() => writeColumnTable(disk, 'sales', COLUMNS, [...sales(10), { day: 'x', country: 'NL', status: 'paid', amount: 1 }]), because('a string in an int column is refused', SECTION)).toThrow(UsageError);
    expect(() => writeColumnTable(disk, 'sales', [{ name: '../x', type: 'int', encoding: 'plain' }], []), because('a column name becomes a file name, so it is checked', SECTION)).toThrow(UsageError);
    expect(() => writeColumnTable(disk, 'sales', COLUMNS, [{ day: 1, country: 'NL', status: 'paid' }]), because('a row missing a column is refused', SECTION)).toThrow(UsageError);
    expect(disk.contents('sales/day.col'), because('a refused write leaves the stored table as it was', SECTION)).toEqual(before);
    expect(() => ColumnTable.open(disk, 'sales').readColumn('nope'), because('an unknown column is a usage error naming it', SECTION)).toThrow(UsageError);
  });

  test('the table survives a crash once written: files and schema are synced, the schema renamed into place', () => {
    const disk = newDisk();
    const rows = sales(200);
    writeColumnTable(disk, 'sales', COLUMNS, rows);
    disk.crash();
    const table = ColumnTable.open(disk, 'sales');
    expect(decodeColumn(table.readColumn('amount')), because('a written table is durable when writeColumnTable returns', SECTION)).toEqual(rows.map((r) => r['amount']));
  });
});
