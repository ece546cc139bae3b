import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import type { StoredEntry } from '@impl/chapter02-storage-engines/entry.js';
import { LsmTree } from '@impl/chapter02-storage-engines/lsm-tree.js';
import { mergeSorted } from '@impl/chapter02-storage-engines/merging-iterator.js';
import { b, checkAgainstMap, freshDisk, s } from './helpers.js';

const SECTION = '2.5 The read path';

describe('2.5 the merging iterator', () => {
  it('yields each key once, from the newest source that has it, in order', () => {
    const newer: StoredEntry[] = [{ key: b('b'), value: b('new') }, { key: b('d'), value: null }];
    const older: StoredEntry[] = [{ key: b('a'), value: b('old') }, { key: b('b'), value: b('old') }, { key: b('d'), value: b('old') }];
    const merged = [...mergeSorted([newer, older])].map((e) => `${s(e.key)}=${e.value === null ? 'tombstone' : s(e.value)}`);
    expect(merged, because('the newest version of a key wins, tombstones included', SECTION)).toEqual(['a=old', 'b=new', 'd=tombstone']);
  });

  it('equals "newest source wins" on random sources, forwards and reversed (property)', () => {
    const source = fc.uniqueArray(fc.uint8Array({ maxLength: 2 }), { comparator: (x, y) => compareBytes(x, y) === 0, maxLength: 12 });
    checkProperty(
      fc.property(fc.array(source, { maxLength: 5 }), fc.boolean(), (sources, reverse) => {
        const tagged = sources.map((keys, i) => {
          const sorted = [...keys].sort(compareBytes).map((key) => ({ key, value: Uint8Array.of(i) }));
          return reverse ? sorted.reverse() : sorted;
        });
        const expected = new Map<string, StoredEntry>();
        tagged.forEach((entries) => {
          for (const e of entries) if (!expected.has(e.key.join())) expected.set(e.key.join(), e);
        });
        let order = [...expected.values()].sort((x, y) => compareBytes(x.key, y.key));
        if (reverse) order = order.reverse();
        expect([...mergeSorted(tagged, reverse)], because('one entry per key, newest source first, in order', SECTION)).toEqual(order);
      }),
    );
  });
});

describe('2.5 the LSM-tree read path', () => {
  const small = { dir: 'db', memtableBytes: 512, blockBytes: 128 };

  it('newer layers win: the memtable over tables, and a tombstone hides older values', () => {
    const kv = new LsmTree(freshDisk(), { ...small, tierFanIn: 100 });
    kv.put(b('k'), b('old'));
    kv.put(b('gone'), b('old'));
    kv.flush();
    kv.delete(b('gone'));
    kv.flush();
    kv.put(b('k'), b('new'));
    expect(
      kv.tables.length,
      because('the second flush writes a table holding only a tombstone: a flush may drop tombstones only when no older table exists', SECTION),
    ).toBe(2);
    expect(s(kv.get(b('k'))), because('the memtable is newer than every table', SECTION)).toBe('new');
    expect(kv.get(b('gone')), because('a tombstone in a newer table hides the older value', SECTION)).toBeUndefined();
    expect([...kv.scan()].map((e) => s(e.key))).toEqual(['k']);
    kv.put(b('a'), b('first'));
    expect([...kv.scan({ reverse: true })].map((e) => s(e.key)), because('a reverse scan merges every layer in descending key order', SECTION)).toEqual(['k', 'a']);
  });

  it('bytes are copied on the way in and out: changing the caller\'s arrays never changes the store', () => {
    const kv = new LsmTree(freshDisk(), { ...small, tierFanIn: 100 });
    const k = b('key');
    const v = b('value');
    kv.put(k, v);
    k.fill(0x21);
    v.fill(0x21);
    expect(s(kv.get(b('key'))), because('put keeps copies, not the caller\'s arrays (shared/kv.ts)', SECTION)).toBe('value');
    kv.get(b('key'))!.fill(0x21);
    expect(s(kv.get(b('key'))), because('get returns a copy from the memtable too, not the stored array', SECTION)).toBe('value');
    kv.flush();
    kv.get(b('key'))!.fill(0x21);
    expect(s(kv.get(b('key'))), because('and from a table', SECTION)).toBe('value');
  });

  it('a get of an absent key reads no data block when the Bloom filters rule it out', () => {
    const disk = freshDisk();
    const kv = new LsmTree(disk, { ...small, tierFanIn: 100 });
    for (let i = 0; i < 300; i++) kv.put(b(`key${i}`), b(`value${i}`));
    kv.flush();
    disk.resetStats();
    let found = 0;
    for (let i = 0; i < 1000; i++) if (kv.get(b(`absent${i}`)) !== undefined) found++;
    expect(found, because('an absent key is absent', SECTION)).toBe(0);
    expect(kv.tables.length, because('300 puts into 512-byte memtables flush several tables', SECTION)).toBeGreaterThan(3);
    // 1000 gets over several tables would read thousands of blocks without filters; ~1% get through.
    expect(disk.stats.reads, because('a read consults each Bloom filter before touching a block', SECTION)).toBeLessThan(100);
  });

  it('writing during a scan is a UsageError, not a silent skip', () => {
    const kv = new LsmTree(freshDisk(), small);
    kv.put(b('a'), b('1'));
    kv.put(b('b'), b('2'));
    expect(() => {
      for (const e of kv.scan()) kv.put(e.key, b('x'));
    }, because('a write invalidates a running scan (shared/kv.ts): its next step must throw, not skip or repeat entries', SECTION)).toThrow(UsageError);
  });

  it('behaves like a Map across random operations, flushes and reopens', () => {
    checkAgainstMap((disk) => new LsmTree(disk, { dir: 'db', memtableBytes: 200, blockBytes: 64, tierFanIn: 2 }), { section: '2.5 The read path' });
  });
});
