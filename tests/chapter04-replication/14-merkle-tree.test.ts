import { describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { MerkleTree, diffTrees } from '@impl/chapter04-replication/merkle-tree.js';

const SECTION = 'Anti-entropy with Merkle trees';
const key = (i: number) => utf8(`key-${String(i).padStart(6, '0')}`);

/** `leaves - 1` split keys cutting key-000000 … key-(size) into equal ranges. */
function splits(leaves: number, size: number): Uint8Array[] {
  return Array.from({ length: leaves - 1 }, (_, i) => key(Math.round(((i + 1) * size) / leaves)));
}

function filled(size: number): MemoryKV {
  const kv = new MemoryKV();
  for (let i = 0; i < size; i++) kv.put(key(i), utf8(`value-${i}`));
  return kv;
}

describe('4.2 Merkle trees over key ranges', () => {
  it('equal data gives equal roots, one changed value changes the root', () => {
    const a = filled(100);
    const b = filled(100);
    const s = splits(8, 100);
    expect(new MerkleTree(a, s).root).toEqual(new MerkleTree(b, s).root);
    b.put(key(42), utf8('changed'));
    expect(new MerkleTree(a, s).root, because('a leaf hash covers every value in its range', SECTION)).not.toEqual(
      new MerkleTree(b, s).root,
    );
  });

  it('a leaf covers a half-open key range between consecutive splits', () => {
    const t = new MerkleTree(new MemoryKV(), splits(4, 100));
    expect(t.leafCount).toBe(4);
    expect(t.depth).toBe(2);
    expect(t.leafOf(key(0))).toBe(0);
    expect(t.leafOf(key(25)), because('a split key starts the next range', SECTION)).toBe(1);
    expect(t.leafOf(key(99))).toBe(3);
    expect(t.leafRange(1)).toEqual({ start: key(25), end: key(50) });
    expect(t.leafRange(0)).toEqual({ end: key(25) });
  });

  it('the diff finds exactly the leaves whose ranges hold differing keys, added, changed or deleted', () => {
    const a = filled(200);
    const b = filled(200);
    b.put(key(3), utf8('changed')); // leaf 0
    b.delete(key(130)); // leaf 5
    b.put(utf8('key-000199x'), utf8('extra')); // leaf 7
    const s = splits(8, 200);
    expect(diffTrees(new MerkleTree(a, s), new MerkleTree(b, s)).leaves).toEqual([0, 5, 7]);
  });

  it('update() after a write gives the same tree as a rebuild', () => {
    const kv = filled(64);
    const s = splits(16, 64);
    const tree = new MerkleTree(kv, s);
    kv.put(key(10), utf8('new'));
    tree.update(kv, key(10));
    kv.delete(key(63));
    tree.update(kv, key(63));
    expect(tree.root, because('update rehashes the leaf and every ancestor', SECTION)).toEqual(new MerkleTree(kv, s).root);
  });

  it('hashes compared grow with the differing leaves and the depth, not with the data size', () => {
    forEachSeed(10, (seed) => {
      const random = new Random(seed);
      const size = random.int(500, 2000);
      const differing = random.int(0, 4);
      const a = filled(size);
      const b = filled(size);
      for (let d = 0; d < differing; d++) b.put(key(random.int(0, size - 1)), utf8(`changed-${d}`));
      const s = splits(64, size);
      const diff = diffTrees(new MerkleTree(a, s), new MerkleTree(b, s));
      expect(diff.leaves.length).toBeLessThanOrEqual(differing);
      // One root, then at most two children per differing node on each of the 6 levels below.
      const bound = 1 + 2 * 6 * diff.leaves.length;
      expect(
        diff.hashesCompared,
        because(`with ${diff.leaves.length} differing leaves at most ${bound} hashes are compared`, SECTION),
      ).toBeLessThanOrEqual(bound);
    });
  });

  it('bad split keys are a usage error', () => {
    expect(() => new MerkleTree(new MemoryKV(), [key(1), key(2)])).toThrow(UsageError);
    expect(() => new MerkleTree(new MemoryKV(), [key(2), key(1), key(3)])).toThrow(UsageError);
  });
});
