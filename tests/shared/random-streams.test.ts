import { describe, expect, it } from 'vitest';
import { Random, streamSeed } from '../../shared/random.js';
import { Simulation, type NodeContext, type NodeId, type SimNode } from '../../shared/sim/index.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import type { TestMessage } from './support/nodes.js';

const SECTION = 'One random stream per link';

/** How node `a` behaves in one run; `b` and `c` behave the same in every run. */
interface Plan {
  /** Messages `a` sends to `b` and to `c` every period. */
  readonly toB: number;
  readonly toC: number;
  /** Whether `a` sends to `c` before `b`. */
  readonly cFirst: boolean;
}

/** Every 3 ms, for 20 rounds: `a` follows its plan, `c` sends one ping to `b`. Records arrivals. */
class Sender implements SimNode<TestMessage> {
  readonly received: Array<{ from: NodeId; n: number; at: number }> = [];
  private round = 0;
  constructor(
    private readonly ctx: NodeContext<TestMessage>,
    private readonly plan: Plan,
  ) {}
  onStart(): void {
    if (this.ctx.id !== 'b') this.ctx.setTimer('round', 3);
  }
  onTimer(): void {
    this.round++;
    if (this.ctx.id === 'c') this.ctx.send('b', { type: 'ping', n: this.round });
    else this.sendPlanned();
    if (this.round < 20) this.ctx.setTimer('round', 3);
  }
  onMessage(from: NodeId, msg: TestMessage): void {
    this.received.push({ from, n: msg.n, at: this.ctx.now() });
  }
  private sendPlanned(): void {
    const burst = (to: NodeId, count: number) => {
      for (let i = 0; i < count; i++) this.ctx.send(to, { type: 'ping', n: this.round * 100 + i });
    };
    if (this.plan.cFirst) burst('c', this.plan.toC);
    burst('b', this.plan.toB);
    if (!this.plan.cFirst) burst('c', this.plan.toC);
  }
}

/** What `b` received, per sender, in one run. */
function arrivals(seed: number, plan: Plan): { fromA: string[]; fromC: string[] } {
  const sim = new Simulation<TestMessage, Sender>({
    seed,
    nodes: ['a', 'b', 'c'],
    factory: (ctx) => new Sender(ctx, plan),
    network: { latency: { kind: 'exponential', minMs: 1, meanMs: 6 }, lossRate: 0.2, duplicateRate: 0.1 },
    trace: false,
  });
  sim.runUntilQuiet();
  const at = (from: NodeId) =>
    sim
      .node('b')
      .received.filter((r) => r.from === from)
      .map((r) => `${r.n}@${r.at.toFixed(6)}`);
  return { fromA: at('a'), fromC: at('c') };
}

describe('Random streams: each link draws from its own stream', () => {
  it('a node that sends more, fewer or in another order leaves every other link\'s deliveries unchanged', () => {
    forEachSeed(10, (seed) => {
      const base = arrivals(seed, { toB: 2, toC: 1, cFirst: false });
      const variants: Plan[] = [
        { toB: 2, toC: 4, cFirst: false }, // more to c
        { toB: 2, toC: 0, cFirst: false }, // nothing to c
        { toB: 2, toC: 1, cFirst: true }, // the same, in the other order
      ];
      for (const plan of variants) {
        const run = arrivals(seed, plan);
        expect(run.fromC, because(`c→b does not depend on what a sends (${JSON.stringify(plan)})`, SECTION)).toEqual(base.fromC);
        expect(run.fromA, because(`a→b does not depend on what a sends to c (${JSON.stringify(plan)})`, SECTION)).toEqual(base.fromA);
      }
      const more = arrivals(seed, { toB: 3, toC: 1, cFirst: false });
      expect(more.fromC, because('c→b does not depend on how much a sends to b either', SECTION)).toEqual(base.fromC);
    });
  });

  it('a node\'s own random stream does not depend on what other nodes draw', () => {
    class Drawer implements SimNode<never> {
      readonly draws: number[] = [];
      constructor(private readonly ctx: NodeContext<never>, private readonly extra: number) {}
      onStart(): void {
        const count = this.ctx.id === 'noisy' ? this.extra : 3;
        for (let i = 0; i < count; i++) this.draws.push(this.ctx.random.nextU32());
      }
      onMessage(): void {}
    }
    const quietDraws = (extra: number) =>
      new Simulation<never, Drawer>({ seed: 5, nodes: ['noisy', 'quiet'], factory: (ctx) => new Drawer(ctx, extra) }).node('quiet').draws;
    expect(quietDraws(100), because('each node has its own stream', SECTION)).toEqual(quietDraws(1));
  });

  it('stream seeds are stable functions of the seed and the names, and names do not run together', () => {
    expect(streamSeed(7, 'link', 'a', 'b')).toBe(streamSeed(7, 'link', 'a', 'b'));
    expect(streamSeed(7, 'link', 'a', 'b')).not.toBe(streamSeed(8, 'link', 'a', 'b'));
    expect(streamSeed(7, 'link', 'a', 'b')).not.toBe(streamSeed(7, 'link', 'b', 'a'));
    expect(streamSeed(7, 'ab', 'c'), because('a name ends with a separator', SECTION)).not.toBe(streamSeed(7, 'a', 'bc'));
    expect(Random.stream(7, 'x').nextU32()).toBe(new Random(streamSeed(7, 'x')).nextU32());
    const seeds = new Set<number>();
    for (let seed = 0; seed < 50; seed++) for (const name of ['n1', 'n2', 'n3', 'n4']) seeds.add(streamSeed(seed, 'node', name));
    expect(seeds.size, because('different streams get different seeds', SECTION)).toBe(200);
  });
});
