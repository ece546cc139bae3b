/**
 * A seed sweep of small leader–follower runs under every fault at once: message loss and
 * duplication, a partition, a crash and restart, failovers. After the network heals every
 * replica must hold the final leader's log and data, no replica may throw, and with synchronous
 * replication the writer's history followed by a read of every key must pass the
 * linearizability checker: no acknowledged write is lost.
 */
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { checkLinearizability, kvModel } from '../../shared/checkers/index.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import type { AckMode } from '@impl/chapter04-replication/leader-follower-replica.js';
import { NoGuarantees } from '@impl/chapter04-replication/session-guarantees.js';
import { clientHistory, withFinalReads } from './support/history.js';
import { LeaderFollowerCluster } from './support/leader-follower-cluster.js';

const SEEDS = 500;
const REPLICAS = ['n1', 'n2', 'n3'];
const WRITES = 6;
const KEYS = Array.from({ length: WRITES }, (_, i) => `w${i}`);
const MODES: readonly AckMode[] = ['async', 'semi-sync', 'sync'];

/** One run: the faults, the writes and the final state, drawn from the seed. */
function faultyRun(seed: number) {
  const random = new Random(seed);
  const acks = MODES[seed % MODES.length]!;
  const cluster = new LeaderFollowerCluster({
    seed,
    acks,
    // Odd seeds deduplicate retried writes, even ones do not: the checks hold either way.
    clients: { writer: { policy: () => new NoGuarantees(), dedup: seed % 2 === 1 }, updater: { policy: () => new NoGuarantees(), dedup: seed % 2 === 1 } },
    network: { latency: { kind: 'uniform', minMs: 1, maxMs: 8 }, lossRate: random.pick([0, 0.05, 0.1]), duplicateRate: 0.05 },
    clientTimeoutMs: 40,
  });
  const { sim } = cluster;
  const writer = cluster.client('writer');
  // The writer writes each key once; the updater overwrites the first half of them, each once the
  // writer's write of that key has finished and every message of it has arrived (latency is at
  // most 8 ms). A write retried after a timeout may take effect twice, which is harmless only when
  // nobody else writes the key in between: the client does not deduplicate.
  const writes = KEYS.map((key, i) => {
    let request = 0;
    sim.after(i * 6, () => {
      request = writer.write(utf8(key), utf8(`v${i}`));
    });
    return () => writer.operation(request);
  });
  const updater = cluster.client('updater');
  let overwrites = 0;
  const overwrite = (i: number) => {
    const op = writes[i]!();
    if (op.completedAt !== null && sim.now >= op.completedAt + 20) {
      updater.write(utf8(KEYS[i]!), utf8(`u${i}`));
      overwrites++;
    } else sim.after(10, () => overwrite(i));
  };
  for (let i = 0; i < WRITES / 2; i++) sim.after(i * 6 + 20, () => overwrite(i));
  const faults: string[] = [];
  const victim = random.pick(REPLICAS);
  const other = random.pick(REPLICAS.filter((r) => r !== victim));
  const at = random.int(2, 40);
  const kind = random.pick(['crash', 'partition', 'zombie', 'crash and partition'] as const);
  if (kind === 'crash' || kind === 'crash and partition') {
    sim.after(at, () => sim.crash(victim));
    sim.after(at + random.int(20, 200), () => sim.restart(victim));
    faults.push(`crash ${victim} at ${at} ms`);
  }
  if (kind === 'partition' || kind === 'crash and partition') {
    const cutAt = random.int(2, 60);
    sim.after(cutAt, () => sim.network.partition([other], REPLICAS.filter((r) => r !== other).concat('controller-main', 'writer')));
    faults.push(`partition ${other} at ${cutAt} ms`);
  }
  if (kind === 'zombie') {
    // The victim loses the controller and one replica, but keeps the other and the client.
    sim.after(at, () => {
      for (const [a, b] of [[victim, 'controller-main'], [victim, other]] as const) {
        sim.network.block(a, b);
        sim.network.block(b, a);
      }
    });
    faults.push(`cut ${victim} off the controller and ${other} at ${at} ms`);
  }
  if (random.chance(0.5)) {
    // A second failure: whoever leads then crashes too, so that epochs pile up.
    const secondAt = random.int(60, 200);
    sim.after(secondAt, () => {
      const leading = cluster.controller().assignment.leader;
      if (sim.isUp(leading)) sim.crash(leading);
    });
    faults.push(`crash the leader at ${secondAt} ms`);
  }
  const healAt = 250;
  sim.after(healAt, () => {
    sim.network.heal();
    for (const r of REPLICAS) if (!sim.isUp(r)) sim.restart(r);
  });
  sim.runFor(healAt + 1);
  cluster.settleClients('writer');
  sim.runUntil(() => overwrites === WRITES / 2, { withinMs: 1_000 });
  cluster.settleClients('updater');
  const leader = () => cluster.controller().assignment.leader;
  sim.runUntil(
    () =>
      REPLICAS.every(
        (r) => cluster.replica(r).lastOffset === cluster.replica(leader()).lastOffset && cluster.replica(r).isLeader === (r === leader()),
      ),
    { withinMs: 10_000 },
  );
  sim.runFor(50);
  const failovers = cluster.controller().failovers.map((f) => `${f.from}→${f.to} (epoch ${f.epoch})`);
  const report = `seed ${seed}, ${acks}: ${faults.join(', ')}; failovers: ${failovers.join(', ') || 'none'}`;
  return { cluster, acks, report, leader: leader() };
}

describe('leader–follower replication under loss, partitions, crashes and failovers', () => {
  it(`replicas converge after the heal on every one of ${SEEDS} seeds, and synchronous replication loses no acknowledged write`, () => {
    forEachSeed(SEEDS, (seed) => {
      const { cluster, acks, report, leader } = faultyRun(seed);
      const held = (r: string) =>
        KEYS.map((key) => {
          const value = cluster.replica(r).valueOf(utf8(key));
          return value === undefined ? null : fromUtf8(value);
        });
      for (const r of REPLICAS) {
        expect(held(r), because(`${r} holds the same data as the leader ${leader} once the network heals (${report})`, 'Failover')).toEqual(held(leader));
      }
      if (acks !== 'sync') return;
      const history = withFinalReads(cluster, clientHistory(cluster, ['writer', 'updater']), leader, KEYS);
      const result = checkLinearizability(history, kvModel);
      expect(result.verdict, because(`synchronous replication keeps every acknowledged write (${report}): ${result.explanation}`, 'Failover')).toBe('ok');
    });
  });
});
