/**
 * Exercise 7.1 under a lossy network, swept over seeds: requests and replies lost (10–30 %),
 * duplicated and reordered, and a server crash in some runs. However the messages fare, no
 * request is applied twice, every "ok" was applied, and the counter lies between the acknowledged
 * increments and those plus the "maybe"s.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { RetryCluster, SERVER } from './support/retry-cluster.js';

const SEEDS = 40;
const DEDUP = 'Idempotence and deduplication';
const MAYBE = 'Timeouts and the "maybe" outcome';

describe('7.1 timeouts and retries: the fault sweep', () => {
  it('under 10–30 % loss, duplication and reordering, each request is applied at most once and the counter is acked ≤ total ≤ acked + maybe', () => {
    let maybes = 0;
    let crashes = 0;
    forEachSeed(SEEDS, (seed) => {
      const random = new Random(seed);
      const cluster = new RetryCluster({
        seed,
        clients: 3,
        maxAttempts: 4,
        network: { latency: { kind: 'uniform', minMs: 1, maxMs: 25 }, lossRate: random.between(0.1, 0.3), duplicateRate: random.between(0, 0.2) },
      });
      const { sim } = cluster;
      for (const id of cluster.clientIds) for (let i = 0; i < 8; i++) cluster.client(id).submit(1);
      if (seed % 2 === 0) {
        crashes++;
        sim.at(random.between(20, 200), () => sim.crash(SERVER));
        sim.at(300, () => sim.restart(SERVER));
      }
      sim.runUntil(() => cluster.allIdle(), { withinMs: 60_000 });
      const outcomes = cluster.outcomes();
      const ok = outcomes.filter((o) => o.status === 'ok');
      const maybe = outcomes.filter((o) => o.status === 'maybe').length;
      maybes += maybe;
      expect(cluster.doubleApplied(), because('no request id is applied twice, whatever was lost, duplicated or reordered', DEDUP)).toEqual([]);
      const notApplied = ok.filter((o) => !cluster.applied.has(`${o.request.client}:${o.request.seq}`)).map((o) => `${o.request.client}:${o.request.seq}`);
      expect(notApplied, because('an "ok" outcome means the server applied the request', MAYBE)).toEqual([]);
      const total = cluster.server.value;
      expect(
        { atLeastAcked: total >= ok.length, atMostAckedPlusMaybe: total <= ok.length + maybe },
        because(`counter ${total} with ${ok.length} acknowledged and ${maybe} "maybe" increments: acked ≤ total ≤ acked + maybe`, MAYBE),
      ).toEqual({ atLeastAcked: true, atMostAckedPlusMaybe: true });
      expect(cluster.server.tableSize(), because('the table holds at most one entry per client once every request is finished', DEDUP)).toBeLessThanOrEqual(3);
    });
    // The sweep must have exercised what it claims to: some "maybe"s and some crashes.
    expect({ someMaybe: maybes > 0, someCrash: crashes > 0 }, because('the sweep produced uncertain outcomes and crashes', MAYBE)).toEqual({ someMaybe: true, someCrash: true });
  });
});
