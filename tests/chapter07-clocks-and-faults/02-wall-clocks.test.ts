/**
 * Exercise 7.2: last write wins, stamped by wall clocks that lie, and by logical clocks that do
 * not. Each scenario writes one key twice, the second write starting after the first was
 * acknowledged and after reading the key; a store that keeps the first has lost an acknowledged
 * later write.
 */
import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { compareStamps } from '@impl/chapter07-clocks-and-faults/lww-stamps.js';
import { LwwCluster, type StamperKind } from './support/lww-cluster.js';

const WALL = 'Wall clocks: skew, drift and steps';
const LWW = '7.2 Wall clocks that lie';

/** w1 writes at 0 ms, w2 at 50 ms (each reads the key first); w1's wall clock is `skewMs` ahead. */
function skewedWriters(kind: StamperKind, skewMs: number): LwwCluster {
  const cluster = new LwwCluster(1, kind, { w1: { offsetMs: skewMs } });
  const { sim } = cluster;
  cluster.writer('w1').write('x', 'from w1');
  sim.at(50, () => cluster.writer('w2').write('x', 'from w2'));
  sim.runUntilQuiet();
  expect(cluster.acked.map((w) => w.value), because('both writes are acknowledged, in this order', LWW)).toEqual(['from w1', 'from w2']);
  return cluster;
}

/** w1 writes at 0 ms, its wall clock steps back `backMs` at 20 ms, and it writes again at 50 ms. */
function steppedWriter(kind: StamperKind, backMs: number): LwwCluster {
  const cluster = new LwwCluster(2, kind, { w1: { steps: [{ atMs: 20, byMs: -backMs }] } });
  const { sim } = cluster;
  cluster.writer('w1').write('x', 'first');
  sim.at(50, () => cluster.writer('w1').write('x', 'second'));
  sim.runUntilQuiet();
  return cluster;
}

/** w1 writes three times (0, 20, 40 ms), then w2 once (70 ms): the busier writer wrote earlier. */
function busyWriter(kind: StamperKind, skewMs: number): LwwCluster {
  const cluster = new LwwCluster(3, kind, { w1: { offsetMs: skewMs } });
  const { sim } = cluster;
  for (const at of [0, 20, 40]) sim.at(at, () => cluster.writer('w1').write('x', `w1 at ${at} ms`));
  sim.at(70, () => cluster.writer('w2').write('x', 'w2 at 70 ms'));
  sim.runUntilQuiet();
  return cluster;
}

describe('7.2 wall clocks that lie: last write wins', () => {
  it('stamps order by major, then minor, then writer', () => {
    expect(compareStamps({ major: 5, minor: 1, node: 'b' }, { major: 5, minor: 2, node: 'a' }), because('equal major: the minor part decides', LWW)).toBeLessThan(0);
    expect(compareStamps({ major: 6, minor: 0, node: 'a' }, { major: 5, minor: 9, node: 'z' }), because('the major part comes first', LWW)).toBeGreaterThan(0);
    expect(compareStamps({ major: 5, minor: 0, node: 'b' }, { major: 5, minor: 0, node: 'a' }), because('equal clocks: the writer id breaks the tie', LWW)).toBeGreaterThan(0);
    expect(compareStamps({ major: 5, minor: 0, node: 'a' }, { major: 5, minor: 0, node: 'a' }), because('a stamp equals itself', LWW)).toBe(0);
  });

  it('a wall clock 100 ms ahead makes LWW keep the earlier write and silently drop the acknowledged later one', () => {
    const cluster = skewedWriters('wall', 100);
    const lost = cluster.lostWrites('x').map((w) => ({ writer: w.writer, value: w.value, stamp: w.stamp.major }));
    expect(lost, because("w2's write came 50 ms after w1's, but w1's clock was 100 ms ahead: its stamp 110 beats w2's 60", WALL)).toEqual([
      { writer: 'w2', value: 'from w2', stamp: 60 },
    ]);
  });

  it('a wall clock stepped back makes a writer lose its own later write', () => {
    const cluster = steppedWriter('wall', 100);
    expect(cluster.store.value('x'), because("w1's clock stepped back 100 ms between its writes, so the second is stamped before the first", WALL)).toBe('first');
    expect(cluster.lostWrites('x').map((w) => w.value), because('the lost write is the second one, acknowledged all the same', WALL)).toEqual(['second']);
  });

  it('measured: wall-clock LWW loses the later write exactly when the skew exceeds the 50 ms between the writes', () => {
    const losses: Record<number, boolean> = {};
    for (let skew = 0; skew <= 100; skew += 10) losses[skew] = skewedWriters('wall', skew).lostWrites('x').length > 0;
    // w1 stamps at true time 10 (after its read), w2 at 60: w1's stamp is 10 + skew, w2's 60.
    const expected = Object.fromEntries(Object.keys(losses).map((skew) => [skew, Number(skew) > 50]));
    expect(losses, because('a write stamped 10 + skew beats one stamped 60 exactly when skew > 50 (at 50 the tie goes to w2)', WALL)).toEqual(expected);
  });

  for (const kind of ['lamport', 'hlc'] as const) {
    it(`with ${kind === 'hlc' ? 'hybrid logical clock' : 'Lamport'} stamps no acknowledged later write is lost, for any skew or step back`, () => {
      const lost: string[] = [];
      for (let skew = -200; skew <= 200; skew += 25) {
        for (const w of skewedWriters(kind, skew).lostWrites('x')) lost.push(`skew ${skew} ms: lost ${w.value} stamped ${JSON.stringify(w.stamp)}`);
      }
      for (const skew of [0, 100]) {
        for (const w of busyWriter(kind, skew).lostWrites('x')) lost.push(`busy writer, skew ${skew} ms: lost ${w.value} stamped ${JSON.stringify(w.stamp)}`);
      }
      for (const back of [1, 50, 100, 1000]) {
        for (const w of steppedWriter(kind, back).lostWrites('x')) lost.push(`step back ${back} ms: lost ${w.value} stamped ${JSON.stringify(w.stamp)}`);
      }
      expect(lost, because('a write stamped after observing the earlier write\'s stamp gets a larger stamp, whatever the wall clocks do', kind === 'hlc' ? 'Hybrid logical clocks' : 'Lamport clocks')).toEqual([]);
    });
  }
});
