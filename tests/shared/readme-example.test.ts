import { describe, expect, it } from 'vitest';
import { Simulation, type NodeContext, type NodeId, type SimNode } from '../../shared/sim/index.js';
import { because } from '../../shared/testing/explain.js';

// The example of shared/README.md, kept here so that it keeps working.
type Msg = { type: 'ping'; n: number } | { type: 'pong'; n: number };

class Pinger implements SimNode<Msg> {
  pongs = 0;
  constructor(private readonly ctx: NodeContext<Msg>) {}
  onStart(): void {
    if (this.ctx.id === 'a') this.ctx.setTimer('ping', 10);
  }
  onTimer(): void {
    this.ctx.send('b', { type: 'ping', n: this.pongs });
    this.ctx.setTimer('ping', 10);
  }
  onMessage(from: NodeId, msg: Msg): void {
    if (msg.type === 'ping') this.ctx.send(from, { type: 'pong', n: msg.n });
    else this.pongs++;
  }
}

describe('shared/README.md', () => {
  it('the example runs: retries get ten pongs through a lossy link and a partition', () => {
    const sim = new Simulation<Msg, Pinger>({
      seed: 7,
      nodes: ['a', 'b'],
      factory: (ctx) => new Pinger(ctx),
      network: { latency: { kind: 'uniform', minMs: 1, maxMs: 20 }, lossRate: 0.2 },
    });
    sim.after(50, () => sim.network.partition(['a'], ['b']));
    sim.after(200, () => sim.network.heal());
    sim.runUntil(() => sim.node('a').pongs >= 10, { withinMs: 10_000 });
    expect(sim.now, because('no pong crosses the partition', 'The shared bench')).toBeGreaterThan(200);
    expect(sim.trace.diagram({ last: 20 }).split('\n').length).toBeGreaterThan(20);
  });
});
