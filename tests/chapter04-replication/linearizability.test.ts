/**
 * Linearizability of leader–follower replication, judged by the shared checker: reads from the
 * leader of a synchronously replicated group are linearizable; reads from asynchronous followers
 * are not, and the checker says so.
 */
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/bytes.js';
import { checkLinearizability, kvModel } from '../../shared/checkers/index.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import type { AckMode } from '@impl/chapter04-replication/leader-follower-replica.js';
import { NoGuarantees } from '@impl/chapter04-replication/session-guarantees.js';
import { clientHistory, type KvOperation } from './support/history.js';
import { LeaderFollowerCluster } from './support/leader-follower-cluster.js';

const SECTION = 'Replication lag and session guarantees';
const CLIENTS = ['c1', 'c2', 'c3'];

/**
 * Three clients, each running 15 random operations one after another on two keys; followers lag
 * by a random amount. Returns the history in the checker's terms. No message is lost and clients
 * never retry, so every write is applied exactly once.
 */
function history(seed: number, acks: AckMode, readFrom: 'leader' | 'any'): KvOperation[] {
  const random = new Random(seed);
  const cluster = new LeaderFollowerCluster({
    seed,
    acks,
    clients: Object.fromEntries(CLIENTS.map((c) => [c, { policy: () => new NoGuarantees(), readFrom }])),
    failureTimeoutMs: 1e9,
    clientTimeoutMs: 1e6,
  });
  for (const f of ['n2', 'n3']) {
    cluster.sim.network.setLink('n1', f, { latency: { kind: 'exponential', minMs: 1, meanMs: random.int(5, 40) } });
  }
  const remaining = new Map(CLIENTS.map((c) => [c, 15]));
  let written = 0;
  // Interleave the clients: each step starts one client's next operation while others are in flight.
  const inFlight = new Map<string, number>();
  for (let step = 0; step < 200 && [...remaining.values()].some((n) => n > 0); step++) {
    for (const client of CLIENTS) {
      const c = cluster.client(client);
      const current = inFlight.get(client);
      if (current !== undefined && c.operation(current).status === 'pending') continue;
      const left = remaining.get(client)!;
      if (left === 0) continue;
      remaining.set(client, left - 1);
      const key = utf8(random.pick(['x', 'y']));
      inFlight.set(client, random.chance(0.5) ? c.write(key, utf8(`${client}-${++written}`)) : c.read(key));
    }
    cluster.sim.runFor(random.int(1, 15));
  }
  cluster.settleClients(...CLIENTS);
  return clientHistory(cluster, CLIENTS);
}

describe('linearizability of leader–follower reads', () => {
  it('reads from the leader with synchronous replication pass the linearizability checker', () => {
    forEachSeed(10, (seed) => {
      const result = checkLinearizability(history(seed, 'sync', 'leader'), kvModel);
      expect(result.verdict, because(`the leader applies writes in log order and answers reads from it: ${result.explanation}`, SECTION)).toBe('ok');
    });
  });

  it('reads from a lagging asynchronous follower fail the checker: a stale read is not linearizable', () => {
    forEachSeed(3, (seed) => {
      // The writer talks to the leader; the reader knows only n3, which gets the log 200 ms late.
      const cluster = new LeaderFollowerCluster({
        seed,
        acks: 'async',
        clients: {
          writer: { policy: () => new NoGuarantees(), readFrom: 'leader' },
          reader: { policy: () => new NoGuarantees(), replicas: ['n3'] },
        },
        failureTimeoutMs: 1e9,
      });
      cluster.sim.network.setLink('n1', 'n3', { latency: { kind: 'fixed', ms: 200 } });
      cluster.client('writer').write(utf8('x'), utf8('1'));
      cluster.settleClients('writer');
      cluster.sim.runFor(1); // the read starts strictly after the write returned
      cluster.client('reader').read(utf8('x'));
      cluster.settleClients('reader');
      const result = checkLinearizability(clientHistory(cluster, ['writer', 'reader']), kvModel);
      expect(
        result.verdict,
        because('a follower that lags returns a value older than one already acknowledged: the read misses x = 1', SECTION),
      ).toBe('illegal');
      expect(result.explanation).toMatch(/reader get\(x\) → nil/);
    });
  });
});
