import { describe, expect, it } from 'vitest';
import { Simulation, type NodeContext, type NodeId, type SimNode } from '../../shared/sim/index.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { forEachSimulation } from '../../shared/testing/simulation.js';
import { Gossip, type TestMessage } from './support/nodes.js';

const TRACE = 'Reading a failure';

type Mutable = { type: 'ping'; n: number; body: number[] };

/** Sends one message, then changes the object it sent; the receiver changes what it got. */
class Mutator implements SimNode<Mutable> {
  constructor(private readonly ctx: NodeContext<Mutable>) {}
  onStart(): void {
    if (this.ctx.id !== 'a') return;
    const message: Mutable = { type: 'ping', n: 1, body: [1] };
    this.ctx.send('b', message);
    message.n = 99;
    message.body.push(2);
  }
  onMessage(_from: NodeId, msg: Mutable): void {
    msg.body.push(3);
  }
}

function failingSweep(sweep: (scenario: (seed: number) => void) => void, trace: boolean): string {
  try {
    sweep((seed) => {
      const sim = new Simulation<TestMessage, Gossip>({ seed, nodes: ['a', 'b'], factory: (ctx) => new Gossip(ctx, 3), trace });
      sim.runUntilQuiet();
      if (seed === 2) throw new Error('replicas diverged');
    });
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('Trace fidelity', () => {
  it('the trace records each message as it was sent, whatever the sender or the receiver does to the object later', () => {
    for (const copyMessages of [true, false]) {
      const sim = new Simulation<Mutable>({ seed: 1, nodes: ['a', 'b'], factory: (ctx) => new Mutator(ctx), copyMessages });
      sim.runUntilQuiet();
      const sent = { type: 'ping', n: 1, body: [1] };
      expect(sim.trace.ofKind('send')[0]!.message, because(`with copyMessages ${copyMessages}, the send shows what was sent`, TRACE)).toEqual(sent);
      expect(sim.trace.ofKind('deliver')[0]!.message, because('the delivery shows what arrived, as sent', TRACE)).toEqual(sent);
      expect(sim.trace.diagram()).toMatch(/ping \{"n":1,"body":\[1\]\}/);
    }
  });

  it('a failing seed of a sweep with the trace off shows the diagram of that run, replayed with the trace on, and the replay command', () => {
    const message = failingSweep((scenario) => forEachSeed(4, scenario), false);
    expect(message).toMatch(/^replicas diverged/);
    expect(message, because('the failing seed is replayed with its trace on to draw it', TRACE)).toMatch(/last events \(the seed replayed with the trace on\)[\s\S]*time ms\s+a\s+b/);
    expect(message).toMatch(/#1 → [ab]/);
    expect(message).toMatch(/Failed with seed 2\. Replay exactly this run with:\n {2}npm run replay -- tests\/shared\/trace-fidelity\.test\.ts --seed 2 --test "a failing seed/);
  });

  it('the replayed diagram is the failing run itself: the same seed, the same events', () => {
    const replayed = failingSweep((scenario) => forEachSeed(4, scenario), false);
    const recorded = failingSweep((scenario) => forEachSimulation(4, scenario), true);
    const diagramOf = (text: string) => text.slice(text.indexOf('time ms'), text.indexOf('\n\nFailed with seed'));
    expect(diagramOf(replayed), because('recording changes no random draw and no event order', TRACE)).toBe(diagramOf(recorded));
  });

  it('a sweep that builds no simulation runs each seed once and adds only the seed and the command', () => {
    let runs = 0;
    let message = '';
    try {
      forEachSeed(3, (seed) => {
        runs++;
        if (seed === 2) throw new Error('wrong sum');
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(runs, because('nothing to draw: the failing seed is not run again', TRACE)).toBe(2);
    expect(message).not.toMatch(/last events/);
    expect(message).toMatch(/Failed with seed 2/);
  });
});
