import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import type { LeaderFollowerMessage } from '@impl/chapter04-replication/leader-follower-messages.js';
import { NoGuarantees } from '@impl/chapter04-replication/session-guarantees.js';
import { LeaderFollowerCluster } from './support/leader-follower-cluster.js';

const SECTION = 'Leaders and followers';
const REPLICAS = ['n1', 'n2', 'n3'];
const keys = (n: number) => Array.from({ length: n }, (_, i) => utf8(`k${i}`));
const state = (cluster: LeaderFollowerCluster, id: string, n: number) =>
  keys(n).map((k) => {
    const v = cluster.replica(id).valueOf(k);
    return v === undefined ? null : fromUtf8(v);
  });

describe('1.2 followers apply the log in order', () => {
  it('followers converge to the leader, entry for entry, under loss, duplication and reordering', () => {
    forEachSeed(15, (seed) => {
      const cluster = new LeaderFollowerCluster({
        seed,
        acks: 'async',
        clients: { writer: { policy: () => new NoGuarantees() } },
        network: { latency: { kind: 'uniform', minMs: 1, maxMs: 30 }, lossRate: 0.1, duplicateRate: 0.1 },
        failureTimeoutMs: 1e9,
        clientTimeoutMs: 1000,
      });
      const writer = cluster.client('writer');
      for (let i = 0; i < 40; i++) cluster.sim.after(i, () => writer.write(utf8(`k${i % 5}`), utf8(`v${i}`)));
      cluster.sim.runFor(50);
      cluster.settleClients('writer');
      const leader = cluster.replica('n1');
      cluster.sim.runUntil(() => REPLICAS.every((r) => cluster.replica(r).lastOffset === leader.lastOffset), { withinMs: 10_000 });
      for (const id of ['n2', 'n3']) {
        expect(state(cluster, id, 5), because(`${id} applied the same entries in the same order as the leader`, SECTION)).toEqual(
          state(cluster, 'n1', 5),
        );
      }
    });
  });

  it('a write the leader acknowledged survives a crash of every replica: the leader syncs an entry before it answers', () => {
    forEachSeed(3, (seed) => {
      const cluster = new LeaderFollowerCluster({ seed, acks: 'async', clients: { writer: { policy: () => new NoGuarantees() } }, failureTimeoutMs: 1e9 });
      for (const follower of ['n2', 'n3']) cluster.sim.network.block('n1', follower); // only the leader has the write
      cluster.client('writer').write(utf8('k'), utf8('v'));
      cluster.settleClients('writer');
      for (const r of REPLICAS) cluster.sim.crash(r); // unsynced writes are lost
      for (const r of REPLICAS) cluster.sim.restart(r);
      const held = cluster.replica('n1').valueOf(utf8('k'));
      expect(
        held && fromUtf8(held),
        because('the leader answered the client, so the entry was on its disk: a replica syncs before it tells anyone', SECTION),
      ).toBe('v');
    });
  });

  it('a follower cut off from the leader catches up from its last offset, with no snapshot and no resent prefix', () => {
    const cluster = new LeaderFollowerCluster({
      seed: 7,
      acks: 'async',
      clients: { writer: { policy: () => new NoGuarantees() } },
      failureTimeoutMs: 1e9,
      trace: true,
    });
    const writer = cluster.client('writer');
    for (let i = 0; i < 10; i++) writer.write(utf8(`k${i}`), utf8('before'));
    cluster.settleClients('writer');
    cluster.sim.runFor(100);
    cluster.sim.network.partition(['n3'], ['n1', 'n2', 'writer']);
    const offsetAtCut = cluster.replica('n3').lastOffset;
    for (let i = 0; i < 10; i++) writer.write(utf8(`k${i}`), utf8('during'));
    cluster.settleClients('writer');
    cluster.sim.runFor(100);
    expect(cluster.replica('n3').lastOffset).toBe(offsetAtCut);
    const healedAt = cluster.sim.now;
    cluster.sim.network.heal();
    cluster.sim.runUntil(() => cluster.replica('n3').lastOffset === cluster.replica('n1').lastOffset, { withinMs: 5_000 });
    expect(state(cluster, 'n3', 10)).toEqual(Array(10).fill('during'));
    const delivered = cluster.sim.trace
      .ofKind('deliver')
      .filter((e) => e.to === 'n3' && e.time >= healedAt)
      .map((e) => e.message as LeaderFollowerMessage);
    expect(delivered.filter((m) => m.type === 'snapshot'), because('the log still holds everything n3 missed', SECTION)).toEqual([]);
    const resent = delivered.flatMap((m) => (m.type === 'append' ? m.entries.map((e) => e.offset) : []));
    expect(
      Math.min(...resent),
      because(`n3 had offsets up to ${offsetAtCut}; catch-up starts after its last offset`, SECTION),
    ).toBeGreaterThan(offsetAtCut);
  });
});

/** A traced group without failover whose leader keeps only the last `retainEntries` entries. */
function snapshotCluster(seed: number, retainEntries: number) {
  const cluster = new LeaderFollowerCluster({
    seed,
    acks: 'async',
    clients: { writer: { policy: () => new NoGuarantees() } },
    failureTimeoutMs: 1e9,
    retainEntries,
    trace: true,
  });
  return { cluster, writer: cluster.client('writer') };
}

/** One write whose answers from the leader are lost for 200 ms, so the client retries it; returns each replica's log length. */
function retriedWrite(seed: number, dedup: boolean) {
  const cluster = new LeaderFollowerCluster({
    seed,
    acks: 'async',
    clients: { writer: { policy: () => new NoGuarantees(), dedup } },
    failureTimeoutMs: 1e9,
  });
  cluster.sim.network.block('n1', 'writer');
  const request = cluster.client('writer').write(utf8('k'), utf8('v'));
  cluster.sim.runFor(200);
  cluster.sim.network.unblock('n1', 'writer');
  cluster.settleClients('writer');
  cluster.sim.runUntil(() => REPLICAS.every((r) => cluster.replica(r).lastOffset === cluster.replica('n1').lastOffset), { withinMs: 1_000 });
  const op = cluster.client('writer').operation(request);
  return { status: op.status, attempts: op.attempts, entries: REPLICAS.map((r) => cluster.replica(r).lastOffset) };
}

describe('1.2 retried writes', () => {
  it('a retried write takes effect once per attempt that reaches the leader without deduplication (at least once), exactly once with it', () => {
    forEachSeed(3, (seed) => {
      const plain = retriedWrite(seed, false);
      expect(
        plain.entries[0],
        because(`the client retried ${plain.attempts - 1} time(s) and the leader cannot tell a retry from a new write: at least once`, SECTION),
      ).toBeGreaterThan(1);
      const deduplicated = retriedWrite(seed, true);
      expect(deduplicated.status).toBe('ok');
      expect(
        deduplicated.entries,
        because(
          `with dedup the leader recognises (client, request) in its log and answers for the entry already there: the write is appended once, though the client tried ${deduplicated.attempts} times`,
          SECTION,
        ),
      ).toEqual([1, 1, 1]);
    });
  });
});

describe('1.3 bootstrapping a follower from a snapshot', () => {
  it('a follower gets a snapshot of the data plus the log after it, when the log no longer goes back far enough; the snapshot replaces its old data', () => {
    const { cluster, writer } = snapshotCluster(8, 10);
    // n3 first holds two keys, then is cut off while the leader deletes one and overwrites the other.
    writer.write(utf8('gone'), utf8('old'));
    writer.write(utf8('k0'), utf8('old'));
    cluster.settleClients('writer');
    cluster.sim.runUntil(() => cluster.replica('n3').lastOffset === 2, { withinMs: 1_000 });
    cluster.sim.network.isolate('n3');
    writer.write(utf8('gone'), null);
    for (let i = 0; i < 30; i++) writer.write(utf8(`k${i % 12}`), utf8(`v${i}`));
    cluster.settleClients('writer');
    expect(cluster.replica('n3').lastOffset).toBe(2);
    cluster.sim.network.heal();
    const leader = cluster.replica('n1');
    cluster.sim.runUntil(() => cluster.replica('n3').lastOffset === leader.lastOffset, { withinMs: 5_000 });
    const snapshots = cluster.sim.trace.ofKind('deliver').filter((e) => e.to === 'n3' && (e.message as LeaderFollowerMessage).type === 'snapshot');
    expect(snapshots.length, because('entries 3..23 were dropped from the leader log: only a snapshot can bring n3 up', SECTION)).toBeGreaterThan(0);
    expect(state(cluster, 'n3', 12)).toEqual(state(cluster, 'n1', 12));
    expect(
      cluster.replica('n3').valueOf(utf8('gone')),
      because('installing a snapshot replaces the follower\'s data: a key the snapshot lacks must not survive from before', SECTION),
    ).toBeUndefined();
    for (let i = 0; i < 5; i++) writer.write(utf8(`k${i}`), utf8('after'));
    cluster.settleClients('writer');
    cluster.sim.runUntil(() => cluster.replica('n3').lastOffset === leader.lastOffset, { withinMs: 5_000 });
    expect(state(cluster, 'n3', 12), because('after the snapshot, the log tail keeps n3 up to date', SECTION)).toEqual(state(cluster, 'n1', 12));
  });

  it('a snapshot older than the follower\'s log is ignored: delivered late, it never takes the follower back', () => {
    const { cluster, writer } = snapshotCluster(9, 5);
    cluster.sim.network.isolate('n3');
    for (let i = 0; i < 10; i++) writer.write(utf8(`k${i % 3}`), utf8(`v${i}`));
    cluster.settleClients('writer');
    cluster.sim.network.heal();
    const leader = cluster.replica('n1');
    cluster.sim.runUntil(() => cluster.replica('n3').lastOffset === leader.lastOffset, { withinMs: 5_000 });
    const snapshot = cluster.sim.trace.ofKind('deliver').find((e) => e.to === 'n3' && (e.message as LeaderFollowerMessage).type === 'snapshot');
    expect(snapshot, because('n3 needed entries the leader had dropped', SECTION)).toBeDefined();
    for (let i = 0; i < 10; i++) writer.write(utf8(`k${i % 3}`), utf8(`w${i}`));
    cluster.settleClients('writer');
    cluster.sim.runUntil(() => cluster.replica('n3').lastOffset === leader.lastOffset, { withinMs: 5_000 });
    const before = { offset: cluster.replica('n3').lastOffset, data: state(cluster, 'n3', 3) };
    // The network delivers the old snapshot once more, late.
    cluster.replica('n3').onMessage('n1', snapshot!.message as LeaderFollowerMessage);
    expect(
      { offset: cluster.replica('n3').lastOffset, data: state(cluster, 'n3', 3) },
      because('the follower is already past the snapshot\'s offset: installing it would undo applied entries', SECTION),
    ).toEqual(before);
  });
});
