import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { NoGuarantees, SessionGuarantees, type ReadPolicy } from '@impl/chapter04-replication/session-guarantees.js';
import type { ClientOperation } from '@impl/chapter04-replication/replication-client.js';
import { LeaderFollowerCluster } from './support/leader-follower-cluster.js';

const SECTION = 'Replication lag and session guarantees';
const SEEDS = 100;
type Policy = () => ReadPolicy;
const naive: Policy = () => new NoGuarantees();
const session: Policy = () => new SessionGuarantees();

/** Runs one request to completion and returns its record. */
function perform(cluster: LeaderFollowerCluster, client: string, start: () => number): ClientOperation {
  const c = cluster.client(client);
  const request = start();
  cluster.sim.runUntil(() => c.operation(request).status !== 'pending', { withinMs: 10_000 });
  return c.operation(request);
}

const text = (op: ClientOperation) => (op.value === null ? null : fromUtf8(op.value));

/** Followers lag behind the leader by a random, seed-chosen amount. */
function lag(cluster: LeaderFollowerCluster, seed: number, leader: string, followers: readonly string[], meanMs: [number, number]): void {
  const random = new Random(seed);
  for (const f of followers) {
    cluster.sim.network.setLink(leader, f, { latency: { kind: 'exponential', minMs: 1, meanMs: random.int(meanMs[0], meanMs[1]) } });
  }
}

/** Writes a profile, then reads it back at once; counts reads that miss the client's own write. */
function readYourWrites(seed: number, policy: Policy): number {
  const cluster = new LeaderFollowerCluster({ seed, acks: 'async', clients: { me: { policy } }, failureTimeoutMs: 1e9 });
  lag(cluster, seed, 'n1', ['n2', 'n3'], [5, 60]);
  const me = cluster.client('me');
  let anomalies = 0;
  for (let i = 0; i < 3; i++) {
    perform(cluster, 'me', () => me.write(utf8('profile'), utf8(`v${i}`)));
    const read = perform(cluster, 'me', () => me.read(utf8('profile')));
    if (read.status === 'ok' && text(read) !== `v${i}`) anomalies++;
  }
  return anomalies;
}

/** A writer bumps a counter; a reader reads it repeatedly; counts reads that go back in time. */
function monotonicReads(seed: number, policy: Policy): number {
  const cluster = new LeaderFollowerCluster({
    seed,
    acks: 'async',
    clients: { writer: { policy: naive }, reader: { policy } },
    failureTimeoutMs: 1e9,
  });
  lag(cluster, seed, 'n1', ['n2', 'n3'], [5, 60]);
  // A FIFO link: the leader logs the versions in the order they were written.
  cluster.sim.network.setLink('writer', 'n1', { latency: { kind: 'fixed', ms: 1 } });
  const writer = cluster.client('writer');
  for (let i = 1; i <= 10; i++) cluster.sim.after(i * 4, () => writer.write(utf8('counter'), utf8(String(i))));
  let highest = 0;
  let anomalies = 0;
  for (let i = 0; i < 12; i++) {
    const read = perform(cluster, 'reader', () => cluster.client('reader').read(utf8('counter')));
    if (read.status !== 'ok') continue;
    const seen = Number(text(read) ?? '0');
    if (seen < highest) anomalies++;
    highest = Math.max(highest, seen);
  }
  return anomalies;
}

/**
 * Two replication groups: the question goes to group X, whose followers lag a lot; the answer,
 * written after the question was acknowledged, goes to group Y, whose followers are quick. The
 * observer polls for the answer, then reads the question: seeing the answer without the question
 * is the anomaly.
 */
function consistentPrefix(seed: number, policy: Policy): number {
  const cluster = new LeaderFollowerCluster({
    seed,
    acks: 'async',
    groups: { x: ['x1', 'x2', 'x3'], y: ['y1', 'y2', 'y3'] },
    route: (key) => (fromUtf8(key).startsWith('question') ? 'x' : 'y'),
    clients: { poser: { policy: session }, observer: { policy } },
    failureTimeoutMs: 1e9,
  });
  lag(cluster, seed, 'x1', ['x2', 'x3'], [40, 120]);
  lag(cluster, seed + 1, 'y1', ['y2', 'y3'], [1, 5]);
  const poser = cluster.client('poser');
  const observer = cluster.client('observer');
  perform(cluster, 'poser', () => poser.write(utf8('question'), utf8('how far is the sun?')));
  perform(cluster, 'poser', () => poser.write(utf8('answer'), utf8('about 8 light minutes')));
  for (let poll = 0; poll < 30; poll++) {
    const answer = perform(cluster, 'observer', () => observer.read(utf8('answer')));
    if (answer.status !== 'ok' || answer.value === null) continue;
    const question = perform(cluster, 'observer', () => observer.read(utf8('question')));
    return question.status === 'ok' && question.value === null ? 1 : 0;
  }
  return 0;
}

describe('2.1 replication lag: each anomaly with a naive client, none with session guarantees', () => {
  const scenarios = [
    { name: 'read your writes', run: readYourWrites, guarantee: 'a read after your own acknowledged write sees it' },
    { name: 'monotonic reads', run: monotonicReads, guarantee: 'a session never reads an older state than it has read' },
    { name: 'consistent prefix', run: consistentPrefix, guarantee: 'whoever has seen the answer can see the question' },
  ];
  for (const { name, run, guarantee } of scenarios) {
    it(`${name}: the naive client shows the anomaly on some of ${SEEDS} seeds, the session client on none`, () => {
      let naiveAnomalies = 0;
      forEachSeed(SEEDS, (seed) => {
        naiveAnomalies += run(seed, naive);
        expect(run(seed, session), because(`${name}: ${guarantee}`, SECTION)).toBe(0);
      });
      expect(naiveAnomalies, because(`with random lag, reading any replica breaks "${name}"`, SECTION)).toBeGreaterThan(0);
    });
  }
});

describe('2.1 session guarantees: the rules of the record', () => {
  it('a session requires of each group the highest offset it depends on, and that offset never goes down', () => {
    const session = new SessionGuarantees();
    session.read('g', 20, {});
    session.wrote('g', 17); // acknowledged by a leader after a failover, at a lower offset
    expect(session.minOffset('g'), because('the session has read group g at offset 20: an older write does not lower that', SECTION)).toBeGreaterThanOrEqual(20);
    session.read('h', 5, { g: 3 });
    expect(session.minOffset('g'), because('a dependency on g at 3 is older than what the session needs already', SECTION)).toBeGreaterThanOrEqual(20);
    expect(session.minOffset('h'), because('the session read group h at offset 5', SECTION)).toBeGreaterThanOrEqual(5);
    session.read('h', 6, { x: 30 });
    expect(session.minOffset('x'), because('the value read was written by someone who had seen group x at 30: read dependencies are inherited', SECTION)).toBeGreaterThanOrEqual(30);
    const deps = session.dependencies();
    expect([deps.g, deps.h, deps.x], because('a write carries everything the session depends on', SECTION)).toEqual([20, 6, 30]);
  });
});
