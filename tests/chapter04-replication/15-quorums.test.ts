import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { preferenceList } from '@impl/chapter04-replication/quorum.js';
import { LeaderlessCluster } from './support/leaderless-cluster.js';

const SECTION = 'Leaderless quorums';
const REPLICAS = ['a', 'b', 'c'];
const show = (values: readonly Uint8Array[]) => values.map(fromUtf8).sort();

describe('4.3 quorum writes and reads', () => {
  it('with w + r > n, a read after an acknowledged write returns it, under loss and partitions', () => {
    let acknowledged = 0;
    forEachSeed(40, (seed) => {
      const random = new Random(seed);
      const cluster = new LeaderlessCluster({
        seed,
        replicas: REPLICAS,
        quorum: { n: 3, w: 2, r: 2 },
        network: { lossRate: 0.1, latency: { kind: 'uniform', minMs: 1, maxMs: 15 } },
      });
      const { sim } = cluster;
      for (let step = 0; step < 12; step++) {
        if (random.chance(0.4)) sim.network.heal();
        if (random.chance(0.4)) {
          const cut = random.pick(REPLICAS);
          sim.network.partition([cut], REPLICAS.filter((r) => r !== cut));
        }
        const key = utf8(`k${random.int(0, 2)}`);
        const read = cluster.client.get(key);
        cluster.finish(read);
        const before = cluster.client.outcome(read);
        const context = before.kind === 'get' && before.ok ? before.context : {};
        const value = `v${step}`;
        const write = cluster.client.put(key, utf8(value), context);
        cluster.finish(write);
        const written = cluster.client.outcome(write);
        if (written.kind !== 'put' || !written.ok) continue;
        acknowledged++;
        const check = cluster.client.get(key);
        cluster.finish(check);
        const after = cluster.client.outcome(check);
        if (after.kind !== 'get' || !after.ok) continue; // unavailable is allowed; stale is not
        expect(
          show(after.values),
          because(`w + r > n: every read quorum overlaps the quorum that acknowledged ${value}`, SECTION),
        ).toContain(value);
      }
    });
    expect(acknowledged, 'the sweep must acknowledge writes to test anything').toBeGreaterThan(100);
  });

  it('with w + r ≤ n, a read can miss an acknowledged write', () => {
    const key = utf8('x');
    const [first, second] = preferenceList(key, REPLICAS);
    const cluster = new LeaderlessCluster({ seed: 1, replicas: REPLICAS, quorum: { n: 3, w: 1, r: 1 }, attempts: 1 });
    const old = cluster.client.put(key, utf8('old'), {}, first);
    cluster.finish(old);
    cluster.sim.runFor(100);
    // The coordinator of the new write is cut off from the other replicas; the client is not.
    cluster.sim.network.partition([first!], REPLICAS.filter((r) => r !== first));
    const context = cluster.replica(first!).siblings(key);
    const write = cluster.client.put(key, utf8('new'), { [context[0]!.dot.replica]: context[0]!.dot.counter }, first);
    cluster.finish(write);
    expect(cluster.client.outcome(write), because('w = 1: the coordinator alone acknowledges', SECTION)).toMatchObject({ kind: 'put', ok: true });
    const read = cluster.client.get(key, second);
    cluster.finish(read);
    const outcome = cluster.client.outcome(read);
    expect(outcome.kind === 'get' && show(outcome.values), because('r = 1 reads one replica that the write never reached: stale', SECTION)).toEqual([
      'old',
    ]);
  });

  it('concurrent writes become siblings that a client can read and merge', () => {
    const cluster = new LeaderlessCluster({ seed: 3, replicas: REPLICAS, quorum: { n: 3, w: 2, r: 2 } });
    const key = utf8('cart');
    const [x, y] = preferenceList(key, REPLICAS);
    const one = cluster.client.put(key, utf8('milk'), {}, x);
    const two = cluster.client.put(key, utf8('eggs'), {}, y);
    cluster.finish(one);
    cluster.finish(two);
    const read = cluster.client.get(key);
    cluster.finish(read);
    const both = cluster.client.outcome(read);
    if (both.kind !== 'get') throw new Error(`read did not complete: ${both.kind}`);
    expect(show(both.values), because('neither write saw the other: both are kept as siblings', SECTION)).toEqual(['eggs', 'milk']);
    const merge = cluster.client.put(key, utf8('eggs,milk'), both.context);
    cluster.finish(merge);
    const again = cluster.client.get(key);
    cluster.finish(again);
    const merged = cluster.client.outcome(again);
    expect(merged.kind === 'get' && show(merged.values), because('a write with the read context replaces the siblings it saw', SECTION)).toEqual([
      'eggs,milk',
    ]);
  });

  it('a write that cannot reach w replicas is reported as failed, not acknowledged', () => {
    const cluster = new LeaderlessCluster({ seed: 4, replicas: REPLICAS, quorum: { n: 3, w: 2, r: 2 } });
    const key = utf8('k');
    const [coordinator] = preferenceList(key, REPLICAS);
    cluster.sim.network.partition([coordinator!], REPLICAS.filter((r) => r !== coordinator));
    const write = cluster.client.put(key, utf8('v'), {}, coordinator);
    cluster.finish(write);
    expect(cluster.client.outcome(write), because('only 1 of the 2 required replicas stored it', SECTION)).toEqual({
      kind: 'put',
      ok: false,
      acks: 1,
    });
  });
});
