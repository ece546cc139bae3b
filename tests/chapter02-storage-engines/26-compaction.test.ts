import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { compactEntries, pickCompaction, tierOf } from '@impl/chapter02-storage-engines/compaction.js';
import type { StoredEntry } from '@impl/chapter02-storage-engines/entry.js';
import { LsmTree } from '@impl/chapter02-storage-engines/lsm-tree.js';
import { b, freshDisk, s } from './helpers.js';

const SECTION = '2.6 Compaction';
const show = (entries: Iterable<StoredEntry>) => [...entries].map((e) => `${s(e.key)}=${e.value === null ? '∅' : s(e.value)}`);
const tiering = { baseBytes: 1000, fanIn: 4 };

describe('2.6 compaction', () => {
  it('tiers grow by the fan-in: tier 0 up to the base size, then one tier per factor of fanIn', () => {
    expect([500, 1000, 4000, 16_000, 64_000].map((size) => tierOf(size, tiering))).toEqual([0, 0, 1, 2, 3]);
    expect(
      [1900, 2100, 3000, 7000, 9000].map((size) => tierOf(size, tiering)),
      because('between powers of fanIn a size takes the nearest tier: round(log_fanIn(size / base)), not the floor', SECTION),
    ).toEqual([0, 1, 1, 1, 2]);
  });

  it('size-tiered: picks the newest run of fanIn adjacent tables of one tier, nothing otherwise', () => {
    const sizes = (...xs: number[]) => xs.map((sizeBytes) => ({ sizeBytes }));
    expect(pickCompaction(sizes(900, 1000, 800), tiering), because('fewer than fanIn tables in a tier wait', SECTION)).toBeUndefined();
    expect(pickCompaction(sizes(900, 1000, 800, 950, 4000), tiering)).toEqual({ start: 0, end: 4 });
    expect(pickCompaction(sizes(900, 4000, 1000, 800, 950, 4100, 4000, 3900, 4200), tiering), because('only tables adjacent in age merge', SECTION)).toEqual({ start: 5, end: 9 });
    expect(
      pickCompaction(sizes(4000, 4100, 3900, 4200, 900, 1000, 800, 950), tiering),
      because('of two runs long enough, the newest (first in the list) is merged first', SECTION),
    ).toEqual({ start: 0, end: 4 });
    expect(
      pickCompaction(sizes(900, 1000, 800, 950, 990, 4000), tiering),
      because('a run longer than fanIn is merged whole', SECTION),
    ).toEqual({ start: 0, end: 5 });
  });

  it('keeps the newest version of every live key and drops shadowed versions', () => {
    const newer: StoredEntry[] = [{ key: b('a'), value: b('2') }, { key: b('c'), value: null }];
    const older: StoredEntry[] = [{ key: b('a'), value: b('1') }, { key: b('b'), value: b('1') }, { key: b('c'), value: b('1') }];
    expect(show(compactEntries([newer, older], false)), because('a tombstone is kept while an older table may hold its key', SECTION)).toEqual(['a=2', 'b=1', 'c=∅']);
    expect(show(compactEntries([newer, older], true)), because('with no older table, tombstones and what they hide go', SECTION)).toEqual(['a=2', 'b=1']);
  });

  it('a full compaction leaves one table holding exactly the live keys', () => {
    const disk = freshDisk();
    const kv = new LsmTree(disk, { dir: 'db', memtableBytes: 300, blockBytes: 128, tierFanIn: 100 });
    for (let round = 0; round < 4; round++) for (let i = 0; i < 30; i++) kv.put(b(`k${i}`), b(`round${round}`));
    for (let i = 0; i < 30; i += 3) kv.delete(b(`k${i}`));
    kv.flush();
    expect(kv.tables.length).toBeGreaterThan(4);
    kv.compactAll();
    expect(kv.tables.length).toBe(1);
    expect(kv.tables[0]!.entryCount, because('shadowed versions and tombstones are dropped by a full compaction', SECTION)).toBe(20);
    expect(disk.files().filter((f) => f.endsWith('.sst')).length, because('the input tables are deleted', SECTION)).toBe(1);
    expect([...kv.scan()].every((e) => s(e.value) === 'round3')).toBe(true);
    expect([...kv.scan()].length).toBe(20);
  });

  it('compacting only newer tables keeps tombstones: a deleted key stays deleted', () => {
    const kv = new LsmTree(freshDisk(), { dir: 'db', memtableBytes: 4096, blockBytes: 128, tierFanIn: 2 });
    kv.put(b('victim'), b('old value'));
    kv.put(b('big'), new Uint8Array(100_000)); // fills the memtable: one big, old table, tier 5
    kv.delete(b('victim'));
    kv.flush();
    kv.put(b('other'), b('x'));
    kv.flush(); // the two small tables share a tier and are merged, without the old one
    expect(kv.tables.length, because('the small tables were merged, the big one left alone', SECTION)).toBe(2);
    expect(kv.get(b('victim')), because('the merged tombstone must still hide the old value', SECTION)).toBeUndefined();
  });

  it('automatic compaction keeps the number of tables logarithmic, and every key its newest value', () => {
    const kv = new LsmTree(freshDisk(), { dir: 'db', memtableBytes: 256, blockBytes: 128, tierFanIn: 4 });
    const newest = new Map<string, string>();
    for (let i = 0; i < 3000; i++) {
      const key = `k${(i * 7919) % 1000}`; // each of the 1000 keys is written three times
      kv.put(b(key), b(`v${i}`));
      newest.set(key, `v${i}`);
    }
    expect(kv.tables.length, because('size-tiered compaction merges tables tier by tier', SECTION)).toBeLessThan(15);
    const wrong = [...newest].filter(([key, value]) => s(kv.get(b(key))) !== value).map(([key, value]) => `${key}: ${s(kv.get(b(key))) ?? 'missing'}, not ${value}`);
    expect(wrong, because('compaction keeps every live key with its newest version: an older version or a missing key means the merge picked the wrong source', SECTION)).toEqual([]);
    expect([...kv.scan()].length, because('and keeps each key once', SECTION)).toBe(1000);
  });
});
