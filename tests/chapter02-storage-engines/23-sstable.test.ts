import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes } from '../../shared/bytes.js';
import { CorruptionError, UsageError } from '../../shared/errors.js';
import type { SimDisk } from '../../shared/fs/sim-disk.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { Block, BlockBuilder } from '@impl/chapter02-storage-engines/block.js';
import { BlockCache } from '@impl/chapter02-storage-engines/block-cache.js';
import type { Stored } from '@impl/chapter02-storage-engines/entry.js';
import { SSTableReader, SSTableWriter } from '@impl/chapter02-storage-engines/sstable.js';
import { b, freshDisk, s } from './helpers.js';

const SECTION = '2.3 SSTables';
const key = (i: number) => b(`key${String(i).padStart(5, '0')}`);

/** Writes keys 0, 2, 4, … (2n − 2) with value `v<i>`; every 10th is a tombstone. */
function writeTable(disk: SimDisk, path: string, n: number, blockBytes = 256): void {
  const writer = new SSTableWriter(disk.open(path, 'truncate'), { blockBytes });
  for (let i = 0; i < 2 * n; i += 2) writer.add(key(i), i % 10 === 0 ? null : b(`v${i}`));
  const summary = writer.finish();
  expect(summary.entryCount).toBe(n);
}

describe('2.3 blocks', () => {
  it('a block finds any key by binary search and reads entries in place', () => {
    const builder = new BlockBuilder();
    for (const k of ['apple', 'banana', 'cherry']) builder.add(b(k), b(k.toUpperCase()));
    builder.add(b('date'), null);
    const block = Block.decode(builder.finish(), 'x.sst', 0);
    expect(block.count).toBe(4);
    expect(block.lowerBound(b('banana')), because('lowerBound is the first entry >= the key', SECTION)).toBe(1);
    expect(block.lowerBound(b('c'))).toBe(2);
    expect(block.lowerBound(b('zzz'))).toBe(4);
    expect(s(block.keyAt(2))).toBe('cherry');
    expect(s(block.valueAt(2) ?? undefined)).toBe('CHERRY');
    expect(block.valueAt(3), because('a tombstone is stored as such, not as an empty value', SECTION)).toBeNull();
  });

  it('keys added out of order are refused with a UsageError', () => {
    const builder = new BlockBuilder();
    builder.add(b('b'), b(''));
    expect(() => builder.add(b('a'), b(''))).toThrow(UsageError);
    expect(() => builder.add(b('b'), b(''))).toThrow(UsageError);
  });

  it('lowerBound agrees with a linear search on random sorted keys (property)', () => {
    checkProperty(
      fc.property(fc.uniqueArray(fc.uint8Array({ maxLength: 4 }), { comparator: (x, y) => compareBytes(x, y) === 0 }), fc.uint8Array({ maxLength: 4 }), (keys, probe) => {
        keys.sort(compareBytes);
        const builder = new BlockBuilder();
        for (const k of keys) builder.add(k, k);
        const block = Block.decode(builder.finish(), 'x', 0);
        const expected = keys.findIndex((k) => compareBytes(k, probe) >= 0);
        expect(block.lowerBound(probe)).toBe(expected < 0 ? keys.length : expected);
      }),
    );
  });
});

describe('2.3 SSTables', () => {
  it('reads back every entry written, tombstones as null, absent keys as undefined', () => {
    const disk = freshDisk();
    writeTable(disk, 't.sst', 500);
    const table = SSTableReader.open(disk, 't.sst', new BlockCache(1 << 20));
    expect(table.entryCount).toBe(500);
    for (let i = 0; i < 1000; i++) {
      const got: Stored | undefined = table.get(key(i));
      const expected = i % 2 === 1 ? undefined : i % 10 === 0 ? null : `v${i}`;
      expect(got === undefined || got === null ? got : s(got), because(`get(key${i}) returns what was written`, SECTION)).toBe(expected);
    }
  });

  it('keys out of order are refused with a UsageError across blocks too', () => {
    const disk = freshDisk();
    const writer = new SSTableWriter(disk.open('t.sst', 'truncate'), { blockBytes: 64 });
    writer.add(key(10), new Uint8Array(64)); // fills a block: the next key starts a new one
    expect(() => writer.add(key(5), b('v')), because('a key below the last one is refused, even as the first key of a new block', SECTION)).toThrow(UsageError);
    expect(() => writer.add(key(10), b('v')), because('so is a repeated key', SECTION)).toThrow(UsageError);
  });

  it('get returns a copy: changing it does not change what the table returns next', () => {
    const disk = freshDisk();
    writeTable(disk, 't.sst', 50);
    const table = SSTableReader.open(disk, 't.sst', new BlockCache(1 << 20));
    const first = table.get(key(2))!;
    first[0] = 0x21;
    expect(s(table.get(key(2))!), because('a value handed out must not be a view into a cached block', SECTION)).toBe('v2');
  });

  it('finish makes the table durable: it survives a crash that drops every unsynced write', () => {
    const disk = freshDisk();
    const file = disk.open('t.sst', 'truncate');
    disk.syncDir('');
    const writer = new SSTableWriter(file, { blockBytes: 256 });
    for (let i = 0; i < 100; i += 2) writer.add(key(i), b(`v${i}`));
    writer.finish();
    const before = SSTableReader.open(disk, 't.sst', new BlockCache(1 << 20));
    expect(s(before.get(key(98))!), because('before any crash, the table reads back (if not, fix the other 2.3 tests first)', SECTION)).toBe('v98');
    disk.crash({ unsyncedWrites: 'drop' });
    const table = SSTableReader.open(disk, 't.sst', new BlockCache(1 << 20));
    expect(s(table.get(key(98))!), because('finish fsyncs the file before it returns: a flush relies on it', SECTION)).toBe('v98');
  });

  it('a point read touches at most one data block (found through the sparse index)', () => {
    const disk = freshDisk();
    writeTable(disk, 't.sst', 2000);
    const table = SSTableReader.open(disk, 't.sst', new BlockCache(0));
    disk.resetStats();
    for (let i = 0; i < 200; i += 2) table.get(key(i));
    expect(
      disk.stats.reads,
      because(`100 gets of present keys made ${disk.stats.reads} file reads: a get reads at most the one data block the index names; the footer, filter and index are read once, when the table opens`, SECTION),
    ).toBeLessThanOrEqual(100);
  });

  it('bounded entries, forwards and backwards, equal the written entries in range (property)', () => {
    const disk = freshDisk();
    writeTable(disk, 't.sst', 300, 128);
    const table = SSTableReader.open(disk, 't.sst', new BlockCache(1 << 20));
    const all = Array.from({ length: 300 }, (_, j) => j * 2);
    checkProperty(
      fc.property(fc.option(fc.nat(620), { nil: undefined }), fc.option(fc.nat(620), { nil: undefined }), fc.boolean(), (lo, hi, reverse) => {
        let expected = all.filter((i) => (lo === undefined || i >= lo) && (hi === undefined || i < hi)).map((i) => s(key(i)));
        if (reverse) expected = expected.reverse();
        const got = [...table.entries({ start: lo === undefined ? undefined : key(lo), end: hi === undefined ? undefined : key(hi), reverse })].map((e) => s(e.key));
        expect(got, because('entries(bounds) yields exactly the keys in [start, end)', SECTION)).toEqual(expected);
      }),
    );
  });

  it('a flipped byte anywhere in a table raises a CorruptionError naming it, and never wrong data', () => {
    const disk = freshDisk();
    writeTable(disk, '000007.sst', 60, 200);
    const size = disk.contents('000007.sst').length;
    for (let at = 0; at < size; at += 7) {
      disk.flipByte('000007.sst', at, 0x04);
      let error: unknown;
      try {
        const table = SSTableReader.open(disk, '000007.sst', new BlockCache(1 << 20));
        for (let i = 0; i < 120; i += 2) {
          const got = table.get(key(i));
          const expected = i % 10 === 0 ? null : `v${i}`;
          expect(got === null || got === undefined ? got : s(got), because(`after flipping byte ${at}, a read returns the right value or fails`, SECTION)).toBe(expected);
        }
        Array.from(table.entries()); // reads every block, including any no get touched
      } catch (e) {
        if (!(e instanceof CorruptionError)) throw e; // wrong data, or a crash of another kind: report it as is
        error = e;
      }
      expect(error, because(`flipping byte ${at} went unnoticed: every part of a table (blocks, filter, index, footer) is under a checksum`, SECTION)).toBeInstanceOf(CorruptionError);
      expect((error as CorruptionError).file).toBe('000007.sst');
      expect((error as CorruptionError).offset, because('the error names the offset of the damaged part', SECTION)).toBeLessThanOrEqual(at);
      disk.flipByte('000007.sst', at, 0x04);
    }
  });
});
