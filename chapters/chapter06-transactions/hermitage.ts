/**
 * The anomaly lab's test cases, after Martin Kleppmann's Hermitage project: each a scripted
 * interleaving of two or three transactions on a table `test(id, value)` holding the rows (1, 10)
 * and (2, 20), and a rule that says whether an outcome shows the anomaly. Given code, identical
 * in `chapters/` and `solutions/`; the scheduler that runs them is exercise 6.5.
 *
 * A row is the key `encodeKey(['test', id])` with its value as decimal text. The `script` is the
 * order Hermitage runs the statements in; the lab also runs every other interleaving of the same
 * steps (each transaction's steps stay in their order), because an isolation level prevents an
 * anomaly only if *no* interleaving shows it. A transaction begins at its first step.
 * @module
 */

import { fromUtf8, showBytes, utf8 } from '../../shared/bytes.js';
import { prefixRange, type KeyRange } from '../../shared/kv.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import type { IsolationLevel } from './transaction.js';

export type TxnName = 'T1' | 'T2' | 'T3';

/** What the steps read so far: `as` name → text (a value, `none`, or `id:value,…` for a select). */
export type Reads = ReadonlyMap<string, string>;

/** One statement of one transaction. */
export type Step =
  /** `select value from test where id = …`, remembered as `as`. */
  | { readonly txn: TxnName; readonly op: 'read'; readonly id: number; readonly as: string }
  /** `update` or `insert`: the row gets `value`, or a value computed from earlier reads. */
  | { readonly txn: TxnName; readonly op: 'write'; readonly id: number; readonly value: number | ((reads: Reads) => number) }
  | { readonly txn: TxnName; readonly op: 'delete'; readonly id: number }
  /** `select * from test where <where>`: a predicate read over the whole table, remembered as `as`. */
  | { readonly txn: TxnName; readonly op: 'select'; readonly where: (value: number) => boolean; readonly whereText: string; readonly as: string }
  | { readonly txn: TxnName; readonly op: 'commit' }
  | { readonly txn: TxnName; readonly op: 'abort' };

/** What one run of an interleaving ended with. */
export interface Outcome {
  readonly reads: Reads;
  /** The transactions that committed, in commit order. */
  readonly committed: readonly TxnName[];
  /** The transactions that were aborted (by a step or by the database), with the reason. */
  readonly aborted: ReadonlyMap<TxnName, string>;
  /** The table afterwards: id → value. */
  readonly final: ReadonlyMap<number, number>;
}

export type AnomalyName = 'G0' | 'G1a' | 'G1b' | 'G1c' | 'OTV' | 'PMP' | 'P4' | 'G-single' | 'G2-item' | 'G2' | 'read-only';

export type Verdict = 'prevented' | 'allowed';

/** One case of the lab. */
export interface HermitageCase {
  readonly name: AnomalyName;
  readonly title: string;
  /** The rows before the case runs: id → value. */
  readonly rows: ReadonlyMap<number, number>;
  /** The interleaving Hermitage uses. */
  readonly script: readonly Step[];
  /** Says what anomaly `outcome` shows, or `undefined` when it shows none. */
  readonly anomaly: (outcome: Outcome) => string | undefined;
}

/** The key of row `id`. */
export function rowKey(id: number): Uint8Array {
  return encodeKey(['test', id]);
}

/** The id of a row key. */
export function rowId(key: Uint8Array): number {
  const [table, id] = decodeKey(key);
  if (table !== 'test' || typeof id !== 'number') throw new Error(`"${showBytes(key)}" is not a row key of the table test(id, value)`);
  return id;
}

/** The range holding every row of the table. */
export const TABLE: KeyRange = prefixRange(encodeKey(['test']));

export function encodeValue(value: number): Uint8Array {
  return utf8(String(value));
}

export function decodeValue(bytes: Uint8Array): number {
  return Number(fromUtf8(bytes));
}

/** A read's text as a number (`NaN` for `none`). */
export function num(reads: Reads, as: string): number {
  return Number(reads.get(as) ?? 'NaN');
}

/** The ids a select returned. */
export function ids(reads: Reads, as: string): number[] {
  const text = reads.get(as) ?? '';
  return text === '' ? [] : text.split(',').map((pair) => Number(pair.split(':')[0]));
}

/** A step in words, for explanations: `T2 writes row 1`, `T1 selects where value % 3 = 0`. */
export function describeStep(step: Step): string {
  switch (step.op) {
    case 'read':
      return `${step.txn} reads row ${step.id}`;
    case 'write':
      return `${step.txn} writes row ${step.id}${typeof step.value === 'number' ? ` = ${step.value}` : ''}`;
    case 'delete':
      return `${step.txn} deletes row ${step.id}`;
    case 'select':
      return `${step.txn} selects where ${step.whereText}`;
    case 'commit':
      return `${step.txn} commits`;
    case 'abort':
      return `${step.txn} aborts`;
  }
}

/** An interleaving in words, one step after another. */
export function describeOrder(order: readonly Step[]): string {
  return order.map(describeStep).join(', ');
}

const ROWS = new Map([
  [1, 10],
  [2, 20],
]);

const both = (o: Outcome, ...txns: TxnName[]): boolean => txns.every((t) => o.committed.includes(t));

const r = (txn: TxnName, id: number, as: string): Step => ({ txn, op: 'read', id, as });
const w = (txn: TxnName, id: number, value: number | ((reads: Reads) => number)): Step => ({ txn, op: 'write', id, value });
const sel = (txn: TxnName, whereText: string, where: (v: number) => boolean, as: string): Step => ({ txn, op: 'select', where, whereText, as });
const c = (txn: TxnName): Step => ({ txn, op: 'commit' });
const a = (txn: TxnName): Step => ({ txn, op: 'abort' });

/** The eleven cases, in the order of the table. */
export const HERMITAGE_CASES: readonly HermitageCase[] = [
  {
    name: 'G0',
    title: 'write cycles (dirty writes)',
    rows: ROWS,
    script: [w('T1', 1, 11), w('T2', 1, 12), w('T1', 2, 21), c('T1'), w('T2', 2, 22), c('T2')],
    anomaly: (o) => {
      const x = o.final.get(1);
      const y = o.final.get(2);
      // Both write both rows, so the last to commit must own both.
      const last = o.committed.at(-1);
      const [ex, ey] = last === undefined ? [10, 20] : last === 'T1' ? [11, 21] : [12, 22];
      return x === ex && y === ey ? undefined : `the rows end as (${x}, ${y}), not (${ex}, ${ey}) from ${last ?? 'nobody'}: the writes of two transactions interleaved`;
    },
  },
  {
    name: 'G1a',
    title: 'aborted reads (dirty reads of a rolled-back write)',
    rows: ROWS,
    script: [w('T1', 1, 101), w('T1', 2, 201), r('T2', 1, 'x'), r('T2', 2, 'y'), a('T1'), c('T2')],
    anomaly: (o) => {
      const seen = ['x', 'y'].filter((k) => ['101', '201'].includes(o.reads.get(k) ?? ''));
      return both(o, 'T2') && seen.length > 0 ? `T2 read ${seen.map((k) => o.reads.get(k)).join(' and ')}, written by T1, which aborted` : undefined;
    },
  },
  {
    name: 'G1b',
    title: 'intermediate reads',
    rows: ROWS,
    script: [w('T1', 1, 101), r('T2', 1, 'x'), w('T1', 1, 11), c('T1'), c('T2')],
    anomaly: (o) => (both(o, 'T2') && o.reads.get('x') === '101' ? 'T2 read 101, a value T1 overwrote before committing' : undefined),
  },
  {
    name: 'G1c',
    title: 'circular information flow',
    rows: ROWS,
    script: [w('T1', 1, 11), w('T2', 2, 22), r('T1', 2, 'y'), r('T2', 1, 'x'), c('T1'), c('T2')],
    anomaly: (o) =>
      both(o, 'T1', 'T2') && o.reads.get('y') === '22' && o.reads.get('x') === '11' ? 'T1 read T2\'s write and T2 read T1\'s write: each saw the other first' : undefined,
  },
  {
    name: 'OTV',
    title: 'observed transaction vanishes',
    rows: ROWS,
    // Hermitage's T2 also writes row 1; without it the case keeps its point with 560 interleavings, not 1680.
    script: [w('T1', 1, 11), w('T1', 2, 19), c('T1'), r('T3', 1, 'x'), w('T2', 2, 18), r('T3', 2, 'y'), c('T2'), c('T3')],
    anomaly: (o) => {
      if (!both(o, 'T1', 'T3') || o.reads.get('x') !== '11') return undefined;
      // T3 saw T1's write to row 1. The versions of row 2, oldest first, follow the commit order of T1 and T2.
      const versions = [20, ...o.committed.filter((t) => t !== 'T3').map((t) => (t === 'T1' ? 19 : 18))];
      const y = Number(o.reads.get('y'));
      return versions.indexOf(y) < versions.indexOf(19) ? `T3 saw T1's write to row 1, then read row 2 as ${y}, older than T1's 19: T1 vanished` : undefined;
    },
  },
  {
    name: 'PMP',
    title: 'predicate-many-preceders (a phantom in a repeated predicate read)',
    rows: ROWS,
    script: [sel('T1', 'value = 30', (v) => v === 30, 'first'), w('T2', 3, 30), c('T2'), sel('T1', 'value % 3 = 0', (v) => v % 3 === 0, 'second'), c('T1')],
    anomaly: (o) => (both(o, 'T1') && !ids(o.reads, 'first').includes(3) && ids(o.reads, 'second').includes(3) ? 'T1\'s second predicate read saw row 3, inserted by T2 after its first found nothing' : undefined),
  },
  {
    name: 'P4',
    title: 'lost update',
    rows: ROWS,
    script: [r('T1', 1, 'a'), r('T2', 1, 'b'), w('T1', 1, (x) => num(x, 'a') + 1), w('T2', 1, (x) => num(x, 'b') + 1), c('T1'), c('T2')],
    anomaly: (o) => (both(o, 'T1', 'T2') && o.final.get(1) !== 12 ? `both incremented row 1 and committed, but it ends as ${o.final.get(1)}, not 12: one increment was lost` : undefined),
  },
  {
    name: 'G-single',
    title: 'single anti-dependency cycle (read skew)',
    rows: ROWS,
    script: [r('T1', 1, 'x'), r('T2', 1, 'x2'), r('T2', 2, 'y2'), w('T2', 1, 12), w('T2', 2, 18), c('T2'), r('T1', 2, 'y'), c('T1')],
    anomaly: (o) => {
      if (!both(o, 'T1', 'T2')) return undefined;
      const sawX = o.reads.get('x') === '12';
      const sawY = o.reads.get('y') === '18';
      return sawX !== sawY ? `T1 read row 1 as ${o.reads.get('x')} and row 2 as ${o.reads.get('y')}: half of T2` : undefined;
    },
  },
  {
    name: 'G2-item',
    title: 'item anti-dependency cycles (write skew)',
    rows: ROWS,
    script: [r('T1', 1, 'x1'), r('T1', 2, 'y1'), r('T2', 1, 'x2'), r('T2', 2, 'y2'), w('T1', 1, 11), w('T2', 2, 21), c('T1'), c('T2')],
    anomaly: (o) =>
      both(o, 'T1', 'T2') && o.reads.get('y1') === '20' && o.reads.get('x2') === '10'
        ? 'both committed, and each read the row the other wrote before the other\'s write: no serial order gives those reads'
        : undefined,
  },
  {
    name: 'G2',
    title: 'anti-dependency cycles over predicates (phantom write skew)',
    rows: ROWS,
    script: [sel('T1', 'value % 3 = 0', (v) => v % 3 === 0, 's1'), sel('T2', 'value % 3 = 0', (v) => v % 3 === 0, 's2'), w('T1', 3, 30), w('T2', 4, 42), c('T1'), c('T2')],
    anomaly: (o) =>
      both(o, 'T1', 'T2') && !ids(o.reads, 's1').includes(4) && !ids(o.reads, 's2').includes(3)
        ? 'both inserted a row matching the predicate the other read, neither saw the other\'s row, and both committed'
        : undefined,
  },
  {
    name: 'read-only',
    title: 'read-only transaction anomaly (Fekete, O\'Neil and O\'Neil)',
    rows: ROWS,
    // T1 deposits 20 into row 2 as a blind write, which keeps the interleavings at 8! / (2! 3! 3!) = 560.
    script: [
      r('T2', 2, 'y2'),
      w('T1', 2, 40),
      c('T1'),
      r('T3', 1, 'x3'),
      r('T3', 2, 'y3'),
      c('T3'),
      w('T2', 1, (x) => 10 + num(x, 'y2')),
      c('T2'),
    ],
    anomaly: (o) =>
      both(o, 'T1', 'T2', 'T3') && o.reads.get('y2') === '20' && o.reads.get('y3') === '40' && o.reads.get('x3') === '10'
        ? 'T3 saw T1 but not T2, while T2 did not see T1: T2 before T1 before T3 before T2, a cycle closed by a read-only transaction'
        : undefined,
  },
];

/** The on-call doctors (the book's write skew): rows 1 and 2 are doctors, value 1 = on call. */
export const DOCTORS: HermitageCase = {
  name: 'G2-item',
  title: 'on-call doctors: each goes off call if the other is still on',
  rows: new Map([
    [1, 1],
    [2, 1],
  ]),
  script: [
    sel('T1', 'on call', (v) => v === 1, 'on1'),
    sel('T2', 'on call', (v) => v === 1, 'on2'),
    w('T1', 1, (x) => (ids(x, 'on1').length >= 2 ? 0 : 1)),
    w('T2', 2, (x) => (ids(x, 'on2').length >= 2 ? 0 : 1)),
    c('T1'),
    c('T2'),
  ],
  anomaly: (o) => ([...o.final.values()].every((v) => v === 0) ? 'nobody is on call: both doctors saw the other on call and went off' : undefined),
};

/**
 * PostgreSQL's results in Hermitage (read committed, repeatable read, which is snapshot isolation,
 * and serializable, which is SSI). The read-only row is from Ports and Grittner (2012), on
 * PostgreSQL's SSI; it is not one of Hermitage's tests.
 */
export const POSTGRES: Readonly<Record<AnomalyName, readonly [Verdict, Verdict, Verdict]>> = {
  G0: ['prevented', 'prevented', 'prevented'],
  G1a: ['prevented', 'prevented', 'prevented'],
  G1b: ['prevented', 'prevented', 'prevented'],
  G1c: ['prevented', 'prevented', 'prevented'],
  OTV: ['prevented', 'prevented', 'prevented'],
  PMP: ['allowed', 'prevented', 'prevented'],
  P4: ['allowed', 'prevented', 'prevented'],
  'G-single': ['allowed', 'prevented', 'prevented'],
  'G2-item': ['allowed', 'allowed', 'prevented'],
  G2: ['allowed', 'allowed', 'prevented'],
  'read-only': ['allowed', 'allowed', 'prevented'],
};

/** The PostgreSQL level each of this chapter's levels corresponds to (index into {@link POSTGRES}'s rows). */
export const POSTGRES_LEVEL: Readonly<Record<IsolationLevel, 0 | 1 | 2>> = { 'read-committed': 0, snapshot: 1, 'serializable-2pl': 2, 'serializable-ssi': 2 };
