import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes } from '../../shared/bytes.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { Memtable } from '@impl/chapter02-storage-engines/memtable.js';
import { b, s } from './helpers.js';

const SECTION = '2.1 The memtable';

describe('2.1 the memtable', () => {
  it('keeps entries sorted by key whatever the insertion order, one entry per key', () => {
    const m = new Memtable(new Random(1));
    for (const k of ['m', 'c', 'x', 'a', 'c', 'b']) m.put(b(k), b(k.toUpperCase()));
    expect(
      [...m.entries()].map((e) => s(e.key)),
      because('a memtable iterates in key order, and a second put of a key replaces its entry instead of adding one', SECTION),
    ).toEqual(['a', 'b', 'c', 'm', 'x']);
    expect(m.get(b('c')), because('the second put of "c" wins', SECTION)).toEqual(b('C'));
    expect(m.size, because('size counts distinct keys', SECTION)).toBe(5);
  });

  it('distinguishes a tombstone (null) from a key it never saw (undefined)', () => {
    const m = new Memtable(new Random(1));
    m.put(b('gone'), b('v'));
    m.put(b('gone'), null);
    expect(m.get(b('gone')), because('a tombstone must be remembered, to hide older layers', SECTION)).toBeNull();
    expect(m.get(b('never'))).toBeUndefined();
    expect(
      [...m.entries()].map((e) => [s(e.key), e.value]),
      because('entries() yields tombstones too: a flush must write them, to hide older tables', SECTION),
    ).toEqual([['gone', null]]);
  });

  it('counts the bytes it holds so the tree knows when to flush', () => {
    const m = new Memtable(new Random(1));
    m.put(b('key'), new Uint8Array(100));
    const one = m.sizeBytes;
    expect(one, because('sizeBytes counts the key and value bytes plus 32 bytes of bookkeeping per entry: 3 + 100 + 32', SECTION)).toBe(135);
    m.put(b('key2'), new Uint8Array(100));
    expect(m.sizeBytes, because('a new key adds its bytes', SECTION)).toBeGreaterThan(one);
    const two = m.sizeBytes;
    m.put(b('key2'), new Uint8Array(10));
    expect(m.sizeBytes, because('overwriting a value replaces its bytes in the count, it does not add to them', SECTION)).toBe(two - 90);
  });

  it('bounded scans, forwards and backwards, equal a sorted model (property)', () => {
    const key = fc.uint8Array({ maxLength: 3 });
    checkProperty(
      fc.property(fc.array(fc.tuple(key, fc.option(fc.uint8Array({ maxLength: 3 }), { nil: null }))), fc.option(key, { nil: undefined }), fc.option(key, { nil: undefined }), fc.boolean(), (puts, start, end, reverse) => {
        const m = new Memtable(new Random(7));
        const model = new Map<string, { key: Uint8Array; value: Uint8Array | null }>();
        for (const [k, v] of puts) {
          m.put(k, v);
          model.set(k.join(','), { key: k, value: v });
        }
        let expected = [...model.values()]
          .filter((e) => (start === undefined || compareBytes(e.key, start) >= 0) && (end === undefined || compareBytes(e.key, end) < 0))
          .sort((x, y) => compareBytes(x.key, y.key));
        if (reverse) expected = expected.reverse();
        const got = [...m.entries({ start, end, reverse })].map((e) => ({ key: e.key, value: e.value }));
        expect(got, because('entries(bounds) yields [start, end) in order', SECTION)).toEqual(expected);
        for (const e of model.values()) expect(m.get(e.key)).toEqual(e.value);
      }),
    );
  });
});
