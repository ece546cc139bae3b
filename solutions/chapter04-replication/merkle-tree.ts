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
import { compareBytes } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import type { Entry, KeyRange, OrderedKV } from '../../shared/kv.js';

/** Bytes in one hash (SHA-256). */
export const HASH_BYTES = 32;

/** Hashes a leaf's entries, which must be in key order. */
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

/** Hashes an inner node from its children's hashes. */
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
  private readonly splits: readonly Uint8Array[];
  // levels[0] = [root]; levels[depth] = the leaves. levels[l][i] has children 2i and 2i + 1.
  private readonly levels: Uint8Array[][];

  /**
   * Builds the tree over the entries of `kv`. `splits` are the `2^depth - 1` increasing keys
   * where one leaf range ends and the next begins; every replica must use the same splits.
   */
  constructor(kv: OrderedKV, splits: readonly Uint8Array[]) {
    const leafCount = splits.length + 1;
    if ((leafCount & (leafCount - 1)) !== 0) {
      throw new UsageError(`a Merkle tree needs 2^depth - 1 split keys; got ${splits.length}`);
    }
    for (let i = 1; i < splits.length; i++) {
      if (compareBytes(splits[i - 1]!, splits[i]!) >= 0) {
        throw new UsageError(`Merkle split keys must increase strictly; split ${i} does not`);
      }
    }
    this.splits = splits.map((s) => s.slice());
    this.depth = Math.log2(leafCount);
    this.levels = [];
    for (let level = 0; level <= this.depth; level++) {
      this.levels.push(Array.from({ length: 2 ** level }, () => new Uint8Array(HASH_BYTES)));
    }
    for (let leaf = 0; leaf < leafCount; leaf++) this.levels[this.depth]![leaf] = hashLeaf(kv.scan(this.leafRange(leaf)));
    for (let level = this.depth - 1; level >= 0; level--) {
      for (let i = 0; i < 2 ** level; i++) this.rehashNode(level, i);
    }
  }

  /** Number of leaves (`2^depth`). */
  get leafCount(): number {
    return this.splits.length + 1;
  }

  /** The root hash: equal roots mean equal data. */
  get root(): Uint8Array {
    return this.levels[0]![0]!;
  }

  /** The hash of node `index` at `level` (0 = the root, `depth` = the leaves). */
  hashAt(level: number, index: number): Uint8Array {
    const hash = this.levels[level]?.[index];
    if (hash === undefined) throw new UsageError(`no Merkle node ${index} at level ${level} (depth ${this.depth})`);
    return hash;
  }

  /** The key range leaf `index` covers. */
  leafRange(index: number): KeyRange {
    if (!Number.isInteger(index) || index < 0 || index >= this.leafCount) {
      throw new UsageError(`no Merkle leaf ${index}; leaves are 0..${this.leafCount - 1}`);
    }
    const start = index === 0 ? undefined : this.splits[index - 1];
    const end = index === this.splits.length ? undefined : this.splits[index];
    return { ...(start && { start }), ...(end && { end }) };
  }

  /** The leaf whose range holds `key`: the number of split keys ≤ `key`. */
  leafOf(key: Uint8Array): number {
    let lo = 0;
    let hi = this.splits.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.splits[mid]!, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Rehashes the leaf holding `key` from `kv`, then its ancestors: call after writing `key`. */
  update(kv: OrderedKV, key: Uint8Array): void {
    let index = this.leafOf(key);
    this.levels[this.depth]![index] = hashLeaf(kv.scan(this.leafRange(index)));
    for (let level = this.depth - 1; level >= 0; level--) {
      index >>>= 1;
      this.rehashNode(level, index);
    }
  }

  private rehashNode(level: number, index: number): void {
    const below = this.levels[level + 1]!;
    this.levels[level]![index] = hashChildren(below[2 * index]!, below[2 * index + 1]!);
  }
}

/**
 * Compares two trees built with the same splits top-down: a node's children are compared only
 * when the node's hashes differ.
 */
export function diffTrees(a: MerkleTree, b: MerkleTree): TreeDiff {
  if (a.depth !== b.depth) throw new UsageError(`cannot compare Merkle trees of depth ${a.depth} and ${b.depth}`);
  const leaves: number[] = [];
  let hashesCompared = 0;
  let frontier = [0];
  for (let level = 0; level <= a.depth; level++) {
    const differing: number[] = [];
    for (const index of frontier) {
      hashesCompared++;
      if (compareBytes(a.hashAt(level, index), b.hashAt(level, index)) !== 0) differing.push(index);
    }
    if (level === a.depth) leaves.push(...differing);
    else frontier = differing.flatMap((i) => [2 * i, 2 * i + 1]);
  }
  return { leaves, hashesCompared };
}
