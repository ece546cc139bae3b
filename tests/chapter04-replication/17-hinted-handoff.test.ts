import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { because } from '../../shared/testing/explain.js';
import { liveValues } from '@impl/chapter04-replication/siblings.js';
import { preferenceList } from '@impl/chapter04-replication/quorum.js';
import { LeaderlessCluster } from './support/leaderless-cluster.js';

const SECTION = 'Read repair, hinted handoff and anti-entropy';
const REPLICAS = ['a', 'b', 'c', 'd', 'e'];
const key = utf8('k');
const [coordinator, homeB, homeC, fallback] = preferenceList(key, REPLICAS);

function withHomeDown(sloppy: boolean) {
  const cluster = new LeaderlessCluster({ seed: 6, replicas: REPLICAS, quorum: { n: 3, w: 3, r: 1 }, sloppy, attempts: 2, readRepair: false });
  cluster.sim.network.isolate(homeC!);
  const write = cluster.client.put(key, utf8('v'), {}, coordinator);
  cluster.finish(write);
  return { cluster, outcome: cluster.client.outcome(write) };
}

describe('4.5 sloppy quorums and hinted handoff', () => {
  it('a strict quorum fails a write when a home replica is unreachable', () => {
    expect(withHomeDown(false).outcome, because('w = 3 home replicas are needed; one is cut off', SECTION)).toMatchObject({
      kind: 'put',
      ok: false,
    });
  });

  it('a sloppy quorum stores the write on the next replica with a hint, and hands it off after the heal', () => {
    const { cluster, outcome } = withHomeDown(true);
    expect(outcome, because('the fallback replica stands in for the unreachable home', SECTION)).toEqual({ kind: 'put', ok: true, acks: 3 });
    expect(cluster.replica(fallback!).hintCount(), because('the stand-in keeps the write as a hint, not as its own data', SECTION)).toBe(1);
    expect(cluster.replica(fallback!).siblings(key)).toEqual([]);
    expect(liveValues(cluster.replica(homeB!).siblings(key)).map(fromUtf8)).toEqual(['v']);
    cluster.sim.network.heal();
    cluster.sim.runUntil(() => cluster.replica(fallback!).hintCount() === 0, { withinMs: 1_000 });
    expect(
      liveValues(cluster.replica(homeC!).siblings(key)).map(fromUtf8),
      because('hinted handoff delivers the write to its home replica, then drops the hint', SECTION),
    ).toEqual(['v']);
  });
});
