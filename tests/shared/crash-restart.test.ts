import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import type { FileHandle } from '../../shared/fs/file-system.js';
import {
  Simulation,
  StaleNodeError,
  type NodeContext,
  type NodeId,
  type SimNode,
} from '../../shared/sim/index.js';
import { because } from '../../shared/testing/explain.js';
import { Recorder, type TestMessage } from './support/nodes.js';
import { TinyDisk } from './support/tiny-disk.js';

/** Counts messages in memory; keeps the count on disk only when told to sync. */
class Counter implements SimNode<TestMessage> {
  inMemory = 0;
  recovered = 0;
  timerFired = false;
  handle: FileHandle | undefined;

  constructor(readonly ctx: NodeContext<TestMessage>) {}

  onStart(): void {
    const disk = this.ctx.disk;
    this.handle = disk.open('count', 'create');
    const bytes = this.handle.read(0, 16);
    this.recovered = bytes.length === 0 ? 0 : Number(fromUtf8(bytes));
    this.inMemory = this.recovered;
    this.ctx.setTimer('late', 100);
  }

  onMessage(_from: NodeId, msg: TestMessage): void {
    this.inMemory++;
    this.handle!.truncate(0);
    this.handle!.write(0, utf8(String(this.inMemory)));
    if (msg.n === 1) this.handle!.sync();
  }

  onTimer(): void {
    this.timerFired = true;
  }
}

function counterSim(): { sim: Simulation<TestMessage, SimNode<TestMessage>>; disks: Map<NodeId, TinyDisk> } {
  const disks = new Map<NodeId, TinyDisk>();
  const sim = new Simulation<TestMessage>({
    seed: 1,
    nodes: ['client', 'db'],
    factory: (ctx) => (ctx.id === 'db' ? new Counter(ctx) : new Recorder(ctx)),
    disk: (id) => {
      const disk = new TinyDisk();
      disks.set(id, disk);
      return disk;
    },
    network: { latency: { kind: 'fixed', ms: 1 } },
  });
  return { sim, disks };
}

const send = (sim: Simulation<TestMessage>, n: number) => (sim.node('client') as Recorder).ctx.send('db', { type: 'ping', n });

describe('Crash and restart', () => {
  it('a restarted node is a fresh instance that sees only what its predecessor synced', () => {
    const { sim, disks } = counterSim();
    send(sim, 1); // synced
    send(sim, 0); // written, not synced
    sim.runUntilQuiet({ maxEvents: 3 });
    const before = sim.node('db') as Counter;
    expect(before.inMemory).toBe(2);
    sim.crash('db');
    sim.restart('db');
    const after = sim.node('db') as Counter;
    expect(after, because('a restart builds a new instance', 'Crash and restart')).not.toBe(before);
    expect(after.ctx.incarnation).toBe(1);
    expect(after.recovered, because('only synced data survives a crash', 'Crash and restart')).toBe(1);
    expect(disks.get('db')!.crashes, because('crashing a node crashes its disk', 'Crash and restart')).toBe(1);
    expect(sim.stats.fsyncs).toBe(1);
  });

  it('a crashed node loses its timers: none fires, even after a restart', () => {
    const { sim } = counterSim();
    sim.runFor(50);
    const first = sim.node('db') as Counter;
    sim.crash('db');
    sim.runFor(10);
    sim.restart('db'); // t = 60: the new instance sets its own timer for t = 160
    sim.runFor(60); // t = 120: the old timer (t = 100) must not fire
    expect(first.timerFired).toBe(false);
    expect((sim.node('db') as Counter).timerFired).toBe(false);
    expect(sim.trace.ofKind('timer').filter((t) => t.node === 'db').length).toBe(0);
    sim.runFor(50);
    expect((sim.node('db') as Counter).timerFired).toBe(true);
  });

  it('messages in flight to a crashed node vanish, even if it restarts before they arrive', () => {
    const { sim } = counterSim();
    sim.network.configure({ latency: { kind: 'fixed', ms: 10 } });
    send(sim, 5);
    sim.runFor(2);
    sim.crash('db');
    sim.restart('db');
    sim.runUntilQuiet();
    expect((sim.node('db') as Counter).inMemory).toBe(0);
    expect(sim.trace.ofKind('drop').map((d) => d.reason)).toEqual(['crash']);
  });

  it('messages in flight from a crashed node vanish too', () => {
    const sim = new Simulation<TestMessage, Recorder>({
      seed: 1,
      nodes: ['a', 'b'],
      factory: (ctx) => new Recorder(ctx),
      network: { latency: { kind: 'fixed', ms: 10 } },
    });
    sim.node('a').ctx.send('b', { type: 'ping', n: 1 });
    sim.runFor(5);
    sim.crash('a');
    sim.runUntilQuiet();
    expect(sim.node('b').received).toEqual([]);
  });

  it('the old incarnation can never act again: every context method and disk handle throws StaleNodeError', () => {
    const { sim } = counterSim();
    const old = sim.node('db') as Counter;
    sim.crash('db');
    const attempts: Array<[string, () => unknown]> = [
      ['send', () => old.ctx.send('client', { type: 'pong', n: 1 })],
      ['setTimer', () => old.ctx.setTimer('x', 1)],
      ['cancelTimer', () => old.ctx.cancelTimer(1)],
      ['now', () => old.ctx.now()],
      ['random', () => old.ctx.random.float()],
      ['disk', () => old.ctx.disk],
      ['log', () => old.ctx.log('zombie')],
      ['old file handle', () => old.handle!.write(0, utf8('9'))],
    ];
    for (const [what, attempt] of attempts) {
      expect(attempt, because(`a zombie must not ${what}`, 'Crash and restart')).toThrow(StaleNodeError);
    }
    sim.restart('db');
    // Still stale after the restart: the new incarnation has its own context.
    expect(() => old.ctx.send('client', { type: 'pong', n: 1 })).toThrow(StaleNodeError);
    expect(() => old.handle!.sync()).toThrow(StaleNodeError);
    expect((sim.node('db') as Counter).ctx.now()).toBe(0);
  });

  it('misuse is reported: a crashed node has no instance, and crash/restart must alternate', () => {
    const { sim } = counterSim();
    sim.crash('db');
    expect(() => sim.node('db')).toThrow(UsageError);
    expect(sim.isUp('db')).toBe(false);
    expect(() => sim.crash('db')).toThrow(UsageError);
    sim.restart('db');
    expect(() => sim.restart('db')).toThrow(UsageError);
    expect(sim.trace.ofKind('restart')).toEqual([{ kind: 'restart', time: 0, node: 'db', incarnation: 1 }]);
  });

  it('a node without a disk gets a usage error when it touches one', () => {
    const sim = new Simulation<TestMessage, Recorder>({ seed: 1, nodes: ['a'], factory: (ctx) => new Recorder(ctx) });
    expect(() => sim.node('a').ctx.disk).toThrow(UsageError);
  });
});
