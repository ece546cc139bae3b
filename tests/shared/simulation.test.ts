import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import {
  Simulation,
  SimulationError,
  type NodeContext,
  type NodeId,
  type SimNode,
} from '../../shared/sim/index.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { Gossip, Recorder, type TestMessage } from './support/nodes.js';

const five = ['n1', 'n2', 'n3', 'n4', 'n5'];

function gossipRun(seed: number): Simulation<TestMessage, Gossip> {
  const sim = new Simulation<TestMessage, Gossip>({
    seed,
    nodes: five,
    factory: (ctx) => new Gossip(ctx),
    network: { latency: { kind: 'exponential', minMs: 1, meanMs: 3 }, lossRate: 0.1, duplicateRate: 0.1 },
  });
  sim.after(40, () => sim.network.isolate('n3'), 'isolate n3');
  sim.after(60, () => sim.crash('n4'));
  sim.after(70, () => sim.network.heal());
  sim.after(80, () => sim.restart('n4'));
  sim.runUntilQuiet();
  return sim;
}

describe('Simulation: determinism', () => {
  it('the same seed gives an identical trace, event for event', () => {
    forEachSeed(5, (seed) => {
      const a = gossipRun(seed).trace.toJSON();
      const b = gossipRun(seed).trace.toJSON();
      expect(a === b, because('a seed replays a run exactly', 'Determinism')).toBe(true);
    });
  });

  it('different seeds give different traces', () => {
    const traces = new Set([1, 2, 3, 4, 5].map((seed) => gossipRun(seed).trace.toJSON()));
    expect(traces.size, because('the seed drives every random choice', 'Determinism')).toBe(5);
  });
});

/** Sets a few timers at start and records when each fires. */
class Timers implements SimNode<never> {
  readonly fired: Array<{ name: string; at: number }> = [];
  constructor(private readonly ctx: NodeContext<never>) {}
  onStart(): void {
    this.ctx.setTimer('b', 20);
    this.ctx.setTimer('a', 10);
    const c = this.ctx.setTimer('cancelled', 15);
    this.ctx.setTimer('tie-1', 30);
    this.ctx.setTimer('tie-2', 30);
    this.ctx.cancelTimer(c);
  }
  onMessage(): void {}
  onTimer(name: string): void {
    this.fired.push({ name, at: this.ctx.now() });
  }
}

describe('Simulation: virtual time and timers', () => {
  it('timers fire at the virtual time asked for; a cancelled timer never fires; ties keep their order', () => {
    const sim = new Simulation<never, Timers>({ seed: 1, nodes: ['t'], factory: (ctx) => new Timers(ctx) });
    sim.runUntilQuiet();
    expect(sim.node('t').fired, because('timers are events on virtual time', 'Virtual time')).toEqual([
      { name: 'a', at: 10 },
      { name: 'b', at: 20 },
      { name: 'tie-1', at: 30 },
      { name: 'tie-2', at: 30 },
    ]);
    expect(sim.now).toBe(30);
  });

  it('runFor processes exactly the events due in the span and moves the clock to its end', () => {
    const sim = new Simulation<never, Timers>({ seed: 1, nodes: ['t'], factory: (ctx) => new Timers(ctx) });
    expect(sim.runFor(20)).toBe(2);
    expect(sim.now).toBe(20);
    expect(sim.node('t').fired.map((f) => f.name)).toEqual(['a', 'b']);
    sim.runFor(1000);
    expect(sim.now).toBe(1020);
    expect(sim.pending).toBe(0);
  });

  it('ticks arrive every tickMs, do not keep the simulation from being quiet, and stop on a crash', () => {
    class Ticker implements SimNode<never> {
      ticks: number[] = [];
      constructor(private readonly ctx: NodeContext<never>) {}
      onMessage(): void {}
      onTick(): void {
        this.ticks.push(this.ctx.now());
      }
    }
    const sim = new Simulation<never, Ticker>({ seed: 1, nodes: ['a', 'b'], tickMs: 10, factory: (ctx) => new Ticker(ctx) });
    expect(sim.runUntilQuiet()).toBe(0);
    sim.runFor(35);
    expect(sim.node('a').ticks).toEqual([10, 20, 30]);
    sim.crash('b');
    sim.runFor(20);
    sim.restart('b');
    sim.runFor(25);
    expect(sim.node('a').ticks).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    expect(sim.node('b').ticks, because('a restarted node starts its own tick chain', 'Crash and restart')).toEqual([65, 75]);
  });
});

/** Two nodes that answer each other forever: a livelock. */
class Forever implements SimNode<TestMessage> {
  constructor(private readonly ctx: NodeContext<TestMessage>) {}
  onStart(): void {
    if (this.ctx.id === 'a') this.ctx.send('b', { type: 'ping', n: 0 });
  }
  onMessage(from: NodeId, msg: TestMessage): void {
    this.ctx.send(from, { type: 'ping', n: msg.n + 1 });
  }
}

describe('Simulation: running until', () => {
  it('runUntil stops as soon as the condition holds', () => {
    const sim = new Simulation<TestMessage, Gossip>({ seed: 3, nodes: five, factory: (ctx) => new Gossip(ctx) });
    sim.runUntil(() => sim.node('n1').pongsReceived >= 3);
    expect(sim.node('n1').pongsReceived).toBe(3);
  });

  it('a livelock exhausts the event budget and fails loudly with the last events', () => {
    const sim = new Simulation<TestMessage>({ seed: 1, nodes: ['a', 'b'], factory: (ctx) => new Forever(ctx), maxEvents: 500 });
    let error: unknown;
    try {
      sim.runUntilQuiet();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimulationError);
    expect((error as SimulationError).reason).toBe('budget');
    expect((error as SimulationError).message).toMatch(/livelock[\s\S]*last events:[\s\S]*ping/);
  });

  it('runUntil reports a quiet simulation whose condition can never hold, and a missed deadline', () => {
    const quiet = new Simulation<TestMessage, Gossip>({ seed: 1, nodes: five, factory: (ctx) => new Gossip(ctx, 2) });
    expect(() => quiet.runUntil(() => false)).toThrow(SimulationError);
    const busy = new Simulation<TestMessage>({ seed: 1, nodes: ['a', 'b'], factory: (ctx) => new Forever(ctx) });
    try {
      busy.runUntil(() => false, { withinMs: 100 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SimulationError);
      expect((e as SimulationError).reason).toBe('deadline');
      expect(busy.now).toBe(100);
    }
  });

  it('actions scheduled by the test run at their time, in order, and are noted in the trace', () => {
    const sim = new Simulation<TestMessage>({ seed: 1, nodes: ['a'], factory: (ctx) => new Recorder(ctx) });
    const log: string[] = [];
    sim.at(5, () => log.push(`second at ${sim.now}`));
    sim.at(2, () => log.push(`first at ${sim.now}`), 'the first step');
    sim.runUntilQuiet();
    expect(log).toEqual(['first at 2', 'second at 5']);
    expect(sim.trace.ofKind('note').map((n) => n.text)).toEqual(['the first step']);
    expect(() => sim.at(1, () => {})).toThrow(UsageError);
  });
});

describe('Simulation: messages', () => {
  it('a receiver gets its own copy: mutating a received message cannot change the sender or other copies', () => {
    class Mutator implements SimNode<TestMessage> {
      readonly body = [1, 2, 3];
      got: number[] = [];
      constructor(private readonly ctx: NodeContext<TestMessage>) {}
      onStart(): void {
        if (this.ctx.id === 'a') {
          this.ctx.send('b', { type: 'ping', n: 1, body: this.body });
          this.body.push(4); // after sending: the message already left
        }
      }
      onMessage(_from: NodeId, msg: TestMessage): void {
        if (msg.type === 'ping' && msg.body) {
          this.got = [...msg.body];
          msg.body.push(99);
        }
      }
    }
    const sim = new Simulation<TestMessage, Mutator>({ seed: 1, nodes: ['a', 'b'], factory: (ctx) => new Mutator(ctx) });
    sim.runUntilQuiet();
    expect(sim.node('b').got, because('a message is a snapshot taken when sent', 'Messages')).toEqual([1, 2, 3]);
    expect(sim.node('a').body).toEqual([1, 2, 3, 4]);
  });

  it('sending to an unknown node is a usage error naming the known nodes', () => {
    class Lost implements SimNode<TestMessage> {
      constructor(private readonly ctx: NodeContext<TestMessage>) {}
      onStart(): void {
        this.ctx.send('nobody', { type: 'ping', n: 0 });
      }
      onMessage(): void {}
    }
    expect(() => new Simulation<TestMessage>({ seed: 1, nodes: ['a'], factory: (ctx) => new Lost(ctx) })).toThrow(
      /unknown node "nobody".*a/,
    );
  });

  it('counters agree with the recorded events', () => {
    const sim = gossipRun(9);
    const t = sim.trace;
    expect(sim.stats.messagesSent).toBe(t.ofKind('send').length);
    expect(sim.stats.messagesDelivered).toBe(t.ofKind('deliver').length);
    expect(sim.stats.messagesDropped).toBe(t.ofKind('drop').length);
    expect(sim.stats.messagesDuplicated).toBe(t.ofKind('duplicate').length);
    expect(sim.stats.messagesDelivered + sim.stats.messagesDropped).toBe(
      sim.stats.messagesSent + sim.stats.messagesDuplicated,
    );
    expect(sim.stats.bytesSent).toBeGreaterThan(0);
  });
});
