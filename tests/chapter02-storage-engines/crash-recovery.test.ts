/**
 * Crashes on the simulated disk, for every engine: what an engine acknowledged under its sync
 * policy survives; nothing that was never written appears; a torn write is dropped.
 */

import { describe, expect, it } from 'vitest';
import type { SimDisk, UnsyncedWrites } from '../../shared/fs/sim-disk.js';
import type { DurableKV } from '../../shared/kv.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { Bitcask } from '@impl/chapter02-storage-engines/bitcask.js';
import { BTree } from '@impl/chapter02-storage-engines/btree.js';
import { LsmTree } from '@impl/chapter02-storage-engines/lsm-tree.js';
import type { SyncPolicy } from '@impl/chapter02-storage-engines/sync-policy.js';
import { appendZeros, b, checkAgainstMap, freshDisk, s, zeroTailLengths } from './helpers.js';

/** The notes sections an engine's failures point to: where its logging and its recovery are taught. */
interface Sections {
  /** Writing the log under a sync policy, and rolling to a new file (the B-tree: its commit). */
  readonly log: string;
  /** Reopening: replaying the log, cutting a torn tail (the B-tree: picking the meta page). */
  readonly recovery: string;
}

interface Engine {
  readonly name: string;
  /** Opens the engine on `disk`; engines without a sync policy ignore `syncPolicy`. */
  readonly open: (disk: SimDisk, syncPolicy: SyncPolicy) => DurableKV;
  readonly sections: Sections;
}

/** Engines with a log and a sync policy: under 'every-write' or 'none', each write reaches the file before it returns. */
const logged: readonly Engine[] = [
  {
    name: 'Bitcask',
    open: (disk, syncPolicy) => new Bitcask(disk, { dir: 'db', segmentBytes: 200, mergeAfterSegments: 3, syncPolicy }),
    sections: { log: '1.3 Segments and merging', recovery: '1.2 The hash index and recovery' },
  },
  {
    name: 'LsmTree',
    open: (disk, syncPolicy) => new LsmTree(disk, { dir: 'db', memtableBytes: 300, blockBytes: 128, tierFanIn: 2, syncPolicy }),
    sections: { log: '2.2 The write-ahead log', recovery: '2.7 The manifest and recovery' },
  },
];

/** Every engine: the B-tree writes only at a commit (`sync` or `close`), its only durability point. */
const engines: readonly Engine[] = [
  ...logged,
  {
    name: 'BTree',
    open: (disk) => BTree.open(disk, 'tree.btree', { cachePages: 8 }),
    sections: { log: '3.6 Crash safety', recovery: '3.6 Crash safety' },
  },
];

type State = Map<string, string>;

function snapshot(kv: DurableKV): State {
  return new Map([...kv.scan()].map((e) => [s(e.key)!, s(e.value)!]));
}

describe.each(logged.map((e) => [e.name, e] as const))('%s crash recovery, with a log', (_name, { open, sections }) => {
  it("under 'every-write', every acknowledged write survives random crashes (model-based)", () => {
    checkAgainstMap((disk) => open(disk, 'every-write'), { section: sections.recovery, crashes: true, numRuns: 30 });
  });

  it("under 'none', a process crash (the OS keeps unsynced writes) loses nothing acknowledged", () => {
    const disk = freshDisk();
    const kv = open(disk, 'none');
    for (let i = 0; i < 40; i++) kv.put(b(`k${i}`), b(`v${i}`));
    disk.crash({ unsyncedWrites: 'keep', unsyncedDirOps: 'keep' });
    const after = snapshot(open(disk, 'none'));
    expect(after.size, because("'none' writes every record to the file before returning", sections.log)).toBe(40);
  });

  it('a zero-filled log tail after the last synced record is dropped on recovery, keeping every synced record', () => {
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4'];
    const expectSynced = (kv: DurableKV, why: string): void => {
      for (const k of keys) expect(s(kv.get(b(k))), because(`${why}: synced record ${k} survives`, sections.recovery)).toBe(`v-${k}`);
    };
    for (let i = 0; i < zeroTailLengths(0).length; i++) {
      const disk = freshDisk();
      const kv = open(disk, 'none');
      for (const k of keys) kv.put(b(k), b(`v-${k}`));
      kv.sync();
      disk.crash();
      // The live log is the newest one: file names are zero-padded numbers.
      const log = disk.files().filter((f) => /\.(log|wal)$/.test(f)).sort().at(-1)!;
      const zeros = zeroTailLengths(disk.contents(log).length)[i]!;
      appendZeros(disk, log, zeros);
      const why = `${zeros} zero bytes after the last synced record of ${log} (the file grew in a crash, its blocks did not land) are a torn tail, not corruption`;
      const again = open(disk, 'none');
      expectSynced(again, why);
      again.put(b('after'), b('2'));
      again.close();
      const third = open(disk, 'none');
      expectSynced(third, why);
      expect(s(third.get(b('after'))), because(`${why}: recovery cuts them off, so a write after recovery lands after the last real record, readable`, sections.recovery)).toBe('2');
    }
  });
});

describe.each(engines.map((e) => [e.name, e] as const))('%s crash recovery', (_name, { open, sections }) => {
  it("a crash keeps a prefix of the writes, at least up to the last sync() (sync policy 'none')", () => {
    const modes: UnsyncedWrites[] = ['drop', 'tear-last', 'random-prefix', 'any-subset'];
    forEachSeed(25, (seed) => {
      const random = new Random(seed);
      const disk = freshDisk(seed);
      const kv = open(disk, 'none');
      // states[i] is the store after the first i writes.
      const states: State[] = [new Map()];
      let synced = 0;
      for (let i = 0; i < 60; i++) {
        const key = `k${random.int(0, 9)}`;
        const next = new Map(states[states.length - 1]);
        if (random.chance(0.2)) {
          kv.delete(b(key));
          next.delete(key);
        } else {
          kv.put(b(key), b(`v${i}`));
          next.set(key, `v${i}`);
        }
        states.push(next);
        if (random.chance(0.1)) {
          kv.sync();
          synced = i + 1;
        }
      }
      disk.crash({ unsyncedWrites: random.pick(modes) });
      const after = snapshot(open(disk, 'none'));
      const prefix = states.findIndex((st, i) => i >= synced && JSON.stringify([...st].sort()) === JSON.stringify([...after].sort()));
      expect(prefix, because(`the recovered state must be the state after some prefix of at least ${synced} writes: no write lost before a sync, none invented, none reordered; a file closed on rolling over is fsynced first`, sections.log)).toBeGreaterThanOrEqual(synced);
    });
  });

  it('a torn last write is dropped on recovery, not fatal, and the store keeps working', () => {
    forEachSeed(10, (seed) => {
      const disk = freshDisk(seed);
      const kv = open(disk, 'none');
      kv.put(b('safe'), b('1'));
      kv.sync();
      kv.put(b('torn'), b('a value long enough to be torn somewhere in the middle'));
      disk.crash({ unsyncedWrites: 'tear-last' });
      const again = open(disk, 'none');
      expect(s(again.get(b('safe'))), because('records before the torn one are recovered', sections.recovery)).toBe('1');
      expect(again.get(b('torn')), because('a torn record is dropped, never half-applied', sections.recovery)).toBeUndefined();
      again.put(b('after'), b('2'));
      again.close();
      const third = open(disk, 'none');
      expect(s(third.get(b('after'))), because('recovery cuts the torn tail off the file, so writes after it land after the cut, readable', sections.recovery)).toBe('2');
    });
  });

});
