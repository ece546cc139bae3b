/**
 * A Merkle tree over fixed key ranges, for anti-entropy between replicas.
 *
 * The key space is cut at agreed split keys into `2^depth` contiguous leaf ranges. A leaf's hash
 * covers every entry (key and stored value) in its range; an inner node's hash covers its two
 * children. Two replicas with equal roots hold the same data; where roots differ, comparing
 * children top-down finds the differing leaf ranges while skipping every subtree whose hashes
 * agree, so the work grows with the number of differences, not with the size of the data.
 *
 * Hashes are SHA-256. A leaf hashes, for each entry in key order, a u32 key length, the key,
 * a u32 value length and the value; an inner node hashes its left child's hash then its right's.
 * @module
 */

import { createHash } from 'node:crypto';
import { NotImplementedError } from '../../shared/errors.js';
import type { Entry, KeyRange, OrderedKV } from '../../shared/kv.js';

const exercise = {
  exercise: '4.2 Merkle trees',
  file: 'chapter04-replication/merkle-tree.ts',
  section: '4.2 Merkle trees',
};

/** Bytes in one hash (SHA-256). */
export const HASH_BYTES = 32;

/** Hashes a leaf's entries, which must be in key order. Given. */
export function hashLeaf(entries: Iterable<Entry>): Uint8Array {
  const hash = createHash('sha256');
  const length = new Uint8Array(4);
  const view = new DataView(length.buffer);
  for (const { key, value } of entries) {
    view.setUint32(0, key.length);
    hash.update(length);
    hash.update(key);
    view.setUint32(0, value.length);
    hash.update(length);
    hash.update(value);
  }
  return new Uint8Array(hash.digest());
}

/** Hashes an inner node from its children's hashes. Given. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(left).update(right).digest());
}

/** The differing leaves two trees found, and how many node hashes were compared to find them. */
export interface TreeDiff {
  /** Indices of the leaves whose hashes differ, ascending. */
  readonly leaves: number[];
  /** Node hashes compared, root included: the cost of the search. */
  readonly hashesCompared: number;
}

/** A Merkle tree over the ranges between `splits`. Rebuild or {@link update} it after writes. */
export class MerkleTree {
  /** Levels below the root; the tree has `2^depth` leaves. */
  readonly depth: number;

  /**
   * Builds the tree over the entries of `kv`. `splits` are the `2^depth - 1` strictly increasing
   * keys where one leaf range ends and the next begins; anything else is a `UsageError`. Leaf
   * `i` covers `[splits[i - 1], splits[i])`, open-ended at both ends of the key space.
   */
  constructor(kv: OrderedKV, splits: readonly Uint8Array[]) {
    void kv;
    void splits;
    this.depth = 0;
    throw new NotImplementedError(exercise);
  }

  /** Number of leaves (`2^depth`). */
  get leafCount(): number {
    throw new NotImplementedError(exercise);
  }

  /** The root hash: equal roots mean equal data. */
  get root(): Uint8Array {
    throw new NotImplementedError(exercise);
  }

  /** The hash of node `index` at `level` (0 = the root, `depth` = the leaves). */
  hashAt(level: number, index: number): Uint8Array {
    void level;
    void index;
    throw new NotImplementedError(exercise);
  }

  /** The key range leaf `index` covers; `start` or `end` omitted at the ends of the key space. */
  leafRange(index: number): KeyRange {
    void index;
    throw new NotImplementedError(exercise);
  }

  /** The leaf whose range holds `key`: the number of split keys ≤ `key`. */
  leafOf(key: Uint8Array): number {
    void key;
    throw new NotImplementedError(exercise);
  }

  /** Rehashes the leaf holding `key` from `kv`, then its ancestors: call after writing `key`. */
  update(kv: OrderedKV, key: Uint8Array): void {
    void kv;
    void key;
    throw new NotImplementedError(exercise);
  }
}

/**
 * Compares two trees built with the same splits top-down: a node's children are compared only
 * when the node's hashes differ. Counts every hash comparison in `hashesCompared`.
 */
export function diffTrees(a: MerkleTree, b: MerkleTree): TreeDiff {
  void a;
  void b;
  throw new NotImplementedError(exercise);
}
