import { describe, expect, it } from 'vitest';
import { CorruptionError } from '../../shared/errors.js';
import { SimulatedCrash } from '../../shared/fs/sim-disk.js';
import { because } from '../../shared/testing/explain.js';
import { LsmTree } from '@impl/chapter02-storage-engines/lsm-tree.js';
import { readManifest, writeManifest } from '@impl/chapter02-storage-engines/manifest.js';
import { b, freshDisk, s } from './helpers.js';

const SECTION = '2.7 The manifest and recovery';

describe('2.7 the manifest', () => {
  it('round-trips, and a new directory has none', () => {
    const disk = freshDisk();
    disk.mkdir('db');
    expect(readManifest(disk, 'db')).toBeUndefined();
    writeManifest(disk, 'db', { nextFileNumber: 9, walNumber: 8, tables: [7, 3, 1] });
    expect(readManifest(disk, 'db')).toEqual({ nextFileNumber: 9, walNumber: 8, tables: [7, 3, 1] });
  });

  it('is replaced atomically: a crash at any call of writeManifest leaves the old or the new one', () => {
    const old = { nextFileNumber: 5, walNumber: 4, tables: [3] };
    const next = { nextFileNumber: 7, walNumber: 6, tables: [5, 3] };
    for (let crashAt = 1; crashAt < 50; crashAt++) {
      const disk = freshDisk(crashAt);
      disk.mkdir('db');
      writeManifest(disk, 'db', old);
      disk.scheduleCrash(crashAt, { unsyncedWrites: crashAt % 2 === 0 ? 'random-prefix' : 'any-subset' });
      let crashed = false;
      try {
        writeManifest(disk, 'db', next);
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
        crashed = true;
      }
      disk.cancelScheduledCrash();
      disk.crash();
      let found;
      try {
        found = readManifest(disk, 'db');
      } catch (error) {
        throw new Error(
          because(`a crash at call ${crashAt} of writeManifest left no readable manifest (${String(error)}): write MANIFEST.tmp, fsync it, rename it over MANIFEST, fsync the directory`, SECTION),
        );
      }
      expect([old, next], because(`a crash at call ${crashAt} must leave a whole manifest, the old or the new`, SECTION)).toContainEqual(found);
      if (!crashed) {
        expect(readManifest(disk, 'db'), because('once writeManifest returns, the new manifest is durable', SECTION)).toEqual(next);
        break;
      }
    }
  });

  it('a damaged or cut manifest raises a CorruptionError naming it', () => {
    const disk = freshDisk();
    disk.mkdir('db');
    writeManifest(disk, 'db', { nextFileNumber: 3, walNumber: 2, tables: [1] });
    const whole = disk.contents('db/MANIFEST');
    disk.flipByte('db/MANIFEST', 14);
    expect(() => readManifest(disk, 'db'), because('a flipped byte in the manifest is corruption', SECTION)).toThrow(CorruptionError);
    for (const length of [0, 5, whole.length - 1]) {
      const cut = disk.open('db/MANIFEST', 'truncate');
      cut.write(0, whole.subarray(0, length));
      cut.close();
      expect(
        () => readManifest(disk, 'db'),
        because(`a manifest of ${length} of its ${whole.length} bytes is corruption, not "no manifest": the file is only ever replaced whole, by rename`, SECTION),
      ).toThrow(CorruptionError);
    }
  });
});

describe('2.7 recovery of the LSM-tree', () => {
  const options = { dir: 'db', memtableBytes: 400, blockBytes: 128 };

  it('the set of tables and the unflushed writes both survive a reopen', () => {
    const disk = freshDisk();
    const kv = new LsmTree(disk, options);
    for (let i = 0; i < 100; i++) kv.put(b(`k${i}`), b(`v${i}`));
    const tables = kv.tables.map((t) => t.path);
    expect(tables.length).toBeGreaterThan(0);
    kv.close();
    const again = new LsmTree(disk, options);
    expect(again.tables.map((t) => t.path), because('the manifest lists the live tables', SECTION)).toEqual(tables);
    for (let i = 0; i < 100; i++) expect(s(again.get(b(`k${i}`))), because('writes still in the memtable come back from the log', SECTION)).toBe(`v${i}`);
  });

  it('files left behind by an interrupted flush are deleted on open', () => {
    const disk = freshDisk();
    const kv = new LsmTree(disk, options);
    kv.put(b('a'), b('1'));
    kv.close();
    disk.open('db/000099.sst', 'create').close();
    disk.open('db/MANIFEST.tmp', 'create').close();
    new LsmTree(disk, options).close();
    expect(
      disk.files().filter((f) => f.includes('000099') || f.includes('tmp')),
      because('files the manifest does not name are leftovers: open deletes them', SECTION),
    ).toEqual([]);
  });

  it('a table the manifest names but the directory lacks is corruption, not a fresh start', () => {
    const disk = freshDisk();
    const kv = new LsmTree(disk, options);
    for (let i = 0; i < 100; i++) kv.put(b(`k${i}`), b(`v${i}`));
    const lost = kv.tables[0]!.path;
    kv.close();
    disk.remove(lost);
    let error: unknown;
    try {
      new LsmTree(disk, options);
    } catch (e) {
      error = e;
    }
    expect(error, because('opening must refuse a store whose manifest names a missing table: its writes would silently vanish', SECTION)).toBeInstanceOf(CorruptionError);
    expect((error as CorruptionError).file, because('the error names the missing table', SECTION)).toBe(lost);
  });

  it('a crash at any point of a flush and compaction loses no synced write', () => {
    for (let crashAt = 1; crashAt < 400; crashAt++) {
      const disk = freshDisk(crashAt);
      const kv = new LsmTree(disk, { ...options, syncPolicy: 'every-write', tierFanIn: 2 });
      for (let i = 0; i < 12; i++) kv.put(b(`k${i}`), b(`v${i}`));
      // Half the runs keep directory changes that were not yet synced (the OS may have written
      // them): a log removed before the manifest stops naming it is then really gone. Half of
      // each half tear the last unsynced write, the others keep any subset of the sectors.
      const unsyncedWrites = crashAt % 4 < 2 ? 'tear-last' : 'any-subset';
      disk.scheduleCrash(crashAt, { unsyncedWrites, unsyncedDirOps: crashAt % 2 === 0 ? 'keep' : 'lose' });
      let acknowledged = 12;
      let crashed = false;
      try {
        for (let i = 12; i < 60; i++) {
          kv.put(b(`k${i}`), b(`v${i}`));
          acknowledged = i + 1;
        }
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
        crashed = true;
      }
      disk.cancelScheduledCrash();
      if (!crashed) kv.close();
      let again: LsmTree;
      try {
        again = new LsmTree(disk, options);
      } catch (error) {
        throw new Error(
          because(`after a crash at call ${crashAt} of a flush or compaction, the store does not reopen (${String(error)}): check the order of a flush`, SECTION),
        );
      }
      for (let i = 0; i < acknowledged; i++) {
        expect(s(again.get(b(`k${i}`))), because(`after a crash at call ${crashAt}, acknowledged write k${i} survives`, SECTION)).toBe(`v${i}`);
      }
      const count = [...again.scan()].length;
      expect(count === acknowledged || count === acknowledged + 1, because('at most the interrupted write may also appear', SECTION)).toBe(true);
      again.close();
      if (!crashed) break;
    }
  });
});
