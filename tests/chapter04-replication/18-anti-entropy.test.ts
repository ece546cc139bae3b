import { describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/bytes.js';
import type { Entry } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { PrefixedKV } from '../../shared/prefixed-kv.js';
import { encodeSiblings } from '@impl/chapter04-replication/sibling-codec.js';
import { putSibling } from '@impl/chapter04-replication/siblings.js';
import { LeaderlessCluster } from './support/leaderless-cluster.js';

const SECTION = 'Anti-entropy with Merkle trees';
const REPLICAS = ['a', 'b', 'c'];
const key = (i: number) => utf8(`key-${String(i).padStart(6, '0')}`);

interface Run {
  readonly bytes: number;
  readonly dataBytes: number;
  readonly converged: boolean;
}

/**
 * `size` keys on every replica; `c` is cut off while `differing` keys are written through `a`;
 * then the partition heals and only anti-entropy (no reads, so no read repair) brings `c` back.
 * Returns the bytes sent from the heal until every replica's Merkle root is equal.
 */
function healAfterPartition(seed: number, size: number, leaves: number, differing: number): Run {
  const stores = new Map(REPLICAS.map((id) => [id, new MemoryKV()]));
  let dataBytes = 0;
  for (let i = 0; i < size; i++) {
    const value = encodeSiblings(putSibling([], 'a', utf8(`value-${i}`), {}));
    dataBytes += value.length + 10;
    for (const store of stores.values()) new PrefixedKV(store, utf8('d')).put(key(i), value);
  }
  const splits = Array.from({ length: leaves - 1 }, (_, i) => key(Math.round(((i + 1) * size) / leaves)));
  const cluster = new LeaderlessCluster({
    seed,
    replicas: REPLICAS,
    stores,
    quorum: { n: 3, w: 2, r: 2 },
    attempts: 1,
    readRepair: false,
    antiEntropy: { splits, intervalMs: 25 },
  });
  const { sim } = cluster;
  sim.network.partition(['c'], ['a', 'b']);
  const random = new Random(seed);
  for (let d = 0; d < differing; d++) {
    const write = cluster.client.put(key(random.int(0, size - 1)), utf8(`changed-${d}`), {}, 'a');
    cluster.finish(write);
  }
  sim.runFor(100); // the coordinator gives up on c
  const before = sim.stats.bytesSent;
  sim.network.heal();
  const roots = () => REPLICAS.map((id) => Buffer.from(cluster.replica(id).merkleRoot()!).toString('hex'));
  sim.runUntil(() => new Set(roots()).size === 1, { withinMs: 5_000 });
  const dump = (id: string): Entry[] => [...stores.get(id)!.scan()];
  return { bytes: sim.stats.bytesSent - before, dataBytes, converged: JSON.stringify(dump('a')) === JSON.stringify(dump('c')) };
}

describe('4.6 anti-entropy with Merkle trees', () => {
  it('a replica cut off during writes converges after the partition heals, by anti-entropy alone', () => {
    const run = healAfterPartition(1, 500, 32, 5);
    expect(run.converged, because('after anti-entropy every replica stores the same siblings', SECTION)).toBe(true);
  });

  it('the bytes sent grow with the differing ranges, not with the data size', () => {
    // Leaves hold about 16 keys in both runs; the data is 8 times larger in the second.
    const small = healAfterPartition(2, 1000, 64, 4);
    const large = healAfterPartition(2, 8000, 512, 4);
    const moreDifferences = healAfterPartition(2, 1000, 64, 32);
    expect([small.converged, large.converged, moreDifferences.converged]).toEqual([true, true, true]);
    expect(
      large.bytes,
      because(`8× the data, same 4 differing keys: ${large.bytes} bytes vs ${small.bytes}; must stay under 2×`, SECTION),
    ).toBeLessThan(2 * small.bytes);
    expect(
      large.bytes,
      because(`repairing 4 keys must send a small fraction of the ${large.dataBytes} bytes of data`, SECTION),
    ).toBeLessThan(large.dataBytes / 10);
    expect(
      moreDifferences.bytes,
      because(`8× the differing keys (${moreDifferences.bytes} vs ${small.bytes} bytes) must cost more`, SECTION),
    ).toBeGreaterThan(3 * small.bytes);
  });
});
