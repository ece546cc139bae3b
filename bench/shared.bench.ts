/**
 * `npm run bench -- shared`: the simulator's and the checker's speed.
 *
 * 1. Simulated events per second for a five-node, message-heavy run: every millisecond each node
 *    sends two requests to random peers and acknowledges every request it gets (four messages
 *    per timer event), over a network with jittered latency, 1% loss and 1% duplication
 *    (goal: at least 1,000,000 events/s).
 */

import { performance } from 'node:perf_hooks';
import { checkLinearizability, kvModel, parseKvHistory } from '../shared/checkers/index.js';
import { Random } from '../shared/random.js';
import { Simulation, type NodeContext, type NodeId, type SimNode } from '../shared/sim/index.js';
import { atomicKvHistory } from '../shared/testing/kv-histories.js';

type Msg = { readonly type: 'request'; readonly n: number } | { readonly type: 'ack'; readonly n: number };

/** Every millisecond sends two requests to random peers; acknowledges every request. */
class Chatter implements SimNode<Msg> {
  acks = 0;
  private n = 0;
  constructor(private readonly ctx: NodeContext<Msg>) {}
  onStart(): void {
    this.ctx.setTimer('send', 1);
  }
  onTimer(): void {
    for (let i = 0; i < 2; i++) this.ctx.send(this.ctx.random.pick(this.ctx.peers), { type: 'request', n: this.n++ });
    this.ctx.setTimer('send', 1);
  }
  onMessage(from: NodeId, msg: Msg): void {
    if (msg.type === 'request') this.ctx.send(from, { type: 'ack', n: msg.n });
    else this.acks++;
  }
}

function simulatorRun(events: number, trace: boolean, copyMessages: boolean): void {
  const sim = new Simulation<Msg, Chatter>({
    seed: 1,
    nodes: ['n1', 'n2', 'n3', 'n4', 'n5'],
    factory: (ctx) => new Chatter(ctx),
    network: { latency: { kind: 'uniform', minMs: 1, maxMs: 10 }, lossRate: 0.01, duplicateRate: 0.01 },
    trace,
    copyMessages,
    messageBytes: () => 16,
    maxEvents: events,
  });
  const started = performance.now();
  sim.runUntil(() => sim.stats.events >= events, { maxEvents: events + 1 });
  const seconds = (performance.now() - started) / 1000;
  const rate = sim.stats.events / seconds;
  const label = `trace ${trace ? 'on ' : 'off'}, copy messages ${copyMessages ? 'on ' : 'off'}`;
  console.log(
    `  ${label}: ${sim.stats.events.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s = ` +
      `${Math.round(rate).toLocaleString('en-US')} events/s (${sim.stats.messagesSent.toLocaleString('en-US')} messages)`,
  );
}

console.log('Simulator: five nodes, each sending 2 requests per ms and acknowledging every request');
simulatorRun(200_000, false, false); // warm-up
for (const [trace, copy] of [[false, false], [true, false], [false, true], [true, true]] as const) {
  simulatorRun(trace ? 1_000_000 : 2_000_000, trace, copy);
}

/*
 * 2. The linearizability checker on a 1,000-operation history over 10 keys from 8 concurrent
 *    clients, with unknown outcomes and failures (goal: under 1 s).
 */
console.log('\nLinearizability checker: 1,000 operations, 10 keys, 8 clients, 5% unknown outcomes');
for (const seed of [1, 2, 3]) {
  const history = atomicKvHistory(new Random(seed), { operations: 1000, keys: 10, clients: 8 });
  const started = performance.now();
  const result = checkLinearizability(history, kvModel);
  const ms = performance.now() - started;
  console.log(`  seed ${seed}: ${result.verdict} in ${ms.toFixed(1)} ms`);
  // Corrupt the last successful read: the checker must now prove that no order works.
  const target = history.filter((op) => op.input.f === 'get' && op.status === 'ok').pop()!;
  const broken = history.map((op) => (op === target ? { ...op, output: 'never-written' } : op));
  const started2 = performance.now();
  const bad = checkLinearizability(broken, kvModel);
  console.log(`  seed ${seed}, one read corrupted: ${bad.verdict} in ${(performance.now() - started2).toFixed(1)} ms`);
}

/*
 * 3. Many unknown outcomes on one key (goals: each "k unknown puts" history under 100 ms up to
 *    k = 64; a 44-operation history with 17 unknown-outcome puts under 1 s).
 */
console.log('\nLinearizability checker: one key, many unknown outcomes');
for (const k of [8, 16, 32, 64]) {
  const lines = ['c0 put(x, first) ok 0..1'];
  for (let i = 1; i <= k; i++) lines.push(`c${i} put(x, lost${i}) info ${i + 1}..`);
  for (let r = 0; r < 10; r++) lines.push(`r${r} get(x) → first ok ${k + 2 + 2 * r}..${k + 3 + 2 * r}`);
  const history = parseKvHistory(lines.join('\n'));
  const started = performance.now();
  const result = checkLinearizability(history, kvModel);
  console.log(`  a put, ${k} unknown puts, 10 reads of the first value: ${result.verdict} in ${(performance.now() - started).toFixed(1)} ms`);
}
let slowest = 0;
let decided = 0;
let tried = 0;
for (let seed = 1; tried < 50; seed++) {
  const history = atomicKvHistory(new Random(seed), { operations: 44, clients: 6, values: 1000, infoRate: 0.45, failRate: 0, cas: false });
  const unknown = history.filter((op) => op.status === 'info').length;
  if (unknown < 17) continue;
  tried++;
  const started = performance.now();
  const result = checkLinearizability(history, kvModel);
  slowest = Math.max(slowest, performance.now() - started);
  if (result.verdict === 'ok') decided++;
}
console.log(`  50 histories of 44 operations with at least 17 unknown-outcome puts: ${decided} decided ok, slowest ${slowest.toFixed(1)} ms`);
