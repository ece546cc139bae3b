import { describe, expect, it } from 'vitest';
import { bytesEqual, concatBytes, fromUtf8, utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import type { FileHandle } from '../../shared/fs/file-system.js';
import { SimDisk } from '../../shared/fs/sim-disk.js';
import {
  Simulation,
  StaleNodeError,
  type NodeContext,
  type NodeId,
  type SimNode,
} from '../../shared/sim/index.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { Recorder, type TestMessage } from './support/nodes.js';

/** Counts messages in memory; keeps the count on disk only when told to sync. */
class Counter implements SimNode<TestMessage> {
  inMemory = 0;
  recovered = 0;
  timerFired = false;
  handle: FileHandle | undefined;

  constructor(readonly ctx: NodeContext<TestMessage>) {}

  onStart(): void {
    const disk = this.ctx.disk;
    const fresh = !disk.exists('count');
    this.handle = disk.open('count', 'create');
    if (fresh) disk.syncDir(''); // make the new file's name durable
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

function counterSim(): { sim: Simulation<TestMessage, SimNode<TestMessage>> } {
  const sim = new Simulation<TestMessage>({
    seed: 1,
    nodes: ['client', 'db'],
    factory: (ctx) => (ctx.id === 'db' ? new Counter(ctx) : new Recorder(ctx)),
    network: { latency: { kind: 'fixed', ms: 1 } },
  });
  return { sim };
}

const send = (sim: Simulation<TestMessage>, n: number) => (sim.node('client') as Recorder).ctx.send('db', { type: 'ping', n });

describe('Crash and restart', () => {
  it('a restarted node is a fresh instance that sees only what its predecessor synced', () => {
    const { sim } = counterSim();
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
    expect(sim.disk('db')).toBeInstanceOf(SimDisk);
    expect(sim.stats.fsyncs, because('the trace counts fsyncs and directory syncs', 'Trace')).toBe(2);
    expect(sim.stats.diskBytesWritten).toBe(2);
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

  it('each node has its own disk, kept across restarts', () => {
    const sim = new Simulation<TestMessage, Recorder>({ seed: 1, nodes: ['a', 'b'], factory: (ctx) => new Recorder(ctx) });
    sim.node('a').ctx.disk.mkdir('data');
    expect(sim.node('b').ctx.disk.exists('data')).toBe(false);
    const disk = sim.disk('a');
    sim.crash('a');
    sim.restart('a');
    expect(sim.disk('a')).toBe(disk);
    expect(sim.node('a').ctx.disk.exists('data'), because('mkdir is durable at once on SimDisk', 'Crash and restart')).toBe(true);
  });

  it('crash and restart keep exactly the synced records, and a torn last write leaves only a prefix', () => {
    forEachSeed(20, (seed) => {
      const sim = new Simulation<TestMessage, Appender>({ seed, nodes: ['log'], factory: (ctx) => new Appender(ctx) });
      const synced = sim.node('log').appendRecords(3, true);
      const unsynced = sim.node('log').appendRecords(2, false);
      const full = concatBytes(synced, unsynced);
      sim.crash('log', { unsyncedWrites: 'tear-last' });
      sim.restart('log');
      const survived = sim.node('log').readAll();
      // Everything synced survives; of the unsynced appends, the first survives and the last may be torn.
      expect(survived.length).toBeGreaterThanOrEqual(synced.length + unsynced.length / 2);
      expect(survived.length).toBeLessThan(full.length);
      expect(bytesEqual(survived, full.subarray(0, survived.length)), because('a torn write leaves a prefix', 'Crash and restart')).toBe(true);

      const plain = new Simulation<TestMessage, Appender>({ seed, nodes: ['log'], factory: (ctx) => new Appender(ctx) });
      const kept = plain.node('log').appendRecords(3, true);
      plain.node('log').appendRecords(2, false);
      plain.crash('log');
      plain.restart('log');
      expect(bytesEqual(plain.node('log').readAll(), kept), because('a crash keeps exactly the synced data', 'Crash and restart')).toBe(true);
    });
  });
});

/** Appends 8-byte records to one log file. */
class Appender implements SimNode<TestMessage> {
  private readonly log: FileHandle;
  private next = 0;

  constructor(private readonly ctx: NodeContext<TestMessage>) {
    const fresh = !ctx.disk.exists('log');
    this.log = ctx.disk.open('log', 'create');
    if (fresh) {
      this.log.sync();
      ctx.disk.syncDir('');
    }
  }

  appendRecords(count: number, sync: boolean): Uint8Array {
    const records: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const record = this.ctx.random.bytes(8);
      record[0] = this.next++;
      this.log.append(record);
      records.push(record);
    }
    if (sync) this.log.sync();
    return concatBytes(...records);
  }

  readAll(): Uint8Array {
    return this.log.read(0, this.log.size());
  }

  onMessage(): void {}
}
