/**
 * Bit rot: a flipped byte in a log or a table is reported as a CorruptionError naming the file
 * and offset, and a read never returns wrong data.
 */

import { describe, expect, it } from 'vitest';
import { CorruptionError } from '../../shared/errors.js';
import type { SimDisk } from '../../shared/fs/sim-disk.js';
import type { DurableKV } from '../../shared/kv.js';
import { because } from '../../shared/testing/explain.js';
import { Bitcask } from '@impl/chapter02-storage-engines/bitcask.js';
import { LsmTree } from '@impl/chapter02-storage-engines/lsm-tree.js';
import { b, freshDisk, s } from './helpers.js';

/** Opens, reads every key, scans; returns the error thrown, checking every value read. */
function readEverything(open: () => DurableKV, n: number): unknown {
  try {
    const kv = open();
    for (let i = 0; i < n; i++) {
      const v = kv.get(b(`key${i}`));
      expect(s(v), because('a read returns the right value or raises; never wrong data', '2.3 SSTables')).toBe(`value${i}`);
    }
    Array.from(kv.scan()); // a scan reads every block, including any no get touched
    return undefined;
  } catch (error) {
    return error;
  }
}

function flipEach(disk: SimDisk, file: string, step: number, check: (at: number, error: unknown) => void): void {
  const size = disk.contents(file).length;
  for (let at = 0; at < size; at += step) {
    disk.flipByte(file, at, 0x20);
    check(at, undefined);
    disk.flipByte(file, at, 0x20);
  }
}

describe('corruption', () => {
  it('a flipped byte in a Bitcask segment raises a CorruptionError naming the segment and offset', () => {
    const disk = freshDisk();
    const kv = new Bitcask(disk, { dir: 'db' });
    for (let i = 0; i < 20; i++) kv.put(b(`key${i}`), b(`value${i}`));
    kv.close();
    flipEach(disk, 'db/000001.log', 5, (at) => {
      const error = readEverything(() => new Bitcask(disk, { dir: 'db' }), 20);
      expect(error, because(`flipping byte ${at} of the log is detected`, '1.1 Log records')).toBeInstanceOf(CorruptionError);
      expect((error as CorruptionError).file).toBe('db/000001.log');
      expect((error as CorruptionError).offset).toBeLessThanOrEqual(at);
    });
  });

  it('a flipped byte in the LSM write-ahead log raises a CorruptionError at recovery', () => {
    const disk = freshDisk();
    const kv = new LsmTree(disk, { dir: 'db' });
    for (let i = 0; i < 20; i++) kv.put(b(`key${i}`), b(`value${i}`));
    kv.close();
    const wal = disk.files().find((f) => f.endsWith('.wal'))!;
    flipEach(disk, wal, 5, (at) => {
      const error = readEverything(() => new LsmTree(disk, { dir: 'db' }), 20);
      expect(error, because(`flipping byte ${at} of the log is detected`, '2.2 The write-ahead log')).toBeInstanceOf(CorruptionError);
      expect((error as CorruptionError).file).toBe(wal);
      expect((error as CorruptionError).offset).toBeLessThanOrEqual(at);
    });
  });

  it('a flipped byte in an SSTable raises a CorruptionError naming the table, never wrong data', () => {
    const disk = freshDisk();
    const options = { dir: 'db', memtableBytes: 1 << 20, blockBytes: 256 };
    const kv = new LsmTree(disk, options);
    for (let i = 0; i < 60; i++) kv.put(b(`key${i}`), b(`value${i}`));
    kv.flush();
    kv.close();
    const table = disk.files().find((f) => f.endsWith('.sst'))!;
    flipEach(disk, table, 9, (at) => {
      const error = readEverything(() => new LsmTree(disk, options), 60);
      expect(error, because(`flipping byte ${at} of the table is detected`, '2.3 SSTables')).toBeInstanceOf(CorruptionError);
      expect((error as CorruptionError).file).toBe(table);
      expect((error as CorruptionError).offset).toBeLessThanOrEqual(at);
    });
  });
});
