import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { chooseNewLeader } from '@impl/chapter04-replication/failover-controller.js';
import type { AckMode } from '@impl/chapter04-replication/leader-follower-replica.js';
import { NoGuarantees } from '@impl/chapter04-replication/session-guarantees.js';
import { LeaderFollowerCluster } from './support/leader-follower-cluster.js';

const SECTION = 'Failover';
const REPLICAS = ['n1', 'n2', 'n3'];
const WRITES = 30;

interface FailoverRun {
  /** Keys whose write the client saw acknowledged, but which the final leader does not hold. */
  readonly lost: string[];
  readonly acknowledged: number;
  readonly report: string;
  readonly cluster: LeaderFollowerCluster;
}

/**
 * The leader takes a stream of writes (each to its own key) with random replication lag; at a
 * random moment it crashes; the controller fails over; later the old leader restarts and rejoins.
 */
function crashTheLeader(seed: number, acks: AckMode): FailoverRun {
  const random = new Random(seed);
  const cluster = new LeaderFollowerCluster({
    seed,
    acks,
    clients: { writer: { policy: () => new NoGuarantees() } },
    network: { latency: { kind: 'uniform', minMs: 1, maxMs: 5 } },
  });
  const { sim } = cluster;
  for (const follower of ['n2', 'n3']) {
    sim.network.setLink('n1', follower, { latency: { kind: 'exponential', minMs: 1, meanMs: random.int(2, 30) } });
  }
  const writer = cluster.client('writer');
  for (let i = 0; i < WRITES; i++) sim.after(i * 2, () => writer.write(utf8(`k${i}`), utf8(`v${i}`)));
  const crashAt = random.int(5, 60);
  sim.after(crashAt, () => sim.crash('n1'));
  sim.after(crashAt + 300, () => sim.restart('n1'));
  sim.runFor(crashAt + 310);
  cluster.settleClients('writer');
  const leader = () => cluster.controller().assignment.leader;
  sim.runUntil(
    () => REPLICAS.every((r) => sim.isUp(r) && cluster.replica(r).lastOffset === cluster.replica(leader()).lastOffset),
    { withinMs: 10_000 },
  );
  sim.runFor(100);
  const final = cluster.replica(leader());
  const lost: string[] = [];
  let acknowledged = 0;
  for (const op of writer.operations.values()) {
    if (op.status !== 'ok') continue;
    acknowledged++;
    if (final.valueOf(op.key) === undefined) lost.push(fromUtf8(op.key));
  }
  const failovers = cluster.controller().failovers.map((f) => `${f.from}→${f.to} in epoch ${f.epoch} at ${f.time.toFixed(1)} ms`);
  const report =
    `seed ${seed}, ${acks}: ${acknowledged} writes acknowledged, ${lost.length} lost after failover ` +
    `(${lost.join(', ') || 'none'}); failovers: ${failovers.join('; ') || 'none'}`;
  return { lost, acknowledged, report, cluster };
}

/**
 * Found by sweeping seeds 1–30 with `crashTheLeader(seed, 'async')`, then pinned: 11 of the 30
 * seeds lose acknowledged writes; seed 3 loses eight (k2 to k9), acknowledged before the crash
 * and never received by n3, which the controller then promoted.
 */
const ASYNC_LOSS_SEED = 3;

describe('1.5 failover', () => {
  it('the most up-to-date follower is chosen, ties to the smallest id', () => {
    expect(chooseNewLeader(new Map([['n2', 7], ['n3', 9], ['n4', 9]])), because('n3 and n4 have the longest log', SECTION)).toBe('n3');
    expect(chooseNewLeader(new Map())).toBeUndefined();
  });

  it('asynchronous replication: an acknowledged write is lost after failover, and the test reports it', () => {
    const run = crashTheLeader(ASYNC_LOSS_SEED, 'async');
    expect(run.report).toMatch(/lost after failover \(k\d+/);
    expect(
      run.lost.length,
      because(`async acknowledges before any follower has the write; ${run.report}`, SECTION),
    ).toBeGreaterThan(0);
  });

  it('synchronous replication loses no acknowledged write over the same sweep', () => {
    let acknowledged = 0;
    forEachSeed(30, (seed) => {
      const run = crashTheLeader(seed, 'sync');
      acknowledged += run.acknowledged;
      expect(run.lost, because(`every follower had each acknowledged write; ${run.report}`, SECTION)).toEqual([]);
    });
    expect(acknowledged).toBeGreaterThan(300);
  });

  it('semi-synchronous replication with failover to the most up-to-date follower loses nothing', () => {
    forEachSeed(30, (seed) => {
      const run = crashTheLeader(seed, 'semi-sync');
      expect(
        run.lost,
        because(`each acknowledged write is on some follower, so on the one with the longest log; ${run.report}`, SECTION),
      ).toEqual([]);
    });
  });
});

describe('1.6 the old leader rejoins as a follower', () => {
  it('after a failover the old leader undoes its unreplicated tail and ends up equal to the new leader', () => {
    const run = crashTheLeader(ASYNC_LOSS_SEED, 'async');
    const { cluster } = run;
    const leader = cluster.controller().assignment.leader;
    expect(leader).not.toBe('n1');
    expect(cluster.replica('n1').isLeader, because('a restarted old leader follows the epoch it is told', SECTION)).toBe(false);
    for (let i = 0; i < WRITES; i++) {
      const key = utf8(`k${i}`);
      const mine = cluster.replica('n1').valueOf(key);
      const theirs = cluster.replica(leader).valueOf(key);
      expect(
        mine && fromUtf8(mine),
        because(`k${i}: the old leader's entries past the divergence point are undone`, 'Failover'),
      ).toBe(theirs && fromUtf8(theirs));
    }
  });
});
