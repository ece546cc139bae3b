import { describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/bytes.js';
import { because } from '../../shared/testing/explain.js';
import type { AckMode } from '@impl/chapter04-replication/leader-follower-replica.js';
import { NoGuarantees } from '@impl/chapter04-replication/session-guarantees.js';
import { LeaderFollowerCluster } from './support/leader-follower-cluster.js';

const SECTION = 'Synchronous, semi-synchronous and asynchronous replication';

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
});
