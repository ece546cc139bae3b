import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { Simulation, type NodeContext, type SimNode } from '../../shared/sim/index.js';
import { because } from '../../shared/testing/explain.js';
import { Gossip, type TestMessage } from './support/nodes.js';

function smallRun(): Simulation<TestMessage, Gossip> {
  const sim = new Simulation<TestMessage, Gossip>({
    seed: 4,
    nodes: ['n1', 'n2', 'n3'],
    factory: (ctx) => new Gossip(ctx, 2),
    network: { latency: { kind: 'fixed', ms: 3 } },
  });
  sim.after(6, () => sim.crash('n2'));
  sim.after(7, () => sim.network.block('n1', 'n3'));
  sim.after(12, () => sim.restart('n2'));
  sim.runUntilQuiet();
  return sim;
}

describe('Trace: the record of a run', () => {
  it('the space-time diagram has a column per node, marks crashes and restarts, and names messages', () => {
    const diagram = smallRun().trace.diagram();
    const lines = diagram.split('\n');
    expect(lines[0]).toMatch(/time ms\s+n1\s+n2\s+n3\s+detail/);
    expect(diagram).toMatch(/CRASH/);
    expect(diagram).toMatch(/RESTART \(1\)/);
    expect(diagram).toMatch(/#1 → n\d.*ping \{"n":1\}/);
    expect(diagram).toMatch(/network: block n1→n3/);
    // While n2 is down its column shows a dot instead of a lifeline.
    const crashedAt = lines.findIndex((l) => l.includes('CRASH'));
    expect(lines[crashedAt + 1]!.split(/\s{2,}/)).toContain('·');
  });

  it('the diagram can show only the tail of a long run', () => {
    const diagram = smallRun().trace.diagram({ last: 3 });
    const lines = diagram.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/… \d+ earlier events/);
  });

  it('the JSON export holds nodes, counters and every event, with bytes as hex', () => {
    class Bytes implements SimNode<{ type: 'blob'; data: Uint8Array; big: bigint }> {
      constructor(private readonly ctx: NodeContext<{ type: 'blob'; data: Uint8Array; big: bigint }>) {}
      onStart(): void {
        if (this.ctx.id === 'a') this.ctx.send('b', { type: 'blob', data: Uint8Array.of(0, 255), big: 12n });
      }
      onMessage(): void {}
    }
    const sim = new Simulation<{ type: 'blob'; data: Uint8Array; big: bigint }>({
      seed: 1,
      nodes: ['a', 'b'],
      factory: (ctx) => new Bytes(ctx),
    });
    sim.runUntilQuiet();
    const json = JSON.parse(sim.trace.toJSON()) as { nodes: string[]; counters: { messagesSent: number }; events: unknown[] };
    expect(json.nodes).toEqual(['a', 'b']);
    expect(json.counters.messagesSent).toBe(1);
    expect(json.events).toHaveLength(2);
    expect(json.events[0]).toMatchObject({ kind: 'send', from: 'a', to: 'b', id: 1, message: { data: { hex: '00ff' }, big: '12' } });
    expect(sim.trace.diagram()).toMatch(/blob \{"data":\{"hex":"00ff"\},"big":"12"\}/);
  });

  it('with recording off the trace stays empty but the counters still count', () => {
    const sim = new Simulation<TestMessage, Gossip>({ seed: 2, nodes: ['a', 'b'], factory: (ctx) => new Gossip(ctx, 5), trace: false });
    sim.runUntilQuiet();
    expect(sim.trace.events).toEqual([]);
    expect(sim.stats.messagesSent, because('counters are always kept', 'Trace')).toBe(20);
    expect(sim.stats.timersFired).toBe(10);
  });

  it('nodes may only send plain data: a class instance is rejected with a usage error', () => {
    class Payload {
      constructor(readonly x: number) {}
    }
    class Sender implements SimNode<Payload> {
      constructor(private readonly ctx: NodeContext<Payload>) {}
      onStart(): void {
        if (this.ctx.id === 'a') this.ctx.send('b', new Payload(1));
      }
      onMessage(): void {}
    }
    expect(() => new Simulation<Payload>({ seed: 1, nodes: ['a', 'b'], factory: (ctx) => new Sender(ctx) })).toThrow(UsageError);
  });
});
