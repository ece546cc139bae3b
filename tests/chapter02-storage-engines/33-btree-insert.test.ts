import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareBytes, utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { childIndex, lowerBound, splitNode } from '@impl/chapter02-storage-engines/btree-node.js';
import {
  MAX_KEY_BYTES,
  MAX_VALUE_BYTES,
  MIN_FILL_BYTES,
  PAGE_BODY_SIZE,
  nodeBodySize,
  type InternalNode,
  type LeafNode,
} from '@impl/chapter02-storage-engines/btree-page.js';
import { distinct, hex, key, newDisk, openTree, show, value } from './btree-testkit.js';

const SECTION = '3.3 Search and insert';

const sortedKeys = fc
  .uniqueArray(fc.uint8Array({ maxLength: 6 }), { selector: (k) => k.join(','), maxLength: 40 })
  .map((keys) => keys.sort(compareBytes));

describe('3.3 search and insert with splits', () => {
  test('lowerBound finds the first key >= the probe', () => {
    checkProperty(
      fc.property(sortedKeys, fc.uint8Array({ maxLength: 6 }), (keys, probe) => {
        const expected = keys.findIndex((k) => compareBytes(k, probe) >= 0);
        expect(lowerBound(keys, probe), because('binary search agrees with a linear scan', SECTION)).toBe(expected === -1 ? keys.length : expected);
      }),
    );
  });

  test('childIndex picks the child whose key range holds the probe: separators <= probe', () => {
    checkProperty(
      fc.property(sortedKeys, fc.uint8Array({ maxLength: 6 }), (keys, probe) => {
        const node: InternalNode = { kind: 'internal', keys, children: keys.map((_, i) => i + 2).concat(keys.length + 2) };
        const expected = keys.filter((k) => compareBytes(k, probe) <= 0).length;
        expect(childIndex(node, probe), because('children[i] holds keys in [keys[i-1], keys[i]): a key equal to a separator goes right', SECTION)).toBe(expected);
      }),
    );
  });

  test('splitting a leaf that just overflowed keeps every entry, in order, and both halves at least MIN_FILL_BYTES', () => {
    checkProperty(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: MAX_KEY_BYTES - 4 }), fc.integer({ min: 0, max: MAX_VALUE_BYTES })), { minLength: 1, maxLength: 40 }),
        (sizes) => {
          // Fill a leaf the way inserts do, one entry at a time, until it first outgrows its page.
          const keys: Uint8Array[] = [];
          const values: Uint8Array[] = [];
          for (let i = 0, size = 0; size <= PAGE_BODY_SIZE; i++) {
            const [keySize, valueSize] = sizes[i % sizes.length]!;
            const k = new Uint8Array(keySize + 4);
            new DataView(k.buffer).setUint32(0, i);
            keys.push(k);
            values.push(new Uint8Array(valueSize).fill(i % 256));
            size += 4 + k.length + valueSize;
          }
          const node: LeafNode = { kind: 'leaf', keys: [...keys], values: [...values] };
          const { separator, right } = splitNode(node);
          if (right.kind !== 'leaf') throw new Error('splitting a leaf must give a leaf');
          const text = (list: Uint8Array[]): string => list.map(hex).join(' ');
          expect(text([...node.keys, ...right.keys]), because('a leaf split loses no key and keeps their order', SECTION)).toBe(text(keys));
          expect(text([...node.values, ...right.values]), because('every value stays with its key', SECTION)).toBe(text(values));
          expect(compareBytes(separator, right.keys[0]!), because("a leaf's separator is the right half's first key", SECTION)).toBe(0);
          for (const half of [node, right]) {
            expect(nodeBodySize(half), because('each half fits a page', SECTION)).toBeLessThanOrEqual(PAGE_BODY_SIZE);
            expect(nodeBodySize(half), because('a split into two near-equal halves by bytes leaves both at least a quarter full', SECTION)).toBeGreaterThanOrEqual(MIN_FILL_BYTES);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test('a split cuts by bytes, not by entry count: ten small entries and four large ones', () => {
    const keys = Array.from({ length: 14 }, (_, i) => new Uint8Array([0, i]));
    const values = keys.map((_, i) => new Uint8Array(i < 10 ? 10 : 1000));
    const node: LeafNode = { kind: 'leaf', keys: [...keys], values: [...values] };
    expect(nodeBodySize(node), because('the leaf has just outgrown its page', SECTION)).toBeGreaterThan(PAGE_BODY_SIZE);
    const { right } = splitNode(node);
    for (const half of [node, right]) {
      expect(
        nodeBodySize(half),
        because('cutting at the middle entry would leave seven small entries (112 bytes) on the left: cut where the byte counts balance', SECTION),
      ).toBeGreaterThanOrEqual(MIN_FILL_BYTES);
    }
  });

  test('splitting an internal node moves the middle separator up and keeps every child', () => {
    const keys = Array.from({ length: 300 }, (_, i) => key(i));
    const children = Array.from({ length: 301 }, (_, i) => i + 2);
    const node: InternalNode = { kind: 'internal', keys: [...keys], children: [...children] };
    const { separator, right } = splitNode(node);
    if (right.kind !== 'internal') throw new Error('splitting an internal node must give an internal node');
    expect([...node.keys, separator, ...right.keys], because('the separator moves up: it is in neither half', SECTION)).toEqual(keys);
    expect([...node.children, ...right.children], because('every child stays, in order', SECTION)).toEqual(children);
    expect(node.children.length, because('each half has one more child than keys', SECTION)).toBe(node.keys.length + 1);
    expect(right.children.length, because('each half has one more child than keys', SECTION)).toBe(right.keys.length + 1);
  });

  test('every inserted key reads back its latest value; absent keys read undefined', () => {
    forEachSeed(2, (seed) => {
      const random = new Random(seed);
      const tree = openTree(newDisk(seed));
      const order = distinct(random, 800, 5000);
      order.forEach((n) => tree.put(key(n), value(n)));
      order.slice(0, 200).forEach((n) => tree.put(key(n), value(n, 1, random.int(0, 200))));
      const updated = new Set(order.slice(0, 200));
      for (const n of order) {
        const expected = updated.has(n) ? undefined : value(n);
        const got = tree.get(key(n));
        if (expected !== undefined) expect(show(got), because(`key ${n} must read back the value put last`, SECTION)).toBe(show(expected));
        else expect(show(got), because(`key ${n} was overwritten`, SECTION)).toMatch(new RegExp(`^value-${n}-v1-`));
      }
      for (let n = 5000; n < 5050; n++) expect(tree.get(key(n)), because('a key never put reads undefined', SECTION)).toBeUndefined();
    });
  });

  test('inserts split pages: the tree grows in height and keeps order, balance and fill', () => {
    forEachSeed(2, (seed) => {
      const random = new Random(seed);
      const tree = openTree(newDisk(seed));
      for (const n of distinct(random, 1500, 100_000)) {
        tree.put(key(n), value(n, 0, random.int(0, 300)));
      }
      const shape = tree.checkInvariants();
      expect(shape.entries, because('every distinct key is stored once', SECTION)).toBe(1500);
      expect(shape.height, because('1500 entries of ~100 bytes need more than one level of 4 KiB pages', SECTION)).toBeGreaterThanOrEqual(2);
    });
  });

  test('sequential inserts (the worst case for a naive split) keep the invariants', () => {
    const tree = openTree(newDisk());
    for (let n = 0; n < 4000; n++) tree.put(key(n), value(n));
    const shape = tree.checkInvariants();
    expect(shape.entries, because('every key is stored', SECTION)).toBe(4000);
    expect(shape.height, because('4000 entries need a root, internal level and leaves', SECTION)).toBeGreaterThanOrEqual(2);
  });

  test('invariants hold after any sequence of inserts (property)', () => {
    checkProperty(
      fc.property(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 24 }), fc.integer({ min: 0, max: 600 })), { minLength: 50, maxLength: 400, size: 'max' }),
        (ops) => {
          const tree = openTree(newDisk());
          const model = new Map<string, number>();
          for (const [k, size] of ops) {
            tree.put(k, new Uint8Array(size).fill(size % 251));
            model.set(k.join(','), size);
          }
          expect(tree.checkInvariants().entries, because('one entry per distinct key', SECTION)).toBe(model.size);
          for (const [k] of ops) {
            expect(tree.get(k)?.length, because('each key reads back its last value', SECTION)).toBe(model.get(k.join(',')));
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  test('stored bytes are copies: changing an array after put or get does not change the tree', () => {
    const tree = openTree(newDisk());
    const k = utf8('k');
    const v = utf8('original');
    tree.put(k, v);
    v[0] = 0;
    k[0] = 0;
    const got = tree.get(utf8('k'));
    expect(show(got), because('put copies its arguments', SECTION)).toBe('original');
    got![0] = 0;
    expect(show(tree.get(utf8('k'))), because('get returns a copy', SECTION)).toBe('original');
  });

  test('a key or value over the limit is refused with a UsageError and changes nothing', () => {
    const tree = openTree(newDisk());
    tree.put(utf8('a'), utf8('1'));
    expect(() => tree.put(new Uint8Array(MAX_KEY_BYTES + 1), utf8('x')), because('keys longer than MAX_KEY_BYTES do not fit the page layout', SECTION)).toThrow(UsageError);
    expect(() => tree.put(utf8('b'), new Uint8Array(MAX_VALUE_BYTES + 1)), because('values longer than MAX_VALUE_BYTES need overflow pages', SECTION)).toThrow(UsageError);
    expect(tree.get(utf8('b')), because('a refused put stores nothing', SECTION)).toBeUndefined();
    expect(show(tree.get(utf8('a'))), because('a refused put loses nothing', SECTION)).toBe('1');
    tree.put(new Uint8Array(MAX_KEY_BYTES), new Uint8Array(MAX_VALUE_BYTES));
    expect(tree.get(new Uint8Array(MAX_KEY_BYTES))?.length, because('entries at exactly the limits are accepted', SECTION)).toBe(MAX_VALUE_BYTES);
  });
});
