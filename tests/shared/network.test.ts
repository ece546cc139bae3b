import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { Simulation, type LinkOptions, type NodeContext, type NodeId, type SimNode } from '../../shared/sim/index.js';
import { because } from '../../shared/testing/explain.js';
import { Recorder, type TestMessage } from './support/nodes.js';

/** Node `src` sends `count` numbered pings to `dst`, one per millisecond. */
class Blaster implements SimNode<TestMessage> {
  readonly received: Array<{ from: NodeId; n: number; at: number }> = [];
  private sent = 0;
  constructor(
    private readonly ctx: NodeContext<TestMessage>,
    private readonly count: number,
  ) {}
  onStart(): void {
    if (this.ctx.id === 'src') this.ctx.setTimer('send', 0);
  }
  onTimer(): void {
    const n = ++this.sent;
    this.ctx.send('dst', { type: 'ping', n });
    if (n < this.count) this.ctx.setTimer('send', 1);
  }
  onMessage(from: NodeId, msg: TestMessage): void {
    this.received.push({ from, n: msg.n, at: this.ctx.now() });
  }
}

function blast(seed: number, count: number, network: LinkOptions): Simulation<TestMessage, Blaster> {
  const sim = new Simulation<TestMessage, Blaster>({
    seed,
    nodes: ['src', 'dst'],
    factory: (ctx) => new Blaster(ctx, count),
    network,
    trace: false,
    copyMessages: false,
  });
  sim.runUntilQuiet();
  return sim;
}

/** |measured - p| within `sigmas` standard deviations of a binomial proportion over n trials. */
function withinTolerance(measured: number, p: number, n: number, sigmas = 5): boolean {
  return Math.abs(measured - p) <= sigmas * Math.sqrt((p * (1 - p)) / n);
}

describe('Network: loss, duplication, latency and reordering', () => {
  it('the measured loss rate matches the configured one over 20,000 messages', () => {
    for (const p of [0.01, 0.1, 0.3]) {
      const n = 20_000;
      const sim = blast(42, n, { lossRate: p });
      const measured = sim.stats.messagesDropped / sim.stats.messagesSent;
      expect(
        withinTolerance(measured, p, n),
        because(`configured loss ${p}, measured ${measured.toFixed(4)} (5σ tolerance)`, 'The network'),
      ).toBe(true);
      expect(sim.node('dst').received.length).toBe(n - sim.stats.messagesDropped);
    }
  });

  it('the measured duplication rate matches the configured one, and duplicates are real extra deliveries', () => {
    const n = 20_000;
    const p = 0.05;
    const sim = blast(43, n, { duplicateRate: p });
    const measured = sim.stats.messagesDuplicated / n;
    expect(withinTolerance(measured, p, n), because(`configured ${p}, measured ${measured}`, 'The network')).toBe(true);
    const received = sim.node('dst').received;
    expect(received.length).toBe(n + sim.stats.messagesDuplicated);
    expect(new Set(received.map((r) => r.n)).size, because('a duplicate repeats a sent message', 'The network')).toBe(n);
  });

  it('uniform latency stays in its bounds and reorders; fixed latency keeps a link FIFO', () => {
    const fixed = blast(1, 500, { latency: { kind: 'fixed', ms: 7 } });
    const arrivals = fixed.node('dst').received;
    expect(arrivals.map((r) => r.n)).toEqual(arrivals.map((_, i) => i + 1));
    expect(arrivals.every((r) => r.at === r.n - 1 + 7)).toBe(true);

    const uniform = blast(1, 500, { latency: { kind: 'uniform', minMs: 2, maxMs: 20 } });
    const got = uniform.node('dst').received;
    const delays = got.map((r) => r.at - (r.n - 1));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...delays)).toBeLessThan(20);
    const inversions = got.filter((r, i) => i > 0 && r.n < got[i - 1]!.n).length;
    expect(inversions, because('jittered latency reorders messages on one link', 'The network')).toBeGreaterThan(10);
  });

  it('exponential latency has the configured minimum and mean', () => {
    const n = 20_000;
    const sim = blast(5, n, { latency: { kind: 'exponential', minMs: 3, meanMs: 4 } });
    const delays = sim.node('dst').received.map((r) => r.at - (r.n - 1));
    const mean = delays.reduce((a, b) => a + b, 0) / n;
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(3);
    expect(Math.abs(mean - 7)).toBeLessThan(0.2);
  });

  it('a per-link override changes only that direction, and defaults can change mid-run', () => {
    const sim = new Simulation<TestMessage, Recorder>({ seed: 1, nodes: ['a', 'b'], factory: (ctx) => new Recorder(ctx) });
    sim.network.setLink('a', 'b', { lossRate: 1 });
    expect(sim.network.link('a', 'b').lossRate).toBe(1);
    expect(sim.network.link('b', 'a').lossRate).toBe(0);
    sim.network.configure({ duplicateRate: 1 });
    expect(sim.network.link('b', 'a').duplicateRate).toBe(1);
    expect(sim.network.link('a', 'b').duplicateRate, because('an override keeps its own values', 'The network')).toBe(0);
    expect(() => sim.network.configure({ lossRate: 1.5 })).toThrow(UsageError);
    expect(() => sim.network.configure({ latency: { kind: 'uniform', minMs: 5, maxMs: 1 } })).toThrow(UsageError);
  });
});

/** Every node sends one ping to every other node when poked. */
class AllToAll implements SimNode<TestMessage> {
  readonly from = new Set<NodeId>();
  constructor(private readonly ctx: NodeContext<TestMessage>) {}
  poke(): void {
    for (const peer of this.ctx.peers) this.ctx.send(peer, { type: 'ping', n: 0 });
  }
  onMessage(from: NodeId): void {
    this.from.add(from);
  }
}

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];

/** Which directed links delivered a message when every node pinged every other node. */
function openLinks(cut: (sim: Simulation<TestMessage, AllToAll>) => void): string[] {
  const sim = new Simulation<TestMessage, AllToAll>({ seed: 1, nodes, factory: (ctx) => new AllToAll(ctx) });
  cut(sim);
  for (const id of nodes) sim.node(id).poke();
  sim.runUntilQuiet();
  const open: string[] = [];
  for (const to of nodes) for (const from of sim.node(to).from) open.push(`${from}→${to}`);
  return open.sort();
}

const allLinks = nodes.flatMap((a) => nodes.filter((b) => b !== a).map((b) => `${a}→${b}`)).sort();

describe('Network: partitions block exactly the links they should', () => {
  it('a symmetric partition blocks every link between the groups and no link within a group', () => {
    const open = openLinks((sim) => sim.network.partition(['n1', 'n2'], ['n3', 'n4', 'n5']));
    const side = (id: string) => (id === 'n1' || id === 'n2' ? 0 : 1);
    const expected = allLinks.filter((l) => {
      const [a, b] = l.split('→') as [string, string];
      return side(a) === side(b);
    });
    expect(open, because('a partition cuts exactly the links across it', 'Partitions')).toEqual(expected);
  });

  it('an asymmetric block cuts one direction only', () => {
    const open = openLinks((sim) => sim.network.block('n1', 'n2'));
    expect(open).toEqual(allLinks.filter((l) => l !== 'n1→n2'));
  });

  it('isolating a node cuts all of its links and only its links', () => {
    const open = openLinks((sim) => sim.network.isolate('n3'));
    expect(open).toEqual(allLinks.filter((l) => !l.includes('n3')));
  });

  it('heal reopens every link', () => {
    const open = openLinks((sim) => {
      sim.network.partition(['n1'], ['n2'], ['n3', 'n4']);
      sim.network.block('n5', 'n1');
      sim.network.heal();
    });
    expect(open).toEqual(allLinks);
    expect(() => openLinks((sim) => sim.network.block('n1', 'n1'))).toThrow(UsageError);
    expect(() => openLinks((sim) => sim.network.partition(['n1'], ['nobody']))).toThrow(/unknown node "nobody"/);
    openLinks((sim) => {
      sim.network.partition(['n1', 'n2'], ['n2', 'n3']);
      expect(sim.network.isBlocked('n2', 'n2'), because('a node always reaches itself', 'Partitions')).toBe(false);
      expect(sim.network.isBlocked('n1', 'n3')).toBe(true);
    });
  });

  it('a message in flight when its link is cut is dropped on arrival; one sent after healing arrives', () => {
    const sim = new Simulation<TestMessage, AllToAll>({
      seed: 1,
      nodes: ['n1', 'n2'],
      factory: (ctx) => new AllToAll(ctx),
      network: { latency: { kind: 'fixed', ms: 10 } },
    });
    sim.node('n1').poke();
    sim.after(5, () => sim.network.partition(['n1'], ['n2']));
    sim.runUntilQuiet();
    expect(sim.node('n2').from.size).toBe(0);
    expect(sim.trace.ofKind('drop').map((d) => [d.reason, d.time])).toEqual([['partition', 10]]);
    sim.network.heal();
    sim.node('n1').poke();
    sim.runUntilQuiet();
    expect([...sim.node('n2').from]).toEqual(['n1']);
    expect(sim.trace.ofKind('partition').map((p) => p.change)).toEqual([
      'configure network {"latency":{"kind":"fixed","ms":10}}',
      'partition [n1] | [n2]',
      'heal',
    ]);
  });
});
