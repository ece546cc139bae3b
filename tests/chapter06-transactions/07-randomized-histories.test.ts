/**
 * Exercise 6.6, continued: the checker tells G-single from G2-item and finds lost updates (P4),
 * on hand-written histories; then, on seed-swept random histories recorded from every engine, it
 * finds exactly the anomalies each isolation level allows, and a bank's audits see a constant
 * total exactly where the checker finds nothing wrong.
 */

import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { checkHistory, lostUpdates } from '@impl/chapter06-transactions/anomaly-checker.js';
import { describeCycle, describeLostUpdate, HistoryError, type HistoryOp, type HistoryTxn } from '@impl/chapter06-transactions/history.js';
import type { IsolationLevel } from '@impl/chapter06-transactions/transaction.js';
import { recordBank, TOTAL } from './bank.js';
import { ENGINES, LEVEL_NOTES } from './engines.js';
import { recordHistory, type Workload } from './workload.js';

const NOTES = '6.6 The anomaly checker';

const append = (key: string, element: number): HistoryOp => ({ type: 'append', key, element });
const read = (key: string, ...list: number[]): HistoryOp => ({ type: 'read', key, list });
const ok = (name: string, ...ops: HistoryOp[]): HistoryTxn => ({ name, status: 'committed', ops });
const failed = (name: string, ...ops: HistoryOp[]): HistoryTxn => ({ name, status: 'aborted', ops });

const cyclesOf = (history: readonly HistoryTxn[]): string[] => checkHistory(history).map(describeCycle);
const lostOf = (history: readonly HistoryTxn[]): string[] => lostUpdates(history).map(describeLostUpdate);

describe('6.6 the anomaly checker: G-single, G2-item and lost updates by hand', () => {
  it('a component with a write skew and a read skew is reported as its G-single cycle, the stronger anomaly', () => {
    const history = [
      ok('T1', read('x'), read('y'), append('x', 1)),
      ok('T2', read('x'), read('y'), append('y', 2), read('z'), read('w', 4)),
      ok('T3', append('z', 3), append('w', 4)),
      ok('final', read('x', 1), read('y', 2), read('z', 3), read('w', 4)),
    ];
    expect(
      cyclesOf(history),
      because('T1 and T2 are a write skew (two rw edges), and T2 saw T3\'s append to w but not its append to z (one rw edge, read skew). One component, one cycle: the G-single one, found by looking for a path of ww and wr edges back along each rw edge', NOTES),
    ).toEqual(['G-single: T2 -rw(z)-> T3 -wr(w)-> T2']);
  });

  it('a cycle with two rw edges and no G-single cycle beside it is G2-item', () => {
    const history = [ok('T1', read('x'), append('y', 1)), ok('T2', read('y'), append('x', 2)), ok('final', read('x', 2), read('y', 1))];
    expect(cyclesOf(history), because('each missed the other\'s append: two rw edges, and no path of ww and wr edges closes a cycle with one', NOTES)).toEqual(['G2-item: T1 -rw(x)-> T2 -rw(y)-> T1']);
  });

  it('P4: a read, another transaction\'s append, then the reader\'s append is a lost update, and a G-single cycle', () => {
    const history = [
      ok('T0', append('x', 1)),
      ok('T1', read('x', 1), append('x', 3)),
      ok('T2', append('x', 2)),
      ok('final', read('x', 1, 2, 3)),
    ];
    expect(lostOf(history), because('T1 read [1] and appended, but the element after [1] is T2\'s 2: T1 wrote on the strength of a stale read (Berenson et al.\'s P4, r1[x] w2[x] w1[x])', NOTES)).toEqual([
      'P4: T1 read x = [1] and appended to it, but T2 appended to x in between',
    ]);
    expect(cyclesOf(history), because('the same history as a cycle: T1 missed T2\'s append (rw), and T2\'s element comes before T1\'s (ww)', NOTES)).toEqual(['G-single: T1 -rw(x)-> T2 -ww(x)-> T1']);
  });

  it('P4: two transactions that both read the empty list and both append lose an update; the first to append does not', () => {
    const history = [ok('T1', read('x'), append('x', 1)), ok('T2', read('x'), append('x', 2)), ok('final', read('x', 1, 2))];
    expect(lostOf(history), because('both read []; the element after [] is T1\'s own 1, so only T2\'s append followed a stale read. An empty read is a read of the first version', NOTES)).toEqual([
      'P4: T2 read x = [] and appended to it, but T1 appended to x in between',
    ]);
  });

  it('no P4 when the transaction read the key again, up to date, before appending: its last read is what counts', () => {
    const history = [
      ok('T0', append('x', 1)),
      ok('T1', read('x', 1), read('x', 1, 2), append('x', 3)),
      ok('T2', append('x', 2)),
      ok('final', read('x', 1, 2, 3)),
    ];
    expect(lostOf(history), because('T1 appended after reading [1, 2], the whole list then: nothing it had read was stale when it wrote', NOTES)).toEqual([]);
    expect(cyclesOf(history), because('the two reads of T1 still disagree (a non-repeatable read): T1 missed T2\'s append once (rw), and T2 comes before T1 in x\'s order (ww, the weakest of the ww and wr edges between them)', NOTES)).toEqual(['G-single: T1 -rw(x)-> T2 -ww(x)-> T1']);
  });

  it('no P4 from an aborted transaction, from a blind append, or from a read after the transaction\'s own append', () => {
    const history = [
      failed('T1', read('x'), append('x', 1)),
      ok('T2', append('x', 2)),
      ok('T3', append('x', 3), read('x', 2, 3), append('x', 4)),
      ok('final', read('x', 2, 3, 4)),
    ];
    expect(lostOf(history), because('T1 never happened, T2 read nothing, and T3\'s only read came after its first append to x', NOTES)).toEqual([]);
  });

  it('lostUpdates refuses a history it cannot read with a HistoryError', () => {
    expect(() => lostUpdates([ok('T1', append('x', 1)), ok('T2', read('x', 1, 7))]), because('a read of an element nobody appended has no version order', NOTES)).toThrow(HistoryError);
  });
});

const KEYS = Array.from({ length: 12 }, (_, i) => `k${i + 1}`);
/** 1 to 4 reads or appends of random keys per transaction, four transactions at a time. */
const RANDOM: Workload = { keys: KEYS, transactions: 40, concurrency: 4, shape: 'random' };
const SEEDS = 20;

/** The anomaly classes the checker finds in `history`: its cycles' classes, and P4 for lost updates. */
function classesOf(history: readonly HistoryTxn[]): { readonly classes: Set<string>; readonly found: string[] } {
  const cycles = checkHistory(history);
  const lost = lostUpdates(history);
  return { classes: new Set([...cycles.map((c) => c.anomaly), ...lost.map((l) => l.anomaly)]), found: [...cycles.map(describeCycle), ...lost.map(describeLostUpdate)] };
}

/** Runs the sweep for `level`, checks `forbidden` on every seed, and returns each class with the first seed that showed it. */
function sweep(level: IsolationLevel, forbidden: readonly string[], why: string): Map<string, number> {
  const firstSeed = new Map<string, number>();
  forEachSeed(SEEDS, (seed) => {
    const { classes, found } = classesOf(recordHistory(ENGINES.get(level)!(), seed, RANDOM));
    expect(found.filter((text) => forbidden.some((name) => text.startsWith(`${name}:`))), because(why, LEVEL_NOTES[level])).toEqual([]);
    for (const name of classes) if (!firstSeed.has(name)) firstSeed.set(name, seed);
  });
  return firstSeed;
}

const sweepText = (found: ReadonlyMap<string, number>): string =>
  found.size === 0 ? 'nothing' : [...found].map(([name, seed]) => `${name} (first at seed ${seed})`).join(', ');

describe(`6.6 the anomaly checker on random histories (${KEYS.length} keys, 1 to 4 operations per transaction, ${SEEDS} seeds)`, () => {
  for (const level of ['serializable-2pl', 'serializable-ssi'] as const satisfies readonly IsolationLevel[]) {
    it(`${level}: no history has a cycle or a lost update`, () => {
      sweep(level, ['G0', 'G1c', 'G-single', 'G2-item', 'P4'], `${level} is serializable: the checker must find nothing in any history it allows`);
    });
  }

  it('snapshot isolation: every anomaly is G2-item, and some seed of the sweep has one', () => {
    const found = sweep('snapshot', ['G0', 'G1c', 'G-single', 'P4'], 'snapshot isolation prevents dirty writes, circular information flow, read skew and lost updates: only write skew (G2-item) remains');
    expect(
      found.has('G2-item'),
      because(`over ${SEEDS} seeds (1 to ${SEEDS}) some pair of concurrent transactions should each miss the other's append and both commit, and the checker must call it G2-item; found: ${sweepText(found)}`, NOTES),
    ).toBe(true);
  });

  it('read committed: never G0 or G1c, and some seed of the sweep shows G-single and some P4', () => {
    const found = sweep('read-committed', ['G0', 'G1c'], 'read committed holds write locks to commit and shows only committed data: no dirty writes, no circular information flow');
    expect(
      ['G-single', 'P4'].filter((name) => !found.has(name)),
      because(`read committed reads the latest committed value at each read, so a transaction can see half of another (G-single) and write after a stale read (P4); over seeds 1 to ${SEEDS} the checker found: ${sweepText(found)}`, NOTES),
    ).toEqual([]);
  });
});

const BANK_SEEDS = 20;

describe(`6.6 a bank: transfers between 8 accounts and audits of the total (${BANK_SEEDS} seeds)`, () => {
  for (const level of ['snapshot', 'serializable-2pl', 'serializable-ssi'] as const satisfies readonly IsolationLevel[]) {
    it(`${level}: every audit sees the total ${TOTAL}${level === 'snapshot' ? '' : ', and the checker finds nothing'}`, () => {
      forEachSeed(BANK_SEEDS, (seed) => {
        const run = recordBank(ENGINES.get(level)!(), seed);
        const wrong = [...run.totals].filter(([, total]) => total !== TOTAL).map(([name, total]) => `${name} saw ${total}`);
        expect(wrong, because(`${level} reads every account of an audit from one consistent state, so transfers never show half-done`, LEVEL_NOTES[level])).toEqual([]);
        const { found } = classesOf(run.history);
        const forbidden = level === 'snapshot' ? found.filter((text) => !text.startsWith('G2-item:')) : found;
        expect(forbidden, because(level === 'snapshot' ? 'snapshot isolation allows only G2-item' : `${level} is serializable`, LEVEL_NOTES[level])).toEqual([]);
      });
    });
  }

  it('read committed: some seed\'s audit sees a wrong total, and every history where one does is one the checker flags', () => {
    const broken: number[] = [];
    forEachSeed(BANK_SEEDS, (seed) => {
      const run = recordBank(ENGINES.get('read-committed')!(), seed);
      const wrong = [...run.totals].filter(([, total]) => total !== TOTAL).map(([name, total]) => `${name} saw ${total}`);
      if (wrong.length === 0) return;
      broken.push(seed);
      expect(
        checkHistory(run.history).map(describeCycle),
        because(`${wrong.join(', ')} instead of ${TOTAL}: no serial order of transfers gives that total, so the dependency graph must have a cycle (an audit that saw one leg of a transfer and missed the other)`, NOTES),
      ).not.toEqual([]);
    });
    expect(broken.length, because(`at read committed an audit reads each account at a different moment, so over seeds 1 to ${BANK_SEEDS} some audit should see a transfer half-done (read skew)`, LEVEL_NOTES['read-committed'])).toBeGreaterThan(0);
  });
});
