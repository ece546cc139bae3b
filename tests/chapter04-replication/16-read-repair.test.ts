import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { because } from '../../shared/testing/explain.js';
import { liveValues } from '@impl/chapter04-replication/siblings.js';
import { preferenceList } from '@impl/chapter04-replication/quorum.js';
import { LeaderlessCluster } from './support/leaderless-cluster.js';

const SECTION = 'Read repair, hinted handoff and anti-entropy';
const REPLICAS = ['a', 'b', 'c'];

function missedWrite(readRepair: boolean) {
  const cluster = new LeaderlessCluster({ seed: 5, replicas: REPLICAS, quorum: { n: 3, w: 2, r: 2 }, readRepair, attempts: 1 });
  const key = utf8('k');
  const [coordinator, , left] = preferenceList(key, REPLICAS);
  cluster.sim.network.partition([left!], REPLICAS.filter((r) => r !== left));
  const write = cluster.client.put(key, utf8('v1'), {}, coordinator);
  cluster.finish(write);
  cluster.sim.runFor(200); // the coordinator gives up on the cut-off replica
  cluster.sim.network.heal();
  expect(cluster.replica(left!).siblings(key), 'the cut-off replica missed the write').toEqual([]);
  const read = cluster.client.get(key, coordinator);
  cluster.finish(read);
  cluster.sim.runFor(200);
  return liveValues(cluster.replica(left!).siblings(key)).map(fromUtf8);
}

describe('4.4 read repair', () => {
  it('a read that finds a replica behind sends it the merged siblings', () => {
    expect(missedWrite(true), because('read repair writes the merge back to stale replicas', SECTION)).toEqual(['v1']);
  });

  it('without read repair the stale replica stays stale after the read', () => {
    expect(missedWrite(false)).toEqual([]);
  });
});
