/**
 * Exercise 6.6: the anomaly checker, on hand-written histories (each class of cycle, a
 * serializable history, malformed ones) and on histories recorded from seeded random workloads
 * against the chapter's engines.
 */

import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { checkHistory, dependencyGraph } from '@impl/chapter06-transactions/anomaly-checker.js';
import { describeCycle, HistoryError, type Dependency, type HistoryOp, type HistoryProblem, type HistoryTxn } from '@impl/chapter06-transactions/history.js';
import type { IsolationLevel } from '@impl/chapter06-transactions/transaction.js';
import { ENGINES } from './engines.js';
import { recordHistory, type Workload } from './workload.js';

const NOTES = '6.6 The anomaly checker';

const append = (key: string, element: number): HistoryOp => ({ type: 'append', key, element });
const read = (key: string, ...list: number[]): HistoryOp => ({ type: 'read', key, list });
const ok = (name: string, ...ops: HistoryOp[]): HistoryTxn => ({ name, status: 'committed', ops });
const failed = (name: string, ...ops: HistoryOp[]): HistoryTxn => ({ name, status: 'aborted', ops });

const edgeText = (edges: readonly Dependency[]): string[] => edges.map((e) => `${e.from} -${e.type}(${e.key})-> ${e.to}`).sort();

/** The cycles of `history` in words, or the error the checker threw. */
function cyclesOf(history: readonly HistoryTxn[]): string[] {
  return checkHistory(history).map(describeCycle);
}

describe('6.6 the anomaly checker: the dependency graph', () => {
  it('ww, wr and rw edges follow from the lists the transactions read', () => {
    const history = [
      ok('T1', append('x', 1)),
      ok('T2', read('x', 1), append('x', 2)),
      ok('T3', read('x')),
      ok('T4', read('x', 1, 2)),
    ];
    expect(edgeText(dependencyGraph(history)), because('x\'s order is [1, 2]: T1 then T2 appended (ww); T2 and T4 read T1\'s and T2\'s last elements (wr); T3 saw nothing, so it comes before T1 (rw); T2 read [1], and the next element is its own (no edge to itself)', NOTES)).toEqual([
      'T1 -wr(x)-> T2',
      'T1 -ww(x)-> T2',
      'T2 -wr(x)-> T4',
      'T3 -rw(x)-> T1',
    ]);
  });

  it('an aborted transaction adds no edges, neither from its reads nor from its appends', () => {
    const history = [
      ok('T1', append('x', 1), read('y')),
      failed('T2', read('x'), read('y', 2), append('z', 9)),
      ok('T3', append('y', 2)),
      ok('T4', read('x', 1), read('y', 2)),
    ];
    const edges = edgeText(dependencyGraph(history));
    expect(edges.filter((e) => e.includes('T2')), because('T2 aborted: what it read and wrote never happened', NOTES)).toEqual([]);
    expect(cyclesOf(history), because('with T2 counted, T1 -rw-> T3 -wr-> T2 -rw-> T1 would be a cycle; without it the history is serializable', NOTES)).toEqual([]);
  });

  it('ww edges join neighbours in the version order, not every earlier appender to every later one', () => {
    const history = [ok('T1', append('x', 1)), ok('T2', append('x', 2)), ok('T3', append('x', 3)), ok('T4', read('x', 1, 2, 3))];
    expect(edgeText(dependencyGraph(history)).filter((e) => e.includes('-ww')), because('x\'s order is [1, 2, 3]: T2 overwrote T1\'s version and T3 overwrote T2\'s; T1 → T3 follows from those two and is no edge of its own', NOTES)).toEqual([
      'T1 -ww(x)-> T2',
      'T2 -ww(x)-> T3',
    ]);
  });

  it('each edge is listed once, however many reads show it', () => {
    const history = [ok('T1', append('x', 1)), ok('T2', read('x', 1), read('y'), read('x', 1), read('y')), ok('T3', append('y', 2)), ok('T4', read('y', 2))];
    expect(edgeText(dependencyGraph(history)), because('T2 read x and y twice each, but the graph has one edge per (from, to, type, key)', NOTES)).toEqual([
      'T1 -wr(x)-> T2',
      'T2 -rw(y)-> T3',
      'T3 -wr(y)-> T4',
    ]);
  });

  const malformed: readonly [string, HistoryProblem, readonly HistoryTxn[], string, number, string][] = [
    ['a read of an element nobody appended', 'unknown-element', [ok('T1', append('x', 1)), ok('T2', append('y', 5), read('x', 1, 7))], 'T2', 1, 'x'],
    ['a read of an element only an aborted transaction appended', 'unknown-element', [failed('T1', append('x', 1)), ok('T2', read('x', 1))], 'T2', 0, 'x'],
    ['an element appended twice', 'duplicate-element', [ok('T1', append('x', 1)), ok('T2', read('x', 1), append('x', 1))], 'T2', 1, 'x'],
    ['two reads of which neither is a prefix of the other', 'incompatible-order', [ok('T1', append('x', 1)), ok('T2', append('x', 2)), ok('T3', read('x', 1, 2)), ok('T4', read('x', 2, 1))], 'T4', 0, 'x'],
    ['two transactions with the same name', 'duplicate-name', [ok('T1', append('x', 1)), ok('T1', read('x', 1))], 'T1', 0, ''],
  ];
  for (const [what, problem, history, txn, op, key] of malformed) {
    it(`${what} is a HistoryError (${problem}) naming the transaction, the operation and the key`, () => {
      let error: unknown;
      try {
        dependencyGraph(history);
      } catch (e) {
        error = e;
      }
      expect(error, because(`the checker cannot read a history with ${what}: it must say so, not guess`, NOTES)).toBeInstanceOf(HistoryError);
      const e = error as HistoryError;
      expect({ problem: e.problem, txn: e.txn, op: e.op, key: e.key }, because('the error says what is wrong and where', NOTES)).toEqual({ problem, txn, op, key });
    });
  }
});

describe('6.6 the anomaly checker: cycles', () => {
  it('a serializable history has no cycle', () => {
    const history = [
      ok('T1', append('x', 1), append('y', 1)),
      ok('T2', read('x', 1), append('x', 2)),
      ok('T3', read('y', 1), read('x', 1, 2), append('y', 3)),
      ok('T4', read('x', 1, 2), read('y', 1, 3)),
    ];
    expect(cyclesOf(history), because('T1, T2, T3, T4 in that order explains every read: no cycle', NOTES)).toEqual([]);
  });

  it('G0: appends of two transactions interleaved on two keys (a dirty write) is a ww-only cycle', () => {
    const history = [ok('T1', append('x', 1), append('y', 2)), ok('T2', append('x', 3), append('y', 4)), ok('T3', read('x', 1, 3), read('y', 4, 2))];
    expect(cyclesOf(history), because('x says T1 before T2, y says T2 before T1, from ww edges alone', NOTES)).toEqual(['G0: T1 -ww(x)-> T2 -ww(y)-> T1']);
  });

  it('G1c: each of two transactions read the other\'s append, a cycle of ww and wr edges', () => {
    const history = [
      ok('T0', append('x', 0)),
      ok('T1', append('x', 1), read('y', 2)),
      ok('T2', append('y', 2), read('x', 0, 1)),
    ];
    expect(cyclesOf(history), because('T1 saw T2\'s append to y and T2 saw T1\'s append to x (the last element of the list it read)', NOTES)).toEqual(['G1c: T1 -wr(x)-> T2 -wr(y)-> T1']);
  });

  it('G1c: a ww edge one way and a wr edge back is G1c, not G0: G0 is a cycle of ww edges only', () => {
    const history = [ok('T1', append('x', 1), read('y', 2)), ok('T2', append('x', 3), append('y', 2)), ok('T3', read('x', 1, 3))];
    expect(cyclesOf(history), because('T2 appended after T1 on x (ww), and T1 read T2\'s append to y (wr): one wr edge makes the cycle G1c', NOTES)).toEqual(['G1c: T1 -ww(x)-> T2 -wr(y)-> T1']);
  });

  it('G2-item: write skew, two reads that each missed the other\'s append, is a cycle of rw edges', () => {
    const history = [ok('T1', read('x'), read('y'), append('x', 1)), ok('T2', read('x'), read('y'), append('y', 2)), ok('T3', read('x', 1), read('y', 2))];
    expect(cyclesOf(history), because('T1 did not see T2\'s append to y, and T2 did not see T1\'s append to x: each must come before the other', NOTES)).toEqual(['G2-item: T1 -rw(y)-> T2 -rw(x)-> T1']);
  });

  it('G-single: read skew, a wr edge one way and an rw edge back, is a G-single cycle, not G1c', () => {
    const history = [ok('T1', append('x', 1), append('y', 2)), ok('T2', read('x', 1), read('y')), ok('T3', read('y', 2))];
    expect(cyclesOf(history), because('T2 saw T1\'s append to x but not its append to y: half of T1. One rw edge makes it G-single', NOTES)).toEqual(['G-single: T1 -wr(x)-> T2 -rw(y)-> T1']);
  });

  it('a dirty write round three transactions is reported as G0, though an rw edge gives a shorter way round: ww edges are searched first', () => {
    const history = [
      ok('T1', append('x', 1), append('z', 6), append('w', 9)),
      ok('T2', append('x', 2), append('y', 3), read('w')),
      ok('T3', append('y', 4), append('z', 5)),
      ok('T4', read('x', 1, 2), read('y', 3, 4), read('z', 5, 6), read('w', 9)),
    ];
    expect(cyclesOf(history), because('T1 -ww-> T2 -ww-> T3 -ww-> T1 is a cycle of ww edges alone: the components of the ww edges come first (the levels of the notes), before T2 -rw(w)-> T1 can close a shorter G2 cycle', NOTES)).toEqual([
      'G0: T1 -ww(x)-> T2 -ww(y)-> T3 -ww(z)-> T1',
    ]);
  });

  it('between two transactions the cycle takes the weakest edge: ww before wr before rw', () => {
    const history = [
      ok('T1', append('x', 1), read('z'), append('y', 3)),
      ok('T2', read('x', 1), append('z', 2), read('y')),
      ok('T3', read('x', 1), read('y', 3), read('z', 2)),
    ];
    expect(cyclesOf(history), because('T1 → T2 is both wr(x) (T2 saw T1\'s append) and rw(z) (T1 missed T2\'s); the cycle names the wr edge, the weaker one, and T2 -rw(y)-> T1 closes it', NOTES)).toEqual([
      'G-single: T1 -wr(x)-> T2 -rw(y)-> T1',
    ]);
    const both = [
      ok('T1', append('x', 1), append('y', 5), read('z', 3)),
      ok('T2', append('x', 2), read('y', 5), append('z', 3)),
      ok('T3', read('x', 1, 2)),
    ];
    expect(cyclesOf(both), because('T1 → T2 is both ww(x) (T2 appended after T1) and wr(y) (T2 saw T1\'s append); the cycle names the ww edge, the weaker one, and T2 -wr(z)-> T1 closes it', NOTES)).toEqual([
      'G1c: T1 -ww(x)-> T2 -wr(z)-> T1',
    ]);
  });

  it('separate cycles are each reported, and a longer cycle through three transactions is found', () => {
    const history = [
      ok('T1', read('a'), append('b', 1)),
      ok('T2', read('b'), append('c', 2)),
      ok('T3', read('c'), append('a', 3)),
      ok('T4', append('x', 4), append('y', 5)),
      ok('T5', append('x', 6), append('y', 7)),
      ok('T6', read('a', 3), read('b', 1), read('c', 2), read('x', 4, 6), read('y', 7, 5)),
    ];
    expect(cyclesOf(history).sort(), because('each of T1, T2, T3 missed the append of another (T1 → T3 → T2 → T1 by rw edges), and T4 ⇄ T5 by ww edges: two components', NOTES)).toEqual([
      'G0: T4 -ww(x)-> T5 -ww(y)-> T4',
      'G2-item: T1 -rw(a)-> T3 -rw(c)-> T2 -rw(b)-> T1',
    ]);
  });
});

const RANDOM: Workload = { keys: ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k10'], transactions: 30, concurrency: 4, shape: 'random' };
const SKEW: Workload = { keys: ['a', 'b', 'c'], transactions: 20, concurrency: 3, shape: 'write-skew' };
const SEEDS = 15;
/** How many seeds the search for snapshot isolation's write skew may try. */
const SEARCH = 40;

describe('6.6 the anomaly checker: histories recorded from the engines', () => {
  for (const level of ['serializable-2pl', 'serializable-ssi'] as const satisfies readonly IsolationLevel[]) {
    for (const workload of [RANDOM, SKEW]) {
      it(`${level}: no ${workload.shape} history over ${workload.keys.length} keys has a cycle (${SEEDS} seeds)`, () => {
        forEachSeed(SEEDS, (seed) => {
          const history = recordHistory(ENGINES.get(level)!(), seed, workload);
          expect(cyclesOf(history), because(`${level} is serializable: its committed transactions fit one serial order, so the dependency graph is acyclic`, NOTES)).toEqual([]);
        });
      });
    }
  }

  it(`snapshot isolation: some seed's write-skew history has a G2-item cycle (searched within ${SEARCH} seeds), and none has G0 or G1c`, () => {
    const found: string[] = [];
    forEachSeed(SEARCH, (seed) => {
      if (found.length > 0) return;
      const cycles = checkHistory(recordHistory(ENGINES.get('snapshot')!(), seed, SKEW));
      expect(cycles.filter((c) => c.anomaly !== 'G2-item').map(describeCycle), because('snapshot isolation prevents dirty writes and circular information flow: only anti-dependency cycles remain', NOTES)).toEqual([]);
      found.push(...cycles.map(describeCycle));
    });
    expect(found, because(`transactions that read two keys and append to one of them are write skew waiting to happen: snapshot isolation lets some of them both commit within ${SEARCH} seeds, and the checker must find the rw cycle`, NOTES)).not.toEqual([]);
    expect(found[0], because('the cycle is G2-item, through two or more rw edges', NOTES)).toMatch(/^G2-item: .*-rw\(/);
  });
});
