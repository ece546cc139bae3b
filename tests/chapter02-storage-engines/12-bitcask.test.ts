import { describe, expect, it } from 'vitest';
import { CorruptionError, UsageError } from '../../shared/errors.js';
import { SimulatedCrash } from '../../shared/fs/sim-disk.js';
import { because } from '../../shared/testing/explain.js';
import { Bitcask } from '@impl/chapter02-storage-engines/bitcask.js';
import { b, checkAgainstMap, freshDisk, s } from './helpers.js';

const INDEX = '1.2 The hash index and recovery';
const MERGE = '1.3 Segments and merging';

describe('1.2 Bitcask: the hash index and recovery', () => {
  it('gets the newest value of each key; a deleted key is gone', () => {
    const kv = new Bitcask(freshDisk(), { dir: 'db' });
    kv.put(b('a'), b('1'));
    kv.put(b('b'), b('2'));
    kv.put(b('a'), b('3'));
    kv.delete(b('b'));
    expect(s(kv.get(b('a'))), because('the index points at the newest record of a key', INDEX)).toBe('3');
    expect(kv.get(b('b')), because('a tombstone removes the key from the index', INDEX)).toBeUndefined();
    expect([...kv.scan()].map((e) => s(e.key))).toEqual(['a']);
  });

  it('recovers every key by scanning the log after a reopen', () => {
    const disk = freshDisk();
    const kv = new Bitcask(disk, { dir: 'db' });
    for (let i = 0; i < 50; i++) kv.put(b(`k${i}`), b(`v${i}`));
    kv.delete(b('k7'));
    kv.close();
    const again = new Bitcask(disk, { dir: 'db' });
    expect(s(again.get(b('k42'))), because('recovery rebuilds the index from the records on disk', INDEX)).toBe('v42');
    expect(again.get(b('k7')), because('recovery replays tombstones too', INDEX)).toBeUndefined();
    expect([...again.scan()].length).toBe(49);
  });

  it('a get verifies the record it reads: a byte flipped while the store is open raises a CorruptionError', () => {
    const disk = freshDisk();
    const kv = new Bitcask(disk, { dir: 'db' });
    kv.put(b('first'), b('one'));
    kv.put(b('key'), b('a value that will rot'));
    const segment = disk.files().find((f) => f.endsWith('.log'))!;
    const size = disk.contents(segment).length;
    disk.flipByte(segment, size - 3, 0x20); // inside the last record's value
    let error: unknown;
    try {
      kv.get(b('key'));
    } catch (e) {
      error = e;
    }
    expect(error, because('the index says where a record is; its checksums say whether it is still right', INDEX)).toBeInstanceOf(CorruptionError);
    expect((error as CorruptionError).file, because('the error names the segment', INDEX)).toBe(segment);
    expect(s(kv.get(b('first'))), because('other records still read', INDEX)).toBe('one');
  });

  it('a closed store refuses calls with a UsageError', () => {
    const kv = new Bitcask(freshDisk(), { dir: 'db' });
    kv.close();
    expect(() => kv.get(b('a'))).toThrow(UsageError);
  });

  it('behaves like a Map across random operations and reopens', () => {
    checkAgainstMap((disk) => new Bitcask(disk, { dir: 'db', segmentBytes: 96, mergeAfterSegments: 3 }), { section: '1.2 The hash index and recovery' });
  });
});

describe('1.3 Bitcask: segments and merging', () => {
  it('rolls to a new segment once the active one reaches segmentBytes', () => {
    const kv = new Bitcask(freshDisk(), { dir: 'db', segmentBytes: 100, mergeAfterSegments: 0 });
    for (let i = 0; i < 20; i++) kv.put(b(`key${i}`), b('value'));
    expect(kv.segmentCount, because('segments are closed at the size limit', MERGE)).toBeGreaterThan(3);
  });

  it('merging keeps every live key, drops overwritten and deleted ones, and survives a reopen', () => {
    const disk = freshDisk();
    const kv = new Bitcask(disk, { dir: 'db', segmentBytes: 100, mergeAfterSegments: 0 });
    for (let round = 0; round < 5; round++) for (let i = 0; i < 10; i++) kv.put(b(`k${i}`), b(`r${round}`));
    for (let i = 0; i < 5; i++) kv.delete(b(`k${i}`));
    const before = disk.totalBytes();
    kv.merge();
    expect(disk.totalBytes(), because('a merge reclaims the space of dead records', MERGE)).toBeLessThan(before / 2);
    expect(disk.files().filter((f) => f.endsWith('.merged')).length).toBe(1);
    kv.close();
    const again = new Bitcask(disk, { dir: 'db' });
    const live = [...again.scan()].map((e) => `${s(e.key)}=${s(e.value)}`);
    expect(live, because('merging keeps exactly the live keys with their newest values', MERGE)).toEqual(['k5=r4', 'k6=r4', 'k7=r4', 'k8=r4', 'k9=r4']);
  });

  it('a second merge keeps what the first merged file holds', () => {
    const disk = freshDisk();
    const kv = new Bitcask(disk, { dir: 'db', segmentBytes: 100, mergeAfterSegments: 0 });
    for (let i = 0; i < 10; i++) kv.put(b(`old${i}`), b('first'));
    for (let i = 0; i < 10; i++) kv.put(b(`filler${i}`), b('x'));
    kv.merge();
    for (let i = 0; i < 10; i++) kv.put(b(`new${i}`), b('second'));
    for (let i = 0; i < 10; i++) kv.put(b(`filler${i}`), b('y'));
    kv.merge();
    kv.close();
    const again = new Bitcask(disk, { dir: 'db' });
    expect(
      [0, 5, 9].map((i) => s(again.get(b(`old${i}`)))),
      because('a merge copies the live records of the previous merged file too, not only of the closed segments', MERGE),
    ).toEqual(['first', 'first', 'first']);
    expect(disk.files().filter((f) => f.endsWith('.merged')).length, because('the new merged file replaces the old one', MERGE)).toBe(1);
  });

  it('merges run by themselves: segments never pile up past mergeAfterSegments', () => {
    const kv = new Bitcask(freshDisk(), { dir: 'db', segmentBytes: 100, mergeAfterSegments: 3 });
    let most = 0;
    for (let i = 0; i < 300; i++) {
      kv.put(b(`key${i % 40}`), b(`value ${i}`));
      most = Math.max(most, kv.segmentCount);
    }
    expect(most, because('a roll that leaves mergeAfterSegments closed segments merges them at once', MERGE)).toBeLessThanOrEqual(4);
  });

  it('a crash in the middle of a merge loses nothing', () => {
    for (let crashAt = 1; crashAt < 200; crashAt++) {
      const disk = freshDisk(crashAt);
      const kv = new Bitcask(disk, { dir: 'db', segmentBytes: 80, mergeAfterSegments: 0, syncPolicy: 'every-write' });
      for (let i = 0; i < 12; i++) kv.put(b(`k${i % 6}`), b(`v${i}`));
      kv.delete(b('k0'));
      disk.scheduleCrash(crashAt, { unsyncedWrites: crashAt % 2 === 0 ? 'drop' : 'any-subset' });
      let crashed = false;
      try {
        kv.merge();
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
        crashed = true;
      }
      disk.cancelScheduledCrash();
      if (!crashed) kv.close();
      const again = new Bitcask(disk, { dir: 'db' });
      const live = [...again.scan()].map((e) => `${s(e.key)}=${s(e.value)}`);
      expect(live, because(`a merge interrupted at its call ${crashAt} must leave the old or the new files`, MERGE)).toEqual([
        'k1=v7',
        'k2=v8',
        'k3=v9',
        'k4=v10',
        'k5=v11',
      ]);
      again.close();
      if (!crashed) break; // every call of the merge has been interrupted once
    }
  });
});
