import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes, fromUtf8, utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import type { Entry, OrderedKV } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import { KeyOutsideRangesError, OverlappingRangesError } from '@impl/chapter05-partitioning/errors.js';
import { KeyRangeMap } from '@impl/chapter05-partitioning/key-range-map.js';
import { RangePartitionedKV } from '@impl/chapter05-partitioning/range-partitioned-kv.js';

const MAP = '5.1 Key-range partitioning';
const SPLITS = '5.1 Key-range partitioning';

const b = (s: string): Uint8Array => utf8(s);
const range = (id: string, start: string, end: string | undefined) => ({ id, start: b(start), end: end === undefined ? undefined : b(end) });

/** A store factory that remembers every store it made, so a test can look inside all of them. */
function trackedStores(): { stores: MemoryKV[]; newStore: () => OrderedKV } {
  const stores: MemoryKV[] = [];
  return {
    stores,
    newStore: () => {
      const s = new MemoryKV();
      stores.push(s);
      return s;
    },
  };
}

/** Every key held by any store, with how many stores hold it. */
function copiesPerKey(stores: readonly MemoryKV[]): Map<string, number> {
  const copies = new Map<string, number>();
  for (const s of stores) for (const e of s.scan()) copies.set(e.key.join(','), (copies.get(e.key.join(',')) ?? 0) + 1);
  return copies;
}

function rowKey(id: number): Uint8Array {
  return encodeKey(['row', 'users', id]); // chapter 01's key layout for table rows
}

describe('5.1 a partition map of key ranges', () => {
  it('locates each key in the one range that holds it, ends exclusive', () => {
    const map = new KeyRangeMap([range('m-z', 'm', undefined), range('a-m', 'a', 'm')]);
    expect(map.locate(b('a')).id, because('a range holds its start key', MAP)).toBe('a-m');
    expect(map.locate(b('lzzz')).id, because('keys below the end belong to the range', MAP)).toBe('a-m');
    expect(map.locate(b('m')).id, because('ranges are half-open: the end key belongs to the next range', MAP)).toBe('m-z');
    expect(map.locate(b('\xff\xff')).id, because('an undefined end has no upper bound', MAP)).toBe('m-z');
    expect(map.ranges.map((r) => r.id), because('the map keeps its ranges in key order', MAP)).toEqual(['a-m', 'm-z']);
  });

  it('a key in a gap between ranges is a KeyOutsideRangesError naming the neighbours', () => {
    const map = new KeyRangeMap([range('a-c', 'a', 'c'), range('k-p', 'k', 'p')]);
    for (const [key, before, after] of [
      ['0', undefined, 'a-c'],
      ['d', 'a-c', 'k-p'],
      ['p', 'k-p', undefined],
    ] as const) {
      let error: unknown;
      try {
        map.locate(b(key));
      } catch (e) {
        error = e;
      }
      expect(error, because(`key "${key}" is in no range`, MAP)).toBeInstanceOf(KeyOutsideRangesError);
      const outside = error as KeyOutsideRangesError;
      expect([outside.before, outside.after], because('the error says which partitions surround the gap', MAP)).toEqual([before, after]);
      expect(outside.message, because('the message names the key', MAP)).toContain(key);
    }
  });

  it('overlapping or empty ranges are an OverlappingRangesError naming the partitions', () => {
    let error: unknown;
    try {
      new KeyRangeMap([range('a-k', 'a', 'k'), range('j-z', 'j', 'z')]);
    } catch (e) {
      error = e;
    }
    expect(error, because('two ranges may not share a key', MAP)).toBeInstanceOf(OverlappingRangesError);
    expect((error as OverlappingRangesError).partitions, because('the error names both partitions', MAP)).toEqual(['a-k', 'j-z']);
    expect(() => new KeyRangeMap([range('all', 'a', undefined), range('late', 'x', undefined)]), because('an open-ended range overlaps everything after it', MAP)).toThrow(OverlappingRangesError);
    expect(() => new KeyRangeMap([range('empty', 'k', 'k')]), because('a range must hold at least one key', MAP)).toThrow(OverlappingRangesError);
    expect(() => new KeyRangeMap([range('x', 'a', 'b'), range('x', 'b', 'c')]), because('partition ids are unique', MAP)).toThrow(UsageError);
    expect(new KeyRangeMap([range('a-k', 'a', 'k'), range('k-z', 'k', 'z')]).ranges.length, because('ranges may touch: [a, k) and [k, z) share no key', MAP)).toBe(2);
  });

  it('lists the partitions a range scan must read, and only those', () => {
    const map = new KeyRangeMap([range('p1', '', 'f'), range('p2', 'f', 'm'), range('p3', 'm', undefined)]);
    expect(map.overlapping({ start: b('g'), end: b('h') }).map((r) => r.id), because('a range inside one partition reads one', MAP)).toEqual(['p2']);
    expect(map.overlapping({ start: b('e'), end: b('n') }).map((r) => r.id), because('a range over three partitions reads three', MAP)).toEqual(['p1', 'p2', 'p3']);
    expect(map.overlapping({ start: b('a'), end: b('f') }).map((r) => r.id), because('an exclusive end at a boundary does not touch the next partition', MAP)).toEqual(['p1']);
    expect(map.overlapping({}).map((r) => r.id), because('an unbounded scan reads every partition', MAP)).toEqual(['p1', 'p2', 'p3']);
  });
});

describe('5.1 splits and merges', () => {
  it('a table with chapter 01 key layout, scanned across many splits, comes back ordered and complete', () => {
    const { stores, newStore } = trackedStores();
    const kv = new RangePartitionedKV({ splitAboveKeys: 16, newStore });
    const ids = Array.from({ length: 200 }, (_, i) => (i * 37) % 200); // every id once, out of order
    for (const id of ids) kv.put(rowKey(id), b(`user ${id}`));
    expect(kv.partitions().length, because('200 rows with at most 16 per partition need many splits', SPLITS)).toBeGreaterThanOrEqual(13);
    for (const p of kv.partitions()) expect(p.keys, because('no partition holds more than the threshold', SPLITS)).toBeLessThanOrEqual(16);
    const rows = [...kv.scan({ start: encodeKey(['row', 'users']), end: encodeKey(['row', 'userz']) })];
    expect(rows.map((e) => decodeKey(e.key)[2]), because('a scan across partitions yields every row once, in key order', SPLITS)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(rows.map((e) => fromUtf8(e.value))[123], because('values travel with their keys through splits', SPLITS)).toBe('user 123');
    const reverse = [...kv.scan({ reverse: true, limit: 5 })].map((e) => decodeKey(e.key)[2]);
    expect(reverse, because('a reverse scan with a limit crosses partitions from the top', SPLITS)).toEqual([199, 198, 197, 196, 195]);
    const copies = copiesPerKey(stores);
    expect(copies.size, because('every key is stored', SPLITS)).toBe(200);
    expect([...copies.values()].every((n) => n === 1), because('a key is stored in exactly one partition store', SPLITS)).toBe(true);
  });

  it('the partitions tile the key space after splits: each ends where the next starts', () => {
    const kv = new RangePartitionedKV({ splitAboveKeys: 8 });
    for (let id = 0; id < 100; id++) kv.put(rowKey(id), b('v'));
    const parts = kv.partitions();
    expect(parts[0]!.start.length, because('the first partition still starts at the empty key', SPLITS)).toBe(0);
    expect(parts.at(-1)!.end, because('the last partition still has no upper bound', SPLITS)).toBeUndefined();
    for (let i = 1; i < parts.length; i++) {
      expect(compareBytes(parts[i - 1]!.end!, parts[i]!.start), because('a split divides a range into two that touch', SPLITS)).toBe(0);
    }
    expect(parts.reduce((n, p) => n + p.keys, 0), because('the partitions\' key counts add up to the keys stored', SPLITS)).toBe(100);
  });

  it('a split point never loses or duplicates a key (property)', () => {
    checkProperty(
      fc.property(fc.array(fc.tuple(fc.uint8Array({ maxLength: 4 }), fc.boolean()), { maxLength: 120 }), fc.integer({ min: 2, max: 6 }), (ops, threshold) => {
        const { stores, newStore } = trackedStores();
        const kv = new RangePartitionedKV({ splitAboveKeys: threshold, mergeAtMostKeys: 1, newStore });
        const model = new Map<string, Uint8Array>();
        for (const [key, isPut] of ops) {
          if (isPut) {
            kv.put(key, key);
            model.set(key.join(','), key);
          } else {
            kv.delete(key);
            model.delete(key.join(','));
          }
        }
        const expected = [...model.values()].sort(compareBytes);
        const scanned = [...kv.scan()].map((e: Entry) => e.key);
        expect(scanned, because('a scan returns exactly the live keys, in order', SPLITS)).toEqual(expected);
        for (const key of expected) expect(kv.get(key), because('every live key can be read from the partition that owns it', SPLITS)).toEqual(key);
        const copies = copiesPerKey(stores);
        expect(copies.size, because('no store keeps a key that was deleted or moved away', SPLITS)).toBe(expected.length);
        expect([...copies.values()].every((n) => n === 1), because('after splits and merges each key is in exactly one store', SPLITS)).toBe(true);
      }),
    );
  });

  it('the split key goes to exactly one side: deleted once, it stays deleted through a merge', () => {
    const kv = new RangePartitionedKV({ splitAboveKeys: 4, mergeAtMostKeys: 4 });
    for (const k of ['a', 'b', 'c', 'd', 'e']) kv.put(b(k), b(k));
    const parts = kv.partitions();
    expect(parts.length, because('five keys over a threshold of four make one split', SPLITS)).toBe(2);
    const splitKey = parts[1]!.start;
    kv.delete(splitKey);
    expect(kv.get(splitKey), because('a deleted split key is gone', SPLITS)).toBeUndefined();
    kv.delete(b('a'));
    expect(kv.partitions().length, because('neighbours holding at most mergeAtMostKeys keys together merge', SPLITS)).toBe(1);
    const live = ['b', 'c', 'd', 'e'].filter((k) => k !== fromUtf8(splitKey));
    expect([...kv.scan()].map((e) => fromUtf8(e.key)), because('a merge brings back no key deleted before it', SPLITS)).toEqual(live);
  });

  it('a partition splits only when it holds more than splitAboveKeys, and one batch can split it several times', () => {
    const kv = new RangePartitionedKV({ splitAboveKeys: 4, mergeAtMostKeys: 1 });
    for (const k of ['a', 'b', 'c', 'd']) kv.put(b(k), b(k));
    expect(kv.partitions().length, because('exactly splitAboveKeys = 4 keys is not more than 4: no split yet', SPLITS)).toBe(1);
    const big = new RangePartitionedKV({ splitAboveKeys: 4, mergeAtMostKeys: 1 });
    big.batch(Array.from({ length: 40 }, (_, id) => ({ type: 'put' as const, key: rowKey(id), value: b('v') })));
    for (const p of big.partitions()) {
      expect(p.keys, because(`${p.id}: after one batch of 40 keys no partition holds more than splitAboveKeys = 4 (after a split, check both halves again)`, SPLITS)).toBeLessThanOrEqual(4);
    }
    expect([...big.scan()].length, because('splitting keeps every key of the batch', SPLITS)).toBe(40);
  });

  it('neighbours merge when they hold at most mergeAtMostKeys together, and not before', () => {
    const kv = new RangePartitionedKV({ splitAboveKeys: 4, mergeAtMostKeys: 2 });
    for (const k of ['a', 'b', 'c', 'd', 'e']) kv.put(b(k), b(k));
    expect(kv.partitions().map((p) => p.keys), because('five keys over a threshold of four split at the median c: [a, c) and [c, +∞)', SPLITS)).toEqual([2, 3]);
    kv.delete(b('e'));
    kv.delete(b('d'));
    expect(kv.partitions().length, because('2 + 1 = 3 keys is more than mergeAtMostKeys = 2: no merge yet', SPLITS)).toBe(2);
    kv.delete(b('c'));
    expect(kv.partitions().length, because('2 + 0 = 2 keys is at most mergeAtMostKeys = 2: the neighbours merge', SPLITS)).toBe(1);
    expect([...kv.scan()].map((e) => fromUtf8(e.key)), because('the merged partition keeps every live key', SPLITS)).toEqual(['a', 'b']);
  });

  it('small neighbours merge after deletes, and the store keeps every key', () => {
    const { stores, newStore } = trackedStores();
    const kv = new RangePartitionedKV({ splitAboveKeys: 10, mergeAtMostKeys: 6, newStore });
    for (let id = 0; id < 60; id++) kv.put(rowKey(id), b('v'));
    const before = kv.partitions().length;
    for (let id = 0; id < 60; id++) if (id % 10 !== 0) kv.delete(rowKey(id));
    expect(kv.partitions().length, because('deletes shrink partitions, and small neighbours merge', SPLITS)).toBeLessThan(before);
    expect(kv.partitions().length, because('six keys fit in one partition after merging', SPLITS)).toBeLessThanOrEqual(2);
    expect([...kv.scan()].map((e) => decodeKey(e.key)[2]), because('merging keeps every live key', SPLITS)).toEqual([0, 10, 20, 30, 40, 50]);
    expect([...copiesPerKey(stores).values()].every((n) => n === 1), because('a store given up in a merge keeps nothing', SPLITS)).toBe(true);
  });

  it('writes to a key outside every range fail without changing anything', () => {
    const kv = new RangePartitionedKV({ splitAboveKeys: 4, ranges: [range('users', 'u', 'v')] });
    kv.put(b('u1'), b('one'));
    expect(() => kv.put(b('x'), b('?')), because('no partition owns "x"', MAP)).toThrow(KeyOutsideRangesError);
    expect(() => kv.batch([{ type: 'put', key: b('u2'), value: b('two') }, { type: 'put', key: b('a'), value: b('?') }]), because('a batch with one key outside every range fails', MAP)).toThrow(KeyOutsideRangesError);
    expect(kv.get(b('u2')), because('a failed batch changes nothing, not even its good keys', MAP)).toBeUndefined();
    expect([...kv.scan()].map((e) => fromUtf8(e.key)), because('what was stored before is intact', MAP)).toEqual(['u1']);
    expect([...kv.scan({ start: b('a'), end: b('z') })].length, because('a scan over gaps reads only the partitions that exist', MAP)).toBe(1);
  });
});
