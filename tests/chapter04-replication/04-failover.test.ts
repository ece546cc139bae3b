import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { SimulationError } from '../../shared/sim/index.js';
import { chooseNewLeader } from '@impl/chapter04-replication/failover-controller.js';
import type { AckMode } from '@impl/chapter04-replication/leader-follower-replica.js';
import { NoGuarantees } from '@impl/chapter04-replication/session-guarantees.js';
import { LeaderFollowerCluster } from './support/leader-follower-cluster.js';

const SECTION = 'Failover';
const REPLICAS = ['n1', 'n2', 'n3'];
const WRITES = 30;
/**
 * The writes the leader takes while cut off from its followers: three overwrite keys that every
 * replica holds, two create new keys. Undoing them must restore the old values and remove the new keys.
 */
const WRITES_WHILE_CUT: ReadonlyArray<readonly [string, string]> = [
  ['k0', 'cut0'],
  ['k1', 'cut1'],
  ['k2', 'cut2'],
  ['k5', 'v5'],
  ['k6', 'v6'],
];
/** Writes to new keys after the failover. */
const WRITES_AFTER = 3;
const KEYS_IN_CUT_RUN = 7 + WRITES_AFTER;

interface FailoverRun {
  /** Keys whose last acknowledged write the final leader does not hold (it holds another value, or none). */
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
  return settle(cluster, `seed ${seed}, ${acks}`);
}

/**
 * Waits until the writer is done and every replica has the final leader's log, then lists
 * the acknowledged writes the final leader does not hold.
 */
function settle(cluster: LeaderFollowerCluster, label: string): FailoverRun {
  const { sim } = cluster;
  cluster.settleClients('writer');
  const leader = () => cluster.controller().assignment.leader;
  sim.runUntil(
    () => REPLICAS.every((r) => sim.isUp(r) && cluster.replica(r).lastOffset === cluster.replica(leader()).lastOffset),
    { withinMs: 10_000 },
  );
  sim.runFor(100);
  const final = cluster.replica(leader());
  // The writer writes each key one write at a time, so the last acknowledged write of a key is its value.
  const lastAcknowledged = new Map<string, string>();
  let acknowledged = 0;
  for (const op of cluster.client('writer').operations.values()) {
    if (op.status !== 'ok') continue;
    acknowledged++;
    lastAcknowledged.set(fromUtf8(op.key), fromUtf8(op.value!));
  }
  const lost = [...lastAcknowledged].filter(([key, value]) => {
    const held = final.valueOf(utf8(key));
    return held === undefined || fromUtf8(held) !== value;
  }).map(([key]) => key);
  const failovers = cluster.controller().failovers.map((f) => `${f.from}→${f.to} in epoch ${f.epoch} at ${f.time.toFixed(1)} ms`);
  const report =
    `${label}: ${acknowledged} writes acknowledged, ${lost.length} lost after failover ` +
    `(${lost.join(', ') || 'none'}); failovers: ${failovers.join('; ') || 'none'}`;
  return { lost, acknowledged, report, cluster };
}

/** A group whose three replicas all hold the writer's first five writes, k0..k4 = v0..v4, at offsets 1..5. */
function fiveReplicatedWrites(seed: number, acks: AckMode) {
  const cluster = new LeaderFollowerCluster({ seed, acks, clients: { writer: { policy: () => new NoGuarantees() } } });
  const { sim } = cluster;
  const writer = cluster.client('writer');
  for (let i = 0; i < 5; i++) writer.write(utf8(`k${i}`), utf8(`v${i}`));
  cluster.settleClients('writer');
  sim.runUntil(() => REPLICAS.every((r) => cluster.replica(r).lastOffset === 5), { withinMs: 1_000 });
  return { cluster, sim, writer };
}

/**
 * The leader's writes stop reaching its followers (its links to them are cut; clients and the
 * controller still reach it); it takes the `WRITES_WHILE_CUT`, then crashes. The controller
 * fails over to a follower. The links are repaired, the old leader restarts and rejoins, and the
 * new leader takes `WRITES_AFTER` new writes. Whatever the seed and however a correct replica orders its
 * sends, the writes taken while cut off exist only on the old leader.
 */
function cutThenCrash(seed: number, acks: AckMode): FailoverRun {
  const { cluster, sim, writer } = fiveReplicatedWrites(seed, acks);
  const writeKeys = (from: number, to: number) => {
    for (let i = from; i < to; i++) writer.write(utf8(`k${i}`), utf8(`v${i}`));
  };
  for (const follower of ['n2', 'n3']) sim.network.block('n1', follower);
  for (const [key, value] of WRITES_WHILE_CUT) writer.write(utf8(key), utf8(value));
  sim.runFor(50);
  sim.crash('n1');
  sim.runUntil(() => cluster.controller().assignment.leader !== 'n1', { withinMs: 1_000 });
  sim.network.heal();
  sim.restart('n1');
  writeKeys(7, KEYS_IN_CUT_RUN);
  return settle(cluster, `seed ${seed}, ${acks}, leader cut off then crashed`);
}

describe('1.5 failover', () => {
  it('the most up-to-date follower is chosen: newest last epoch first, then the longest log, ties to the smallest id', () => {
    const at = (epoch: number, offset: number) => ({ epoch, offset });
    expect(chooseNewLeader(new Map([['n2', at(1, 7)], ['n3', at(1, 9)], ['n4', at(1, 9)]])), because('n3 and n4 have the longest log', SECTION)).toBe('n3');
    expect(
      chooseNewLeader(new Map([['n1', at(1, 9)], ['n2', at(2, 7)], ['n3', at(2, 6)]])),
      because('n2 ends with an entry of epoch 2; n1\'s longer log ends in epoch 1, a deposed leader\'s tail', SECTION),
    ).toBe('n2');
    expect(chooseNewLeader(new Map())).toBeUndefined();
  });

  it('asynchronous replication: writes acknowledged by a leader cut off from its followers are lost after failover, and the test reports them', () => {
    forEachSeed(3, (seed) => {
      const run = cutThenCrash(seed, 'async');
      expect(run.report).toMatch(/lost after failover \(k\d+/);
      expect(
        run.lost,
        because(`async acknowledges before any follower has the write; ${run.report}`, SECTION),
      ).toEqual(WRITES_WHILE_CUT.map(([key]) => key));
    });
  });

  it('synchronous and semi-synchronous replication lose nothing when the leader is cut off, then crashes', () => {
    for (const acks of ['sync', 'semi-sync'] as const) {
      forEachSeed(3, (seed) => {
        const run = cutThenCrash(seed, acks);
        expect(run.lost, because(`no follower confirmed the writes, so none was acknowledged before the failover; ${run.report}`, SECTION)).toEqual([]);
        expect(run.acknowledged, because('the client retries at the new leader', SECTION)).toBe(5 + WRITES_WHILE_CUT.length + WRITES_AFTER);
      });
    }
  });

  it('synchronous replication loses no acknowledged write when the leader crashes at a random moment', () => {
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
  it('after a failover the old leader undoes its unreplicated tail, restoring the values it overwrote, and ends up equal to the new leader', () => {
    forEachSeed(3, (seed) => {
      const { cluster, report } = cutThenCrash(seed, 'async');
      const leader = cluster.controller().assignment.leader;
      expect(leader).not.toBe('n1');
      expect(cluster.replica('n1').isLeader, because('a restarted old leader follows the epoch it is told', SECTION)).toBe(false);
      for (let i = 0; i < KEYS_IN_CUT_RUN; i++) {
        const key = utf8(`k${i}`);
        const mine = cluster.replica('n1').valueOf(key);
        const theirs = cluster.replica(leader).valueOf(key);
        expect(
          mine && fromUtf8(mine),
          because(
            `k${i}: the old leader's entries past the divergence point are undone newest first, each restoring the value it overwrote (or removing the key it created), then the new leader's are applied (${report})`,
            SECTION,
          ),
        ).toBe(theirs && fromUtf8(theirs));
      }
    });
  });
});

/** Cuts both directions between `a` and `b`. */
function cut(cluster: LeaderFollowerCluster, a: string, b: string): void {
  cluster.sim.network.block(a, b);
  cluster.sim.network.block(b, a);
}

/**
 * A zombie leader: n1 is cut off from the controller and from n3, not crashed, and can still
 * reach n2 and the client. The controller, which cannot reach n2 either at first (nor can n3),
 * promotes n3.
 * While n2 has not heard of epoch 2, n1 keeps taking writes and n2 confirms them (these are lost
 * later: the controller promoted n3 without asking n2). Then n2 learns of epoch 2, and from then
 * on it must refuse n1's appends, and n1, told so by n2's answers, must step down. Finally the
 * network heals and every replica must end with the new leader's data.
 */
function zombieLeader(seed: number) {
  const { cluster, sim, writer } = fiveReplicatedWrites(seed, 'semi-sync');
  cut(cluster, 'n1', 'controller-main');
  cut(cluster, 'n1', 'n3');
  cut(cluster, 'n2', 'controller-main');
  cut(cluster, 'n2', 'n3');
  sim.runUntil(() => cluster.controller().assignment.epoch > 1, { withinMs: 2_000 });
  const newLeader = cluster.controller().assignment.leader;
  // The zombie still believes it leads epoch 1 and takes writes; n2, in epoch 1 too, confirms them.
  const zombieWrites = [writer.write(utf8('k0'), utf8('zombie0')), writer.write(utf8('z1'), utf8('zombie1'))];
  sim.runUntil(() => zombieWrites.every((w) => writer.operation(w).status !== 'pending'), { withinMs: 1_000 });
  const zombieAcknowledged = zombieWrites.filter((w) => writer.operation(w).status === 'ok').length;
  // n2 hears of epoch 2 (from the controller or n3). From here on its epoch must never go back.
  for (const other of ['controller-main', 'n3']) {
    sim.network.unblock('n2', other);
    sim.network.unblock(other, 'n2');
  }
  sim.runUntil(() => cluster.replica('n2').currentEpoch >= 2, { withinMs: 1_000 });
  const n2Epochs: number[] = [];
  let steppedDown = true;
  try {
    sim.runUntil(
      () => {
        n2Epochs.push(cluster.replica('n2').currentEpoch);
        return !cluster.replica('n1').isLeader;
      },
      { withinMs: 1_000 },
    );
  } catch (error) {
    if (!(error instanceof SimulationError) || error.reason !== 'deadline') throw error;
    steppedDown = false;
  }
  return { cluster, newLeader, zombieAcknowledged, n2Epochs, steppedDown };
}

describe('1.6 a crash in the middle of rejoining', () => {
  it('a replica that crashes before its divergence is resolved resolves it again after the restart, before it applies anything', () => {
    forEachSeed(3, (seed) => {
      const { cluster, sim, writer } = fiveReplicatedWrites(seed, 'async');
      for (const follower of ['n2', 'n3']) sim.network.block('n1', follower);
      for (const [key, value] of WRITES_WHILE_CUT) writer.write(utf8(key), utf8(value));
      sim.runFor(50);
      sim.crash('n1');
      sim.runUntil(() => cluster.controller().assignment.leader !== 'n1', { withinMs: 1_000 });
      const leader = cluster.controller().assignment.leader;
      sim.network.heal();
      sim.network.block(leader, 'n1'); // n1 hears of epoch 2, but its question about the divergence goes unanswered
      sim.restart('n1');
      sim.runUntil(() => cluster.replica('n1').currentEpoch >= 2, { withinMs: 1_000 });
      sim.crash('n1');
      sim.network.heal();
      sim.restart('n1');
      for (let i = 7; i < KEYS_IN_CUT_RUN; i++) writer.write(utf8(`k${i}`), utf8(`v${i}`));
      cluster.settleClients('writer');
      try {
        sim.runUntil(() => cluster.replica('n1').lastOffset === cluster.replica(leader).lastOffset, { withinMs: 2_000 });
      } catch (error) {
        if (!(error instanceof SimulationError) || error.reason !== 'deadline') throw error;
      }
      sim.runFor(100);
      const values = (r: string) =>
        Array.from({ length: KEYS_IN_CUT_RUN }, (_, i) => {
          const held = cluster.replica(r).valueOf(utf8(`k${i}`));
          return held === undefined ? null : fromUtf8(held);
        });
      expect(
        values('n1'),
        because(`seed ${seed}: n1 saved epoch 2 and crashed before the divergence was resolved; after the restart it must ask again and undo its tail`, SECTION),
      ).toEqual(values(leader));
    });
  });
});

describe('1.6 a zombie leader: deposed but not crashed', () => {
  it('a follower never obeys a deposed leader, and a deposed leader that learns of a newer epoch steps down; after the heal every replica ends equal', () => {
    forEachSeed(3, (seed) => {
      const { cluster, newLeader, zombieAcknowledged, n2Epochs, steppedDown } = zombieLeader(seed);
      const report = `seed ${seed}: n1 cut off from the controller and n3; ${newLeader} leads epoch 2; the zombie n1 had ${zombieAcknowledged} write(s) confirmed by n2 before n2 heard of epoch 2`;
      expect(newLeader, because('only n3 could answer the controller', SECTION)).toBe('n3');
      expect(
        Math.min(...n2Epochs),
        because(`once n2 knows epoch 2 it refuses appends of epoch 1: epochs never go back (${report})`, SECTION),
      ).toBeGreaterThanOrEqual(2);
      expect(
        steppedDown,
        because(`n2 answers the zombie's appends with epoch 2, so within a second n1 must stop leading (${report})`, SECTION),
      ).toBe(true);
      // Writes after the zombie stepped down reach the new leader (the client follows redirects).
      const { sim } = cluster;
      const writer = cluster.client('writer');
      const later = [writer.write(utf8('k1'), utf8('after1')), writer.write(utf8('z2'), utf8('after2'))];
      cluster.settleClients('writer');
      sim.network.heal();
      sim.runUntil(() => REPLICAS.every((r) => cluster.replica(r).lastOffset === cluster.replica(newLeader).lastOffset && !cluster.replica(r).isLeader === (r !== newLeader)), {
        withinMs: 5_000,
      });
      sim.runFor(100);
      for (const w of later) {
        const op = writer.operation(w);
        const held = cluster.replica(newLeader).valueOf(op.key);
        expect(op.status === 'ok' && held !== undefined && fromUtf8(held), because(`a write the new leader acknowledged stays (${report})`, SECTION)).toBe(
          op.status === 'ok' && fromUtf8(op.value!),
        );
      }
      for (const key of ['k0', 'k1', 'k2', 'k3', 'k4', 'z1', 'z2']) {
        const value = (r: string) => {
          const held = cluster.replica(r).valueOf(utf8(key));
          return held === undefined ? null : fromUtf8(held);
        };
        for (const r of REPLICAS) {
          expect(value(r), because(`${key}: after the heal ${r} holds what the leader of epoch 2 holds, the zombie's entries undone (${report})`, SECTION)).toBe(
            value(newLeader),
          );
        }
      }
    });
  });
});

/**
 * Two failovers. n1 leads epoch 1 and takes four writes that only it has (its links to the
 * followers are cut), then crashes; the controller, which cannot reach n3, promotes n2 (epoch 2),
 * whose three writes reach n3. Then n2 crashes and n1 restarts: n1's log ends at offset 9 in
 * epoch 1, n3's at offset 8 in epoch 2. `reachN3` says whether the controller hears n3 in the
 * second failover.
 */
function twoFailovers(seed: number, reachN3: boolean) {
  const { cluster, sim, writer } = fiveReplicatedWrites(seed, 'async');
  for (const follower of ['n2', 'n3']) sim.network.block('n1', follower);
  for (let i = 0; i < 4; i++) writer.write(utf8(`k${i}`), utf8(`n1-tail${i}`));
  cluster.settleClients('writer');
  sim.crash('n1');
  cut(cluster, 'n3', 'controller-main');
  sim.runUntil(() => cluster.controller().assignment.epoch === 2, { withinMs: 2_000 });
  for (let i = 0; i < 3; i++) writer.write(utf8(`k${i}`), utf8(`epoch2-${i}`));
  cluster.settleClients('writer');
  sim.runUntil(() => cluster.replica('n3').lastOffset === 8 && cluster.replica('n2').lastOffset === 8, { withinMs: 2_000 });
  sim.crash('n2');
  sim.network.heal();
  if (!reachN3) cut(cluster, 'n3', 'controller-main');
  sim.restart('n1');
  sim.runUntil(() => cluster.controller().assignment.epoch === 3, { withinMs: 2_000 });
  const chosen = cluster.controller().assignment.leader;
  const positions = cluster.controller().failovers.at(-1)!.positions;
  sim.network.heal();
  sim.restart('n2');
  for (let i = 3; i < 6; i++) writer.write(utf8(`k${i}`), utf8(`epoch3-${i}`));
  cluster.settleClients('writer');
  sim.runUntil(
    () => REPLICAS.every((r) => cluster.replica(r).lastOffset === cluster.replica(chosen).lastOffset && cluster.replica(r).isLeader === (r === chosen)),
    { withinMs: 5_000 },
  );
  sim.runFor(100);
  const values = (r: string) =>
    Array.from({ length: 6 }, (_, i) => {
      const held = cluster.replica(r).valueOf(utf8(`k${i}`));
      return held === undefined ? null : fromUtf8(held);
    });
  const report = `seed ${seed}: positions at the second failover ${[...positions].map(([r, p]) => `${r} (epoch ${p.epoch}, offset ${p.offset})`).join(', ')}; ${chosen} promoted`;
  return { chosen, values, report };
}

describe('1.5 failover by (last epoch, last offset)', () => {
  it('the follower whose last entry has the newest epoch is promoted over a longer log of an older epoch, and no write of the newer epoch is lost', () => {
    forEachSeed(3, (seed) => {
      const { chosen, values, report } = twoFailovers(seed, true);
      expect(chosen, because(`n3 holds epoch 2's writes; n1's longer log ends in epoch 1 (${report})`, SECTION)).toBe('n3');
      expect(values(chosen).slice(0, 3), because(`epoch 2's acknowledged writes survive (${report})`, SECTION)).toEqual(['epoch2-0', 'epoch2-1', 'epoch2-2']);
    });
  });
});

describe('1.6 divergence: a follower ahead of the new leader in epochs', () => {
  it('a follower whose log holds entries of a newer epoch than the new leader has truncates them, never keeps them, and the replicas end equal', () => {
    forEachSeed(3, (seed) => {
      const { chosen, values, report } = twoFailovers(seed, false);
      expect(chosen, because(`only n1 could answer the controller (${report})`, SECTION)).toBe('n1');
      for (const r of REPLICAS) {
        expect(
          values(r),
          because(
            `${r}: entries of epoch 2 at offsets 6..8 conflict with n1's epoch-1 entries there; the follower keeps only what agrees with the leader up to the end of the newest epoch both have (${report})`,
            SECTION,
          ),
        ).toEqual(values(chosen));
      }
    });
  });
});
