import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { SimDisk } from '../../shared/fs/sim-disk.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { compareValues, encodeColumn, type ColumnValue } from '@impl/chapter02-storage-engines/column-encoding.js';
import { ColumnTable, columnPath, writeColumnTable, type ColumnSpec, type Row } from '@impl/chapter02-storage-engines/column-file.js';
import {
  columnsNeeded,
  filteredAggregate,
  matchRows,
  type AggregateQuery,
  type Comparison,
  type Predicate,
} from '@impl/chapter02-storage-engines/column-query.js';
import { CountingFs } from '../../shared/fs/counting-fs.js';
import { tableArb } from './column-testkit.js';

const SECTION = '4.3 Filtered aggregates';
const OPS: Comparison[] = ['=', '!=', '<', '<=', '>', '>='];

/** The row-store answer: look at every row, whole. */
function rowStoreAnswer(rows: readonly Row[], query: AggregateQuery): ColumnValue | undefined {
  const holds = (a: ColumnValue, op: Comparison, b: ColumnValue): boolean => {
    const c = compareValues(a, b);
    return op === '=' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
  };
  const matching = rows.filter((row) => query.where.every((p) => holds(row[p.column]!, p.op, p.value)));
  if (query.aggregate === 'count') return matching.length;
  const values = matching.map((row) => row[query.column!]!);
  if (query.aggregate === 'sum') return values.reduce<number>((a, v) => a + (v as number), 0);
  let best: ColumnValue | undefined;
  for (const v of values) {
    if (best === undefined || (query.aggregate === 'min' ? compareValues(v, best) < 0 : compareValues(v, best) > 0)) best = v;
  }
  return best;
}

const COLUMNS: ColumnSpec[] = [
  { name: 'day', type: 'int', encoding: 'run-length' },
  { name: 'country', type: 'string', encoding: 'dictionary' },
  { name: 'status', type: 'string', encoding: 'bitmap' },
  { name: 'amount', type: 'int', encoding: 'plain' },
  { name: 'note', type: 'string', encoding: 'plain' },
];

function salesTable(): { disk: SimDisk; rows: Row[] } {
  const random = new Random(3);
  const rows: Row[] = Array.from({ length: 2000 }, (_, i) => ({
    day: Math.floor(i / 100),
    country: random.pick(['NL', 'DE', 'FR', 'BE']),
    status: random.pick(['paid', 'paid', 'refunded']),
    amount: random.int(1, 500),
    note: `order ${i} `.repeat(5),
  }));
  const disk = new SimDisk(new Random(1));
  writeColumnTable(disk, 'sales', COLUMNS, rows);
  return { disk, rows };
}

describe('4.3 filtered aggregate', () => {
  test('matchRows finds the same rows whatever the encoding', () => {
    const values = [5, 5, 1, 9, 9, 9, 1, 5];
    for (const op of OPS) {
      const expected = values.flatMap((v, i) => (compareValues(v, 5) < 0 ? ['<', '<=', '!='] : compareValues(v, 5) > 0 ? ['>', '>=', '!='] : ['=', '<=', '>=']).includes(op) ? [i] : []);
      for (const encoding of ['plain', 'run-length', 'dictionary', 'bitmap'] as const) {
        expect([...matchRows(encodeColumn(values, encoding), op, 5).ones()], because(`rows where value ${op} 5, on a ${encoding} column`, SECTION)).toEqual(expected);
      }
    }
  });

  test('columnsNeeded lists the filter columns and the aggregated one, each once', () => {
    const query: AggregateQuery = { where: [{ column: 'country', op: '=', value: 'NL' }, { column: 'day', op: '<', value: 3 }, { column: 'country', op: '!=', value: 'x' }], aggregate: 'sum', column: 'amount' };
    expect(columnsNeeded(query), because('a query reads what it filters on and what it aggregates, nothing else', SECTION)).toEqual(['country', 'day', 'amount']);
  });

  test('a filtered sum reads only the columns it names: the other files stay unread', () => {
    const { disk, rows } = salesTable();
    const counting = new CountingFs(disk);
    const table = ColumnTable.open(counting, 'sales');
    const query: AggregateQuery = { where: [{ column: 'country', op: '=', value: 'NL' }, { column: 'status', op: '=', value: 'paid' }], aggregate: 'sum', column: 'amount' };
    expect(filteredAggregate(table, query), because('the column store gives the row-store answer', SECTION)).toBe(rowStoreAnswer(rows, query));
    expect(counting.filesRead(), because('only the filter and aggregate columns are read', SECTION)).toEqual(
      ['amount', 'country', 'status'].map((c) => columnPath('sales', c)).concat('sales/schema.json').sort(),
    );
    expect(table.stats.columnsRead.sort(), because("the table's own counter agrees", SECTION)).toEqual(['amount', 'country', 'status']);
    const total = ['day', 'country', 'status', 'amount', 'note'].reduce((sum, c) => sum + disk.contents(columnPath('sales', c)).length, 0);
    expect(table.stats.bytesRead * 2, because('skipping the wide note column reads less than half the table', SECTION)).toBeLessThan(total);
  });

  test('a count with no filter reads no column at all', () => {
    const { disk, rows } = salesTable();
    const counting = new CountingFs(disk);
    const table = ColumnTable.open(counting, 'sales');
    counting.reset();
    expect(filteredAggregate(table, { where: [], aggregate: 'count' }), because('count(*) is the row count', SECTION)).toBe(rows.length);
    expect(counting.filesRead(), because('the schema already knows the row count', SECTION)).toEqual([]);
  });

  test('column-store aggregates equal the row-store answer on random tables and queries (property)', () => {
    const predicateArb = (columns: readonly ColumnSpec[], rows: readonly Row[]): fc.Arbitrary<Predicate> =>
      fc.constantFrom(...columns).chain((spec) => {
        const seen = rows.map((r) => r[spec.name]!);
        const valueArb: fc.Arbitrary<ColumnValue> = spec.type === 'int' ? fc.oneof(fc.integer({ min: -4, max: 6 }), ...(seen.length > 0 ? [fc.constantFrom(...seen)] : [])) : fc.oneof(fc.constantFrom('', 'DE', 'NL', 'x'), ...(seen.length > 0 ? [fc.constantFrom(...seen)] : []));
        return fc.record({ column: fc.constant(spec.name), op: fc.constantFrom(...OPS), value: valueArb });
      });
    const caseArb = tableArb.chain(({ columns, rows }) =>
      fc.record({
        columns: fc.constant(columns),
        rows: fc.constant(rows),
        where: fc.array(predicateArb(columns, rows), { maxLength: 3 }),
        target: fc.constantFrom(...columns),
        aggregate: fc.constantFrom<AggregateQuery['aggregate']>('count', 'sum', 'min', 'max'),
      }),
    );
    checkProperty(
      fc.property(caseArb, ({ columns, rows, where, target, aggregate }) => {
        const disk = new SimDisk(new Random(1));
        writeColumnTable(disk, 't', columns, rows);
        const agg = aggregate === 'sum' && target.type === 'string' ? 'count' : aggregate;
        const query: AggregateQuery = agg === 'count' ? { where, aggregate: agg } : { where, aggregate: agg, column: target.name };
        const table = ColumnTable.open(disk, 't');
        expect(filteredAggregate(table, query), because('a filtered aggregate over columns equals the same query over whole rows', SECTION)).toEqual(rowStoreAnswer(rows, query));
        expect([...table.stats.columnsRead].sort(), because('the query read exactly the columns it needs', SECTION)).toEqual(columnsNeeded(query).sort());
      }),
      { numRuns: 150 },
    );
  });

  test('bad queries raise a UsageError naming the column, before reading anything', () => {
    const { disk } = salesTable();
    const counting = new CountingFs(disk);
    const table = ColumnTable.open(counting, 'sales');
    counting.reset();
    expect(() => filteredAggregate(table, { where: [{ column: 'nope', op: '=', value: 1 }], aggregate: 'count' }), because('an unknown column is a usage error', SECTION)).toThrow(UsageError);
    expect(() => filteredAggregate(table, { where: [{ column: 'nope', op: '=', value: 1 }], aggregate: 'count' }), because('the error names the unknown column', SECTION)).toThrow(/nope/);
    expect(() => filteredAggregate(table, { where: [{ column: 'day', op: '=', value: 'monday' }], aggregate: 'count' }), because('a string compared with an int column is a type error', SECTION)).toThrow(UsageError);
    expect(() => filteredAggregate(table, { where: [], aggregate: 'sum', column: 'country' }), because('strings cannot be summed', SECTION)).toThrow(UsageError);
    expect(
      () => filteredAggregate(table, { where: [{ column: 'day', op: '<', value: 3 }], aggregate: 'sum', column: 'country' }),
      because('the whole query is checked first, the aggregate too: a bad sum must not read the filter columns', SECTION),
    ).toThrow(UsageError);
    expect(() => filteredAggregate(table, { where: [], aggregate: 'max' }), because('max needs a column', SECTION)).toThrow(UsageError);
    expect(counting.filesRead(), because('a bad query is refused before any column is read', SECTION)).toEqual([]);
  });
});
