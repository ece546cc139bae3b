import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { checkLinearizability, kvModel, type KvInput, type KvOutput, type Operation } from '../../shared/checkers/index.js';
import { UsageError } from '../../shared/errors.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSimulation } from '../../shared/testing/simulation.js';
import { MapVersionError, UnknownPartitionError } from '@impl/chapter05-partitioning/errors.js';
import { PartitionMapCache } from '@impl/chapter05-partitioning/partition-map.js';
import type { PartitionMap } from '@impl/chapter05-partitioning/routing-messages.js';
import { partitionOf, RoutingCluster } from './support/routing-cluster.js';

const ROUTING = 'Request routing';
const HANDOFF = 'Handing a partition over';

/** A key of `partition` among `partitions`, by search (the partitioner is a plain hash). */
function keyIn(partition: number, partitions: number, prefix = 'key'): Uint8Array {
  for (let i = 0; ; i++) {
    const key = utf8(`${prefix}${i}`);
    if (partitionOf(key, partitions) === partition) return key;
  }
}

describe('5.4 the partition map cache', () => {
  it('moves only forward: an older version is a MapVersionError, the same version changes nothing', () => {
    const cache = new PartitionMapCache({ version: 3, owners: ['a', 'b'] });
    expect(cache.ownerOf(1), because('the owner of a partition in the map held', ROUTING)).toBe('b');
    let error: unknown;
    try {
      cache.install({ version: 2, owners: ['b', 'b'] }, 'client c1');
    } catch (e) {
      error = e;
    }
    expect(error, because('a map version going backwards is a typed error', ROUTING)).toBeInstanceOf(MapVersionError);
    expect((error as MapVersionError).current, because('the error names the version held', ROUTING)).toBe(3);
    expect((error as MapVersionError).offered, because('and the older version offered', ROUTING)).toBe(2);
    expect((error as Error).message, because('and where it happened', ROUTING)).toContain('client c1');
    expect(cache.ownerOf(0), because('a rejected map changes nothing', ROUTING)).toBe('a');
    expect(cache.install({ version: 3, owners: ['a', 'b'] }, 'c1'), because('the version already held is not installed again', ROUTING)).toBe(false);
    expect(cache.install({ version: 4, owners: ['b', 'b'] }, 'c1'), because('a newer version is installed', ROUTING)).toBe(true);
    expect([cache.version, cache.ownerOf(0)], because('the cache now holds version 4', ROUTING)).toEqual([4, 'b']);
    expect(() => cache.ownerOf(2), because('a partition outside the map', ROUTING)).toThrow(UnknownPartitionError);
    expect(() => new PartitionMapCache({ version: 0, owners: ['a'] }), because('versions start at 1', ROUTING)).toThrow(UsageError);
  });
});

describe('5.4 request routing', () => {
  it('a stale router is rejected with the node\'s newer map version, refreshes from the coordinator and retries at once', () => {
    const initial: PartitionMap = { version: 1, owners: ['n1', 'n2', 'n1', 'n2'] };
    const cluster = new RoutingCluster({ seed: 1, initial, nodes: ['n1', 'n2'], clients: ['stale'], network: { latency: { kind: 'fixed', ms: 2 } }, timeoutMs: 1_000, trace: true });
    const { sim } = cluster;
    sim.after(1, () => cluster.coordinator().rebalance(['n2', 'n2', 'n1', 'n2']));
    sim.runUntil(() => cluster.coordinator().settled && cluster.node('n1').mapVersion === 2 && cluster.node('n2').mapVersion === 2, { withinMs: 500 });
    expect(cluster.node('n2').servedPartitions(), because('after the move n2 serves partition 0', HANDOFF)).toEqual([0, 1, 3]);
    expect(cluster.node('n1').servedPartitions(), because('and n1 no longer does', HANDOFF)).toEqual([2]);
    const client = cluster.client('stale');
    expect(client.mapVersion, because('the client still caches version 1', ROUTING)).toBe(1);
    const key = keyIn(0, 4);
    let request = 0;
    sim.after(1, () => {
      request = client.put(key, utf8('v'));
    });
    sim.runUntil(() => request > 0 && client.done(request), { withinMs: 500 });
    const op = client.operations.get(request)!;
    expect(cluster.rejections.length, because('the stale request is rejected', ROUTING)).toBeGreaterThanOrEqual(1);
    for (const r of cluster.rejections) expect([r.node, r.partition, r.version], because('n1 rejects the stale request with its own, newer map version', ROUTING)).toEqual(['n1', 0, 2]);
    expect(client.stats.refreshes, because('the rejection makes the client ask the coordinator for the map', ROUTING)).toBeGreaterThanOrEqual(1);
    expect(client.mapVersion, because('the client now caches version 2', ROUTING)).toBe(2);
    expect(op.servedBy, because('the retry goes to the new owner', ROUTING)).toBe('n2');
    expect(op.completedAt! - op.invokedAt, because('the retry leaves as soon as the new map arrives, not after the 1,000 ms timeout', ROUTING)).toBeLessThan(100);
    expect(cluster.node('n2').valueOf(key), because('the write is stored by the new owner', ROUTING)).toEqual(utf8('v'));
  });

  it('during a handoff nobody serves the partition: requests are rejected until the move commits, then served by the new owner', () => {
    const initial: PartitionMap = { version: 1, owners: ['n1', 'n2'] };
    // 'eager' routes by a map that already gives partition 0 to n2: n2 must still refuse it until the move commits.
    const clientMaps = { eager: { version: 1, owners: ['n2', 'n2'] } };
    const cluster = new RoutingCluster({ seed: 2, initial, nodes: ['n1', 'n2'], clients: ['c', 'eager'], clientMaps, network: { latency: { kind: 'uniform', minMs: 1, maxMs: 6 } }, timeoutMs: 15, trace: true });
    const { sim } = cluster;
    const client = cluster.client('c');
    const eager = cluster.client('eager');
    // n2 gets the data but cannot tell the coordinator for a while: the move stays uncommitted.
    sim.after(8, () => sim.network.block('n2', 'coord'));
    sim.after(80, () => sim.network.unblock('n2', 'coord'));
    const early: number[] = [];
    for (let t = 10; t < 70; t += 4) sim.after(t, () => early.push(eager.get(keyIn(0, 2, `e${t}-`))));
    const keys = Array.from({ length: 12 }, (_, i) => keyIn(0, 2, `k${i}-`));
    const requests: number[] = [];
    keys.forEach((key, i) => sim.after(1 + i * 2, () => requests.push(client.put(key, utf8(`v${i}`)))));
    sim.after(8, () => cluster.coordinator().rebalance(['n2', 'n2']));
    sim.runUntil(() => requests.length === keys.length && requests.every((r) => client.done(r)) && early.every((r) => eager.done(r)) && cluster.coordinator().settled, { withinMs: 5_000 });
    expect(cluster.rejections.some((r) => r.node === 'n2' && r.client === 'eager'), because('n2 holds the data before the commit but does not serve it yet', HANDOFF)).toBe(true);
    expect(cluster.ownershipViolations(), because('every request was served by the owner of the newest committed map, before it released the partition', HANDOFF)).toEqual([]);
    keys.forEach((key, i) => expect(cluster.node('n2').valueOf(key), because(`the acknowledged write of key ${i} moved with the partition`, HANDOFF)).toEqual(utf8(`v${i}`)));
    sim.runFor(20); // the commit's map reaches n1 too
    expect(cluster.node('n1').valueOf(keys[0]!), because('the old owner drops the partition once the move is committed', HANDOFF)).toBeUndefined();
  });
});

const SEEDS = 20;
const P = 12;
const WRITES = 36;
const KEYS = Array.from({ length: WRITES }, (_, i) => `w${i}`);

/** One run: a writer and a reader under loss and reordering while n4 joins and then n1 leaves. */
function rebalanceUnderLoad(seed: number, cluster: RoutingCluster) {
  const random = new Random(seed);
  const { sim } = cluster;
  const writer = cluster.client('writer');
  const reader = cluster.client('reader');
  const writes: number[] = [];
  const reads: number[] = [];
  KEYS.forEach((key, i) => sim.after(1 + i * 4, () => writes.push(writer.put(utf8(key), utf8(`v${i}`)))));
  for (let t = 2; t < 160; t += 3) {
    const key = KEYS[random.int(0, WRITES - 1)]!;
    sim.after(t, () => reads.push(reader.get(utf8(key))));
  }
  const joinAt = random.int(5, 40);
  const joined = Array.from({ length: P }, (_, p) => (p >= 9 ? 'n4' : `n${(p % 3) + 1}`));
  const left = joined.map((o, p) => (o === 'n1' ? ['n2', 'n3', 'n4'][(p / 3) % 3]! : o));
  let phase = 0;
  sim.after(joinAt, () => {
    cluster.addNode('n4');
    cluster.coordinator().rebalance(joined);
    phase = 1;
  });
  const leaveWhenSettled = () => {
    if (cluster.coordinator().settled) {
      cluster.coordinator().rebalance(left);
      phase = 2;
    } else sim.after(5, leaveWhenSettled);
  };
  sim.after(joinAt + random.int(1, 30), leaveWhenSettled);
  sim.runUntil(
    () =>
      phase === 2 &&
      cluster.coordinator().settled &&
      writes.length === WRITES &&
      writes.every((r) => writer.done(r)) &&
      reads.every((r) => reader.done(r)) &&
      reads.length > 0,
    { withinMs: 20_000 },
  );
  return { writer, reader, left };
}

function historyOf(cluster: RoutingCluster, clients: readonly string[], finalOwners: readonly string[]): Array<Operation<KvInput, KvOutput>> {
  const ops: Array<Operation<KvInput, KvOutput>> = [];
  for (const name of clients) {
    for (const op of cluster.client(name).operations.values()) {
      const key = fromUtf8(op.key);
      const done = op.status === 'ok';
      ops.push({
        id: ops.length + 1,
        process: name,
        input: op.kind === 'put' ? { f: 'put', key, value: fromUtf8(op.value!) } : { f: 'get', key },
        output: op.kind === 'get' && done ? (op.value === null ? null : fromUtf8(op.value)) : undefined,
        status: done ? 'ok' : op.kind === 'get' ? 'fail' : 'info',
        call: op.invokedAt,
        return: done ? op.completedAt! : Infinity,
      });
    }
  }
  let at = cluster.sim.now + 1;
  for (const key of KEYS) {
    const owner = finalOwners[partitionOf(utf8(key), P)]!;
    const held = cluster.node(owner).valueOf(utf8(key));
    ops.push({ id: ops.length + 1, process: `final-${owner}`, input: { f: 'get', key }, output: held === undefined ? null : fromUtf8(held), status: 'ok', call: at, return: at + 0.5 });
    at += 1;
  }
  return ops;
}

describe('5.4 routing during a rebalance under load, with message loss and reordering', () => {
  it(`over ${SEEDS} seeds: every request is served by the partition's current owner, every acknowledged write survives, and the clients' histories are linearizable`, () => {
    let rejections = 0;
    forEachSimulation(SEEDS, (seed, watch) => {
      const random = new Random(seed * 7 + 3);
      const initial: PartitionMap = { version: 1, owners: Array.from({ length: P }, (_, p) => `n${(p % 3) + 1}`) };
      const network = { latency: { kind: 'uniform' as const, minMs: 1, maxMs: 8 }, lossRate: random.pick([0, 0.05, 0.1]), duplicateRate: 0.03 };
      const cluster = new RoutingCluster({ seed, initial, nodes: ['n1', 'n2', 'n3'], clients: ['writer', 'reader'], network });
      watch(cluster.sim);
      const { left } = rebalanceUnderLoad(seed, cluster);
      const run = `seed ${seed}, loss ${network.lossRate}`;
      expect(cluster.ownershipViolations(), because(`no request is served by a node that does not own the partition in the newest committed map, or after it sent the partition away (${run})`, HANDOFF)).toEqual([]);
      const coordinator = cluster.coordinator();
      expect(coordinator.map.owners, because(`the coordinator reached the goal (${run})`, HANDOFF)).toEqual(left);
      expect(coordinator.history.map((h) => h.version), because(`each committed move is the next map version (${run})`, ROUTING)).toEqual(Array.from({ length: coordinator.history.length }, (_, i) => i + 1));
      expect(cluster.node('n1').servedPartitions(), because(`n1 left: it serves nothing (${run})`, HANDOFF)).toEqual([]);
      for (const node of ['n2', 'n3', 'n4']) {
        expect(cluster.node(node).servedPartitions(), because(`${node} serves exactly its partitions of the final map (${run})`, HANDOFF)).toEqual(left.flatMap((o, p) => (o === node ? [p] : [])));
      }
      KEYS.forEach((key, i) => {
        const owner = left[partitionOf(utf8(key), P)]!;
        const held = cluster.node(owner).valueOf(utf8(key));
        expect(held === undefined ? undefined : fromUtf8(held), because(`the acknowledged write of ${key} survives on its final owner ${owner} (${run})`, HANDOFF)).toBe(`v${i}`);
      });
      const result = checkLinearizability(historyOf(cluster, ['writer', 'reader'], left), kvModel);
      expect(result.verdict, because(`reads and writes through the routing clients behave like one copy (${run}): ${result.explanation ?? ''}`, HANDOFF)).toBe('ok');
      rejections += cluster.rejections.length;
    });
    expect(rejections, because('the sweep exercised stale routes: some requests were rejected and retried', ROUTING)).toBeGreaterThan(0);
  });
});
