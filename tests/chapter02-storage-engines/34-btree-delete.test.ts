import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { rebalance } from '@impl/chapter02-storage-engines/btree-node.js';
import { MIN_FILL_BYTES, PAGE_BODY_SIZE, nodeBodySize, type LeafNode } from '@impl/chapter02-storage-engines/btree-page.js';
import type { BTree } from '@impl/chapter02-storage-engines/btree.js';
import { distinct, key, newDisk, openTree, show, value } from './btree-testkit.js';

const SECTION = '3.4 Delete';

/**
 * The tree holds exactly what `expected` says for keys 0 to `max`: checked with `get` and the
 * invariant walk only, so that these tests need exercise 3.4 and not yet 3.5's scans.
 */
function expectContents(tree: BTree, expected: ReadonlyMap<number, Uint8Array>, max: number, invariant: string): void {
  for (let n = 0; n <= max; n++) {
    expect(show(tree.get(key(n))), because(`${invariant}: key ${n}`, SECTION)).toBe(show(expected.get(n)));
  }
  expect(tree.checkInvariants().entries, because(`${invariant}: no entries beyond those`, SECTION)).toBe(expected.size);
}

function leafOf(from: number, to: number, valueBytes: number): LeafNode {
  const keys: Uint8Array[] = [];
  const values: Uint8Array[] = [];
  for (let n = from; n < to; n++) {
    keys.push(key(n));
    values.push(value(n, 0, valueBytes));
  }
  return { kind: 'leaf', keys, values };
}

describe('3.4 delete with merge and redistribution', () => {
  test('two siblings that fit one page are merged into the left one', () => {
    const left = leafOf(0, 5, 100);
    const right = leafOf(5, 10, 100);
    const separator = rebalance(left, key(5), right);
    expect(separator, because('a merge leaves no separator: the parent drops it and the right page', SECTION)).toBeUndefined();
    expect(left.keys, because('the left node now holds both halves in order', SECTION)).toEqual(leafOf(0, 10, 100).keys);
  });

  test('two siblings too big for one page are evened out, both above the minimum fill', () => {
    const left = leafOf(0, 2, 100);
    const right = leafOf(2, 40, 100);
    const separator = rebalance(left, key(2), right);
    expect(separator, because('redistribution gives the parent a new separator', SECTION)).toBeDefined();
    expect([...left.keys, ...right.keys], because('redistribution loses and reorders nothing', SECTION)).toEqual(leafOf(0, 40, 100).keys);
    expect(show(separator), because("the separator is the right node's first key", SECTION)).toBe(show(right.keys[0]));
    for (const node of [left, right]) {
      expect(nodeBodySize(node), because('both nodes fit a page', SECTION)).toBeLessThanOrEqual(PAGE_BODY_SIZE);
      expect(nodeBodySize(node), because('both nodes end at least MIN_FILL_BYTES full', SECTION)).toBeGreaterThanOrEqual(MIN_FILL_BYTES);
    }
  });

  test('deleting every key, in random order, removes exactly that key each time and shrinks the tree back to one leaf', () => {
    forEachSeed(2, (seed) => {
      const random = new Random(seed);
      const tree = openTree(newDisk(seed));
      const keys = distinct(random, 700, 10_000);
      keys.forEach((n) => tree.put(key(n), value(n, 0, 80)));
      expect(tree.checkInvariants().height, because('700 entries of ~100 bytes take more than one page', SECTION)).toBeGreaterThan(1);
      random.shuffle(keys);
      keys.forEach((n, i) => {
        tree.delete(key(n));
        if (i % 61 === 0) {
          expect(tree.get(key(n)), because('a deleted key reads undefined', SECTION)).toBeUndefined();
          const next = keys[i + 1];
          if (next !== undefined) expect(show(tree.get(key(next))), because('deleting one key keeps the others', SECTION)).toBe(show(value(next, 0, 80)));
          expect(tree.checkInvariants().entries, because('order, balance and fill hold after every delete', SECTION)).toBe(keys.length - i - 1);
        }
      });
      const shape = tree.checkInvariants();
      expect(shape, because('an empty tree is a single empty root leaf again: merges emptied the levels above', SECTION)).toEqual({ height: 1, pages: 1, entries: 0 });
    });
  });

  test('a tree three levels high shrinks back to one leaf: internal nodes merge and redistribute too', () => {
    forEachSeed(2, (seed) => {
      const random = new Random(seed);
      const tree = openTree(newDisk(seed));
      const keys = distinct(random, 900, 100_000);
      // Values near the 1,024-byte maximum: three entries per leaf, so 900 keys need about 300
      // leaves, more than one internal page can point to.
      for (const n of keys) tree.put(key(n), value(n, 0, 1000));
      const heights = new Set([tree.checkInvariants().height]);
      expect([...heights][0], because('900 entries of 1,000 bytes make a tree of three levels', SECTION)).toBe(3);
      random.shuffle(keys);
      keys.forEach((n, i) => {
        tree.delete(key(n));
        if (i % 25 === 0) {
          const shape = tree.checkInvariants();
          expect(shape.entries, because('order, balance and fill hold in internal nodes too, after every delete', SECTION)).toBe(keys.length - i - 1);
          heights.add(shape.height);
        }
      });
      heights.add(tree.checkInvariants().height);
      expect([...heights].sort(), because('the tree went down through every height: internal merges emptied the upper levels', SECTION)).toEqual([1, 2, 3]);
      expect(tree.checkInvariants(), because('an empty tree is a single empty root leaf', SECTION)).toEqual({ height: 1, pages: 1, entries: 0 });
    });
  });

  test('deleting an absent key is not an error and changes nothing', () => {
    const tree = openTree(newDisk());
    const stored = new Map<number, Uint8Array>();
    for (let n = 0; n < 300; n += 2) {
      tree.put(key(n), value(n));
      stored.set(n, value(n));
    }
    for (let n = 1; n < 300; n += 2) tree.delete(key(n));
    expectContents(tree, stored, 300, 'delete of a missing key is a no-op');
  });

  test('a random mix of puts and deletes matches a Map and keeps order, balance and fill (property)', () => {
    const op = fc.oneof(
      fc.record({ type: fc.constant<'put'>('put'), n: fc.integer({ min: 0, max: 400 }), size: fc.integer({ min: 0, max: 700 }) }),
      fc.record({ type: fc.constant<'delete'>('delete'), n: fc.integer({ min: 0, max: 400 }) }),
    );
    checkProperty(
      fc.property(fc.array(op, { minLength: 100, maxLength: 600, size: 'max' }), (ops) => {
        const tree = openTree(newDisk());
        const model = new Map<number, Uint8Array>();
        for (const o of ops) {
          if (o.type === 'put') {
            const v = value(o.n, 0, o.size);
            tree.put(key(o.n), v);
            model.set(o.n, v);
          } else {
            tree.delete(key(o.n));
            model.delete(o.n);
          }
        }
        expect(tree.checkInvariants().entries, because('order, balance and fill hold after any mix of puts and deletes', SECTION)).toBe(model.size);
        expectContents(tree, model, 400, 'the tree holds exactly what a Map given the same operations holds');
      }),
      { numRuns: 15 },
    );
  });

  test('shrinking values underfills leaves, which are then merged: fill holds after updates too', () => {
    const tree = openTree(newDisk());
    for (let n = 0; n < 400; n++) tree.put(key(n), value(n, 0, 600));
    for (let n = 0; n < 400; n++) tree.put(key(n), value(n, 1, 0));
    const shape = tree.checkInvariants();
    expect(shape.entries, because('updates keep every key', SECTION)).toBe(400);
    expect(shape.pages, because('400 small entries fit in a handful of pages once underfull leaves merge', SECTION)).toBeLessThan(20);
  });
});
