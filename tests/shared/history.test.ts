import { describe, expect, it } from 'vitest';
import {
  checkLinearizability,
  History,
  kvModel,
  type KvInput,
  type KvOutput,
} from '../../shared/checkers/index.js';
import { UsageError } from '../../shared/errors.js';
import { Simulation, type NodeContext, type NodeId, type SimNode } from '../../shared/sim/index.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';

describe('History, the client operation recorder', () => {
  it('records calls and returns in real-time order, with virtual times, and pending operations as info', () => {
    let now = 0;
    const history = new History<KvInput, KvOutput>(() => now);
    const a = history.invoke('c1', { f: 'put', key: 'x', value: '1' });
    now = 5;
    const b = history.invoke('c2', { f: 'get', key: 'x' });
    history.ok(a);
    now = 9;
    history.ok(b, '1');
    const c = history.invoke('c1', { f: 'put', key: 'x', value: '2' });
    const d = history.invoke('c3', { f: 'put', key: 'y', value: '2' });
    history.fail(d);
    expect(history.isPending(c)).toBe(true);
    const ops = history.operations();
    expect(ops.map((op) => [op.process, op.status, op.call, op.return])).toEqual([
      ['c1', 'ok', 0, 2],
      ['c2', 'ok', 1, 3],
      ['c1', 'info', 4, Infinity],
      ['c3', 'fail', 5, 6],
    ]);
    expect(ops[1]).toMatchObject({ output: '1', callTime: 5, returnTime: 9 });
    expect(() => history.ok(a)).toThrow(UsageError);
    expect(() => history.info(99)).toThrow(UsageError);
  });
});

// ---- a replicated register on the simulator, checked end to end ----

type Msg =
  | { readonly type: 'put'; readonly id: number; readonly value: string }
  | { readonly type: 'get'; readonly id: number }
  | { readonly type: 'ack'; readonly id: number; readonly value: string | null }
  | { readonly type: 'replicate'; readonly value: string };

/** Applies writes and answers reads; the leader also forwards every write to the follower. */
class Replica implements SimNode<Msg> {
  private value: string | null = null;
  constructor(private readonly ctx: NodeContext<Msg>) {}
  onMessage(from: NodeId, msg: Msg): void {
    if (msg.type === 'put') {
      this.value = msg.value;
      this.ctx.send('follower', { type: 'replicate', value: msg.value }); // asynchronous replication
      this.ctx.send(from, { type: 'ack', id: msg.id, value: null });
    } else if (msg.type === 'get') {
      this.ctx.send(from, { type: 'ack', id: msg.id, value: this.value });
    } else if (msg.type === 'replicate') {
      this.value = msg.value;
    }
  }
}

/** Writes to the leader, reads from `readFrom`; gives up on a request after 50 ms (outcome unknown). */
class Client implements SimNode<Msg> {
  private op: { id: number; timer: number; f: 'put' | 'get' } | undefined;
  private done = 0;
  constructor(
    private readonly ctx: NodeContext<Msg>,
    private readonly history: History<KvInput, KvOutput>,
    private readonly readFrom: NodeId,
  ) {}
  onStart(): void {
    this.next();
  }
  private next(): void {
    if (this.done++ >= 15) return;
    const write = this.ctx.random.chance(0.5);
    const input: KvInput = write ? { f: 'put', key: 'x', value: `${this.ctx.id}-${this.done}` } : { f: 'get', key: 'x' };
    const id = this.history.invoke(this.ctx.id, input);
    this.op = { id, timer: this.ctx.setTimer('timeout', 50), f: input.f === 'put' ? 'put' : 'get' };
    if (input.f === 'put') this.ctx.send('leader', { type: 'put', id, value: input.value });
    else this.ctx.send(this.readFrom, { type: 'get', id });
  }
  onMessage(_from: NodeId, msg: Msg): void {
    if (msg.type !== 'ack' || this.op?.id !== msg.id) return; // a late reply to an abandoned request
    this.ctx.cancelTimer(this.op.timer);
    if (this.op.f === 'get') this.history.ok(msg.id, msg.value);
    else this.history.ok(msg.id);
    this.op = undefined;
    this.next();
  }
  onTimer(): void {
    this.history.info(this.op!.id);
    this.op = undefined;
    this.next();
  }
}

function runRegister(seed: number, readFrom: NodeId): History<KvInput, KvOutput> {
  // The history exists before the simulation, whose constructor starts the clients; until the
  // simulation exists the virtual time is 0.
  let sim: Simulation<Msg> | undefined;
  const history = new History<KvInput, KvOutput>(() => sim?.now ?? 0);
  sim = new Simulation<Msg>({
    seed,
    nodes: ['leader', 'follower', 'c1', 'c2', 'c3'],
    network: { latency: { kind: 'uniform', minMs: 1, maxMs: 30 }, lossRate: 0.05 },
    factory: (ctx) => (ctx.id.startsWith('c') ? new Client(ctx, history, readFrom) : new Replica(ctx)),
    trace: false,
  });
  sim.runUntilQuiet();
  return history;
}

describe('the checker on simulated systems', () => {
  it('reading from the leader is linearizable, despite lost messages and timeouts', () => {
    forEachSeed(10, (seed) => {
      const result = checkLinearizability(runRegister(seed, 'leader').operations(), kvModel);
      expect(result.verdict, because(result.explanation, 'Linearizability')).toBe('ok');
    });
  });

  it('reading from an asynchronously updated follower is caught, with virtual times in the explanation', () => {
    const verdicts = [1, 2, 3, 4, 5].map((seed) => checkLinearizability(runRegister(seed, 'follower').operations(), kvModel));
    const illegal = verdicts.filter((v) => v.verdict === 'illegal');
    expect(illegal.length, because('a lagging replica serves stale reads', 'Linearizability')).toBeGreaterThan(0);
    expect(illegal[0]!.explanation).toMatch(/virtual time \d+\.\d{3}\.\.\d+\.\d{3} ms/);
  });
});
