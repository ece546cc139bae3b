/**
 * DurableMemoryKV, the store nodes of the distributed chapters keep their state in: what a
 * crash keeps (exactly what was synced), batches that survive whole or not at all, reopening,
 * compaction, checksums. See the module comment of shared/durable-memory-kv.ts.
 */

import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { DurableMemoryKV, type DurableMemoryKVOptions } from '../../shared/durable-memory-kv.js';
import { CorruptionError, UsageError } from '../../shared/errors.js';
import { SimDisk, SimulatedCrash, type CrashOptions, type UnsyncedWrites } from '../../shared/fs/sim-disk.js';
import type { BatchOp, OrderedKV } from '../../shared/kv.js';
import { Random } from '../../shared/random.js';
import { Simulation, type NodeContext, type NodeId, type SimNode } from '../../shared/sim/index.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';

const RULES = 'shared/durable-memory-kv.ts';
const MODES: readonly UnsyncedWrites[] = ['drop', 'keep', 'tear-last', 'random-prefix', 'any-subset'];
/** Every crash the simulated disk can do: each way of treating unsynced writes, with names lost or kept. */
const CRASHES: readonly CrashOptions[] = MODES.flatMap((unsyncedWrites) => [
  { unsyncedWrites, unsyncedDirOps: 'lose' as const },
  { unsyncedWrites, unsyncedDirOps: 'keep' as const },
]);
const DIR = 'node/kv';

function open(disk: SimDisk, options: Partial<DurableMemoryKVOptions> = {}): DurableMemoryKV {
  return new DurableMemoryKV(disk, { dir: DIR, ...options });
}

/** The store's contents as `key=value` text, in key order. */
function contents(kv: OrderedKV): string[] {
  return [...kv.scan()].map((e) => `${fromUtf8(e.key)}=${fromUtf8(e.value)}`);
}

/** The same, for a model map. */
function modelContents(model: ReadonlyMap<string, string>): string[] {
  return [...model].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
}

const put = (key: string, value: string): BatchOp => ({ type: 'put', key: utf8(key), value: utf8(value) });

describe('DurableMemoryKV: a crash keeps exactly what was synced', () => {
  it('unsynced writes are lost in every crash mode, even a process crash that keeps what the OS had', () => {
    for (const crash of CRASHES) {
      const disk = new SimDisk(new Random(1));
      const kv = open(disk);
      kv.put(utf8('a'), utf8('1'));
      kv.put(utf8('b'), utf8('2'));
      kv.sync();
      kv.put(utf8('a'), utf8('changed'));
      kv.delete(utf8('b'));
      kv.put(utf8('c'), utf8('new'));
      expect(kv.pendingOps).toBe(3);
      disk.crash(crash);
      expect(contents(open(disk)), because(`after a crash (${crash.unsyncedWrites}, names ${crash.unsyncedDirOps}) the store is exactly as at the last sync: unsynced writes never left memory`, RULES)).toEqual(['a=1', 'b=2']);
    }
  });

  it('synced writes survive, and nothing else appears, over random writes, syncs, reopens and crashes (many seeds)', () => {
    forEachSeed(40, (seed) => {
      const random = new Random(seed);
      const disk = new SimDisk(random.fork());
      let kv = open(disk, { compactBytes: 512 });
      const model = new Map<string, string>();
      let synced = new Map<string, string>();
      for (let step = 0; step < 120; step++) {
        const roll = random.float();
        const key = `k${random.int(0, 15)}`;
        if (roll < 0.45) {
          const value = `v${step}-`.padEnd(random.int(1, 300), '.');
          kv.put(utf8(key), utf8(value));
          model.set(key, value);
        } else if (roll < 0.6) {
          kv.delete(utf8(key));
          model.delete(key);
        } else if (roll < 0.7) {
          const ops = [put(key, `b${step}`), { type: 'delete' as const, key: utf8(`k${random.int(0, 15)}`) }];
          kv.batch(ops);
          model.set(key, `b${step}`);
          model.delete(fromUtf8(ops[1]!.key));
        } else if (roll < 0.85) {
          kv.sync();
          synced = new Map(model);
        } else if (roll < 0.9) {
          kv.close();
          synced = new Map(model);
          kv = open(disk, { compactBytes: 512 });
        } else {
          const crash = CRASHES[random.int(0, CRASHES.length - 1)]!;
          disk.crash(crash);
          kv = open(disk, { compactBytes: 512 });
          model.clear();
          for (const [k, v] of synced) model.set(k, v);
          expect(contents(kv), because(`after a crash (${crash.unsyncedWrites}, names ${crash.unsyncedDirOps}) at step ${step}, the store holds exactly the state of the last sync`, RULES)).toEqual(modelContents(synced));
        }
        expect(kv.size).toBe(model.size);
      }
      expect(contents(kv), because('reads see every write at once, synced or not', RULES)).toEqual(modelContents(model));
    });
  });

  it("under 'every-write' each write is durable when it returns", () => {
    const disk = new SimDisk(new Random(1));
    const kv = open(disk, { syncPolicy: 'every-write' });
    kv.put(utf8('a'), utf8('1'));
    kv.batch([put('b', '2'), put('c', '3')]);
    kv.delete(utf8('a'));
    expect(kv.pendingOps).toBe(0);
    disk.crash({ unsyncedWrites: 'drop' });
    expect(contents(open(disk)), because("'every-write' syncs before put, delete and batch return", RULES)).toEqual(['b=2', 'c=3']);
  });

  it('a batch survives a crash at any call of its sync whole or not at all, in every crash mode', () => {
    const big = 'x'.repeat(700); // the batch spans several sectors
    const before = ['keep=1', 'old=1'];
    const after = ['a=' + big, 'b=' + big, 'c=' + big, 'keep=1'];
    forEachSeed(2, (seed) => {
      for (const crash of CRASHES) {
        for (let call = 1; ; call++) {
          const disk = new SimDisk(new Random(seed * 1000 + call));
          const kv = open(disk);
          kv.batch([put('keep', '1'), put('old', '1')]);
          kv.sync();
          disk.scheduleCrash(call, crash);
          let finished = true;
          try {
            kv.batch([put('a', big), put('b', big), { type: 'delete', key: utf8('old') }, put('c', big)]);
            kv.sync();
          } catch (error) {
            if (!(error instanceof SimulatedCrash)) throw error;
            finished = false;
          }
          disk.cancelScheduledCrash();
          const got = contents(open(disk));
          if (finished) {
            expect(got, because('once sync returns, the batch is durable', RULES)).toEqual(after);
            break;
          }
          expect([before, after], because(`a crash (${crash.unsyncedWrites}) at call ${call} of a sync leaves the batch all there or not at all`, RULES)).toContainEqual(got);
        }
      }
    });
  });
});

describe('DurableMemoryKV: reopening, compaction, checksums', () => {
  it('close syncs; reopening recovers everything, and appends after what it replayed', () => {
    const disk = new SimDisk(new Random(1));
    let kv = open(disk);
    kv.put(utf8('a'), utf8('1'));
    kv.close();
    disk.crash();
    kv = open(disk);
    kv.put(utf8('b'), utf8('2'));
    kv.sync();
    disk.crash();
    expect(contents(open(disk)), because('a reopened store appends after the records it replayed, not over them', RULES)).toEqual(['a=1', 'b=2']);
  });

  it('a sync with nothing pending writes and fsyncs nothing', () => {
    const disk = new SimDisk(new Random(1));
    const kv = open(disk);
    kv.put(utf8('a'), utf8('1'));
    kv.sync();
    const { fsyncs, writes } = disk.stats;
    kv.sync();
    kv.sync();
    expect(disk.stats, because('everything written is already durable', RULES)).toMatchObject({ fsyncs, writes });
  });

  it('a tail a crash damaged is cut off, and the cut synced, before new records follow it', () => {
    forEachSeed(20, (seed) => {
      const disk = new SimDisk(new Random(seed));
      let kv = open(disk);
      kv.put(utf8('a'), utf8('1'));
      kv.sync();
      kv.put(utf8('torn'), utf8('y'.repeat(2000)));
      disk.scheduleCrash(1, { unsyncedWrites: seed % 4 === 0 ? 'any-subset' : 'tear-last' });
      expect(() => kv.sync()).toThrow(SimulatedCrash);
      kv = open(disk);
      const recovered = contents(kv);
      expect(recovered, because('the interrupted sync is all there or not at all', RULES)).toContain('a=1');
      const log = disk.files().find((f) => f.startsWith(`${DIR}/`))!;
      expect(disk.durableContents(log), because('recovery truncates a damaged tail and syncs the cut: unsynced, a crash could undo the cut', RULES)).toEqual(disk.contents(log));
      // The next sync is interrupted at its fsync, by a crash that keeps any subset of sectors:
      // had the cut not been synced, sectors of the damaged tail could come back in the new record.
      kv.put(utf8('b'), utf8('z'.repeat(3000)));
      disk.scheduleCrash(2, { unsyncedWrites: 'any-subset' });
      expect(() => kv.sync()).toThrow(SimulatedCrash);
      let got: string[];
      try {
        got = contents(open(disk));
      } catch (error) {
        throw new Error(because(`the store does not reopen (${String(error)}): recovery must truncate a damaged tail and sync the cut before appending after it`, RULES));
      }
      expect([recovered, [...recovered, `b=${'z'.repeat(3000)}`].sort()], because('the interrupted sync is all there or not at all', RULES)).toContainEqual(got);
    });
  });

  it('a flipped byte in a synced record raises a CorruptionError naming the log', () => {
    const disk = new SimDisk(new Random(1));
    const kv = open(disk);
    for (let i = 0; i < 5; i++) {
      kv.put(utf8(`k${i}`), utf8(`v${i}`));
      kv.sync();
    }
    kv.close();
    const log = disk.files().find((f) => f.startsWith(`${DIR}/`))!;
    const size = disk.contents(log).length;
    for (let at = 0; at < size; at += 3) {
      disk.flipByte(log, at, 0x08);
      let error: unknown;
      try {
        open(disk);
      } catch (e) {
        error = e;
      }
      expect(error, because(`flipping byte ${at} of the log is corruption, never silently dropped data`, RULES)).toBeInstanceOf(CorruptionError);
      expect((error as CorruptionError).file).toBe(log);
      disk.flipByte(log, at, 0x08);
    }
  });

  it('compaction keeps the log small when keys are overwritten, and a crash at any call of it loses nothing synced', () => {
    const disk = new SimDisk(new Random(1));
    const kv = open(disk, { compactBytes: 1000 });
    for (let i = 0; i < 500; i++) kv.put(utf8(`k${i % 5}`), utf8(`v${i}`));
    kv.sync();
    for (let i = 0; i < 300; i++) {
      kv.put(utf8(`k${i % 5}`), utf8(`w${i}`));
      kv.sync();
    }
    expect(kv.logBytes, because('the log is rewritten as a snapshot once it doubles', RULES)).toBeLessThan(2000);
    expect(disk.files().filter((f) => f.startsWith(`${DIR}/`)), because('a compaction removes the log it replaced', RULES)).toHaveLength(1);
    const expected = ['k0=w295', 'k1=w296', 'k2=w297', 'k3=w298', 'k4=w299'];
    for (const [n, crash] of CRASHES.entries()) {
      for (let call = 1; ; call++) {
        const d = new SimDisk(new Random(n * 100 + call));
        const store = open(d);
        for (let i = 0; i < 20; i++) store.put(utf8(`k${i % 5}`), utf8(`w${280 + i}`));
        store.sync();
        d.scheduleCrash(call, crash);
        let finished = true;
        try {
          store.compact();
        } catch (error) {
          if (!(error instanceof SimulatedCrash)) throw error;
          finished = false;
        }
        d.cancelScheduledCrash();
        let reopened: DurableMemoryKV;
        try {
          reopened = open(d);
        } catch (error) {
          throw new Error(because(`after a crash (${crash.unsyncedWrites}, names ${crash.unsyncedDirOps}) at call ${call} of a compaction the store does not reopen: ${String(error)}`, RULES));
        }
        expect(contents(reopened), because(`a crash (${crash.unsyncedWrites}, names ${crash.unsyncedDirOps}) at call ${call} of a compaction loses no synced write`, RULES)).toEqual(expected);
        if (finished) break;
      }
    }
  });

  it('every call on a closed store raises a UsageError; closing twice is harmless', () => {
    const kv = open(new SimDisk(new Random(1)));
    kv.close();
    kv.close();
    expect(() => kv.get(utf8('a')), because('a closed store has released its log', RULES)).toThrow(UsageError);
    expect(() => kv.put(utf8('a'), utf8('1'))).toThrow(UsageError);
    expect(() => kv.scan()).toThrow(UsageError);
    expect(() => kv.sync()).toThrow(UsageError);
  });

  it('bad options are a UsageError', () => {
    expect(() => open(new SimDisk(new Random(1)), { compactBytes: 0 })).toThrow(UsageError);
    expect(() => new DurableMemoryKV(new SimDisk(new Random(1)), JSON.parse('{"dir": "x", "syncPolicy": "always"}') as DurableMemoryKVOptions)).toThrow(UsageError);
  });
});

// The example of shared/README.md ("A durable store for nodes"), kept here so that it keeps working.
type Msg = { type: 'set'; key: string; value: string } | { type: 'ack'; key: string };

class Replica implements SimNode<Msg> {
  readonly kv: DurableMemoryKV;
  constructor(private readonly ctx: NodeContext<Msg>) {
    this.kv = new DurableMemoryKV(ctx.disk, { dir: 'state' }); // recovers what was synced
  }
  onMessage(from: NodeId, msg: Msg): void {
    if (msg.type !== 'set') return;
    this.kv.put(utf8(msg.key), utf8(msg.value));
    this.kv.sync(); // durable before the acknowledgement leaves
    this.ctx.send(from, { type: 'ack', key: msg.key });
  }
}

describe('DurableMemoryKV in a simulation', () => {
  it('a node that crashes and restarts finds what it synced on its own disk, and only that', () => {
    for (const mode of MODES) {
      const sim = new Simulation<Msg, Replica>({ seed: 3, nodes: ['n1', 'n2'], factory: (ctx) => new Replica(ctx) });
      sim.node('n1').onMessage('n2', { type: 'set', key: 'term', value: '7' });
      sim.runUntilQuiet();
      sim.node('n1').kv.put(utf8('vote'), utf8('n2')); // never synced
      sim.crash('n1', { unsyncedWrites: mode });
      sim.restart('n1');
      expect(contents(sim.node('n1').kv), because(`a restarted node (crash mode ${mode}) sees what it synced before the crash, and no unsynced write`, RULES)).toEqual(['term=7']);
    }
  });
});
