/** Exercise 7.1: backoff with full jitter, request ids, the "maybe" outcome and the dedup table. */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { backoffCeilingMs, backoffDelayMs } from '@impl/chapter07-clocks-and-faults/backoff.js';
import type { RetryMessage } from '@impl/chapter07-clocks-and-faults/retry-messages.js';
import { RetryCluster, SERVER } from './support/retry-cluster.js';

const BACKOFF = 'Retries, backoff and jitter';
const MAYBE = 'Timeouts and the "maybe" outcome';
const DEDUP = 'Idempotence and deduplication';

describe('7.1 timeouts and retries: backoff with full jitter', () => {
  it('the ceiling doubles with each retry and stops at the cap', () => {
    const policy = { baseMs: 10, capMs: 100 };
    const ceilings = [1, 2, 3, 4, 5, 6].map((retry) => backoffCeilingMs(policy, retry));
    expect(ceilings, because('ceiling = min(capMs, baseMs × 2^(retry − 1)), retry 1 being the first', BACKOFF)).toEqual([10, 20, 40, 80, 100, 100]);
  });

  it('full jitter: waits fall in [0, ceiling) and spread over the whole of it', () => {
    const policy = { baseMs: 10, capMs: 1000 };
    const random = new Random(7);
    const waits = Array.from({ length: 400 }, () => backoffDelayMs(policy, 3, random));
    const outside = waits.filter((w) => !(w >= 0 && w < 40));
    expect(outside, because('every wait before retry 3 lies in [0, 40): full jitter draws from zero up to the ceiling', BACKOFF)).toEqual([]);
    const mean = waits.reduce((sum, w) => sum + w, 0) / waits.length;
    // 400 uniform draws: the smallest is below 4 ms and the largest above 36 ms with probability
    // 1 − 2 × 0.9^400, and the mean is 20 ± 1.2 ms (two standard errors are 0.6 ms).
    expect(
      { below4: Math.min(...waits) < 4, above36: Math.max(...waits) > 36, meanNear20: Math.abs(mean - 20) < 3 },
      because('uniform waits: some near 0, some near the ceiling, mean near half of it; a fixed wait is no jitter at all', BACKOFF),
    ).toEqual({ below4: true, above36: true, meanNear20: true });
  });

  it('a bad policy or retry number is a UsageError that says what is wrong', () => {
    expect(() => backoffCeilingMs({ baseMs: 0, capMs: 10 }, 1), because('baseMs must be > 0', BACKOFF)).toThrow(UsageError);
    expect(() => backoffCeilingMs({ baseMs: 20, capMs: 10 }, 1), because('capMs must be >= baseMs', BACKOFF)).toThrow(UsageError);
    expect(() => backoffDelayMs({ baseMs: 10, capMs: 100 }, 0, new Random(1)), because('retries count from 1', BACKOFF)).toThrow(/retry/);
  });

  it('clients that time out together retry apart: no synchronized retry storm', () => {
    const clients = 16;
    const cluster = new RetryCluster({ seed: 3, clients, trace: true, timeoutMs: 50, maxAttempts: 3, backoff: { baseMs: 200, capMs: 1000 } });
    const { sim } = cluster;
    // The server is unreachable for the first two seconds: every first attempt is lost at once.
    sim.network.isolate(SERVER);
    sim.at(2000, () => sim.network.heal());
    for (const id of cluster.clientIds) cluster.client(id).submit(1);
    sim.runUntil(() => cluster.allIdle(), { withinMs: 10_000 });
    const retries = sim.trace.events.flatMap((event) =>
      event.kind === 'send' && (event.message as RetryMessage).type === 'add' && (event.message as { attempt: number }).attempt === 2
        ? [event.time]
        : [],
    );
    expect(retries.length, because('every client retried once after its first attempt was lost', BACKOFF)).toBe(clients);
    // The largest number of second attempts sent within any 5 ms: with waits drawn uniformly
    // from [0, 200) ms, 8 of 16 in 5 ms has probability far below 10^-6.
    const sorted = [...retries].sort((a, b) => a - b);
    let burst = 0;
    for (let i = 0; i < sorted.length; i++) {
      let j = i;
      while (j < sorted.length && sorted[j]! - sorted[i]! < 5) j++;
      burst = Math.max(burst, j - i);
    }
    expect(burst, because(`the 16 clients' second attempts are spread out; they were sent at ${sorted.map((t) => t.toFixed(1)).join(', ')} ms`, BACKOFF)).toBeLessThan(8);
  });
});

describe('7.1 timeouts and retries: the "maybe" outcome and deduplication', () => {
  it('a lost request and a lost reply both end as "maybe": the client cannot tell them apart', () => {
    for (const lost of ['request', 'reply'] as const) {
      const cluster = new RetryCluster({ seed: 1, clients: 1, maxAttempts: 3 });
      const { sim } = cluster;
      if (lost === 'request') sim.network.block('c1', SERVER);
      else sim.network.block(SERVER, 'c1');
      const id = cluster.client('c1').submit(5);
      sim.runUntil(() => cluster.allIdle(), { withinMs: 5000 });
      expect(cluster.client('c1').outcomes, because(`with every ${lost} lost, three timeouts give the outcome "maybe", never a guess`, MAYBE)).toEqual([
        { status: 'maybe', request: id, attempts: 3 },
      ]);
      expect(cluster.server.value, because(`a lost ${lost}: the counter shows whether it was applied, the client does not`, MAYBE)).toBe(lost === 'request' ? 0 : 5);
    }
  });

  it('a retry after a lost reply is answered from the dedup table and not applied again', () => {
    const cluster = new RetryCluster({ seed: 2, clients: 1 });
    const { sim } = cluster;
    sim.network.block(SERVER, 'c1');
    const id = cluster.client('c1').submit(3);
    sim.runUntil(() => cluster.applied.size === 1, { withinMs: 1000 });
    sim.runFor(100); // a few retries arrive while the replies are still lost
    sim.network.unblock(SERVER, 'c1');
    sim.runUntil(() => cluster.allIdle(), { withinMs: 5000 });
    expect(cluster.doubleApplied(), because('a retry carries the same request id, so the server applies it once', DEDUP)).toEqual([]);
    expect(cluster.server.value, because('applied once: 3', DEDUP)).toBe(3);
    const [outcome] = cluster.client('c1').outcomes;
    expect(outcome, because('the retry gets the stored reply: the value right after the one application', DEDUP)).toMatchObject({ status: 'ok', request: id, value: 3 });
    expect(outcome!.attempts, because('the first replies were lost, so it took more than one attempt', DEDUP)).toBeGreaterThan(1);
  });

  it('the dedup table survives a server crash: a retry after the restart is not applied again', () => {
    const cluster = new RetryCluster({ seed: 4, clients: 1, maxAttempts: 20 });
    const { sim } = cluster;
    sim.network.block(SERVER, 'c1');
    cluster.client('c1').submit(1);
    cluster.client('c1').submit(10);
    sim.runUntil(() => cluster.applied.size === 1, { withinMs: 1000 });
    sim.crash(SERVER);
    sim.runFor(50);
    sim.restart(SERVER);
    sim.network.unblock(SERVER, 'c1');
    sim.runUntil(() => cluster.allIdle(), { withinMs: 10_000 });
    expect(cluster.doubleApplied(), because('the table is durable (synced with the counter, in one batch), so the restarted server still knows the request', DEDUP)).toEqual([]);
    expect(cluster.server.value, because('1 + 10, each applied once', DEDUP)).toBe(11);
    expect(cluster.client('c1').outcomes.map((o) => o.status), because('both requests answered', DEDUP)).toEqual(['ok', 'ok']);
  });

  it('the dedup table stays bounded: entries go when the client acknowledges them, not with time', () => {
    const cluster = new RetryCluster({ seed: 5, clients: 3 });
    const { sim } = cluster;
    for (const id of cluster.clientIds) for (let i = 0; i < 20; i++) cluster.client(id).submit(1);
    sim.runUntil(() => cluster.allIdle(), { withinMs: 60_000 });
    expect(cluster.server.value, because('60 increments, each applied once', DEDUP)).toBe(60);
    expect(cluster.server.tableSize(), because('one request at a time per client: after 60 requests the table holds at most one entry per client', DEDUP)).toBeLessThanOrEqual(3);
  });
});
