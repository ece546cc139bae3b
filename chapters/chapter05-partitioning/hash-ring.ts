/**
 * Exercise 5.2: consistent hashing with virtual nodes. Each node is placed on a ring of 2^64
 * positions at V points, the hashes of `virtualNodeKey(node, 0)` … `virtualNodeKey(node, V - 1)`.
 * A key belongs to the first point at or after its own hash, going round past 2^64 - 1 to the
 * first point. A joining node takes over the arcs just before its points, from whichever nodes
 * held them, and nothing else moves.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';

const RING = { exercise: '5.2 Hash partitioning', file: 'chapter05-partitioning/hash-ring.ts', section: 'Consistent hashing with virtual nodes' };

/**
 * The bytes hashed to place virtual node `v` of `node`: the tuple `(node, v)` in the shared
 * order-preserving encoding (`encodeKey([node, v])` from `shared/tuple-key.ts`), so that two
 * different pairs never give the same bytes: `("node1", 0)` and `("node", 10)` must differ.
 */
export function virtualNodeKey(node: string, v: number): Uint8Array {
  throw new NotImplementedError(RING);
}

/**
 * A consistent-hash ring. Points are ordered by position, ties by node name, so every process
 * that builds the ring from the same members builds the same ring.
 */
export class HashRing {
  /** A ring holding `nodes`, each at `virtualNodes` points (`UsageError` unless a positive integer). */
  constructor(nodes: readonly string[], virtualNodes: number) {
    throw new NotImplementedError(RING);
  }

  /** The members, sorted. */
  nodes(): string[] {
    throw new NotImplementedError(RING);
  }

  /** Places `node`'s virtual nodes. A node already on the ring is a `UsageError`. */
  add(node: string): void {
    throw new NotImplementedError(RING);
  }

  /** Takes `node`'s virtual nodes off the ring. A node not on it is an `UnknownNodeError`. */
  remove(node: string): void {
    throw new NotImplementedError(RING);
  }

  /** The positions of `node`'s virtual nodes (`hashKey(virtualNodeKey(node, v))`), ascending; `UnknownNodeError` for a non-member. */
  positions(node: string): bigint[] {
    throw new NotImplementedError(RING);
  }

  /** The node owning `key`: the first point at or after `hashKey(key)`, wrapping round; `UsageError` on an empty ring. */
  ownerOf(key: Uint8Array | string): string {
    throw new NotImplementedError(RING);
  }
}
