import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { requiredAcks, type AckMode } from '@impl/chapter04-replication/leader-follower-replica.js';
import { NoGuarantees } from '@impl/chapter04-replication/session-guarantees.js';
import { LeaderFollowerCluster } from './support/leader-follower-cluster.js';

const SECTION = 'Synchronous, semi-synchronous and asynchronous replication';
const REPLICAS = ['n1', 'n2', 'n3'];

/** Cuts `cut` followers off the leader, writes once, and reports whether the client heard back. */
function writeWithFollowersCut(acks: AckMode, cut: readonly string[]) {
  const cluster = new LeaderFollowerCluster({
    seed: 11,
    acks,
    clients: { writer: { policy: () => new NoGuarantees() } },
    failureTimeoutMs: 1e9,
    clientTimeoutMs: 10_000,
  });
  if (cut.length > 0) cluster.sim.network.partition(['n1', 'writer'], cut);
  const request = cluster.client('writer').write(utf8('k'), utf8('v'));
  cluster.sim.runFor(300);
  const before = cluster.client('writer').operation(request).status;
  cluster.sim.network.heal();
  cluster.sim.runFor(300);
  return { before, after: cluster.client('writer').operation(request).status };
}

describe('1.4 acknowledgement modes', () => {
  it('asynchronous: the leader acknowledges at once, even with every follower cut off', () => {
    expect(writeWithFollowersCut('async', ['n2', 'n3']).before, because('async waits for no follower', SECTION)).toBe('ok');
  });

  it('semi-synchronous: one follower suffices; with none reachable the write waits', () => {
    expect(writeWithFollowersCut('semi-sync', ['n3']).before, because('n2 confirmed the entry', SECTION)).toBe('ok');
    expect(writeWithFollowersCut('semi-sync', ['n2', 'n3']), because('no follower can confirm until the heal', SECTION)).toEqual({
      before: 'pending',
      after: 'ok',
    });
  });

  it('synchronous: every follower must confirm, so one unreachable follower blocks writes', () => {
    expect(writeWithFollowersCut('sync', []).before).toBe('ok');
    expect(writeWithFollowersCut('sync', ['n3']), because('sync waits for n3 too', SECTION)).toEqual({ before: 'pending', after: 'ok' });
  });

  it('an acknowledged write is on the disk of the leader and of every follower the mode waited for: followers sync before they confirm', () => {
    for (const acks of ['semi-sync', 'sync'] as const) {
      forEachSeed(3, (seed) => {
        const cluster = new LeaderFollowerCluster({ seed, acks, clients: { writer: { policy: () => new NoGuarantees() } }, failureTimeoutMs: 1e9 });
        cluster.client('writer').write(utf8('k'), utf8('v'));
        cluster.settleClients('writer');
        // Crash every replica the moment the client hears back: unsynced writes are lost.
        for (const r of REPLICAS) cluster.sim.crash(r);
        for (const r of REPLICAS) cluster.sim.restart(r);
        const holding = REPLICAS.filter((r) => {
          const held = cluster.replica(r).valueOf(utf8('k'));
          return held !== undefined && fromUtf8(held) === 'v';
        });
        expect(
          holding.length,
          because(`${acks}: the leader and ${requiredAcks(acks, 2)} follower(s) confirmed the write, so it was on their disks; found on ${holding.join(', ') || 'none'}`, SECTION),
        ).toBeGreaterThanOrEqual(1 + requiredAcks(acks, 2));
      });
    }
  });
});
