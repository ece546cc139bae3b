/**
 * Exercise 5.2: consistent hashing with virtual nodes. Each node is placed on a ring of 2^64
 * positions at V points, the hashes of `virtualNodeKey(node, 0)` … `virtualNodeKey(node, V - 1)`.
 * A key belongs to the first point at or after its own hash, going round past 2^64 - 1 to the
 * first point. A joining node takes over the arcs just before its points, from whichever nodes
 * held them, and nothing else moves.
 * @module
 */

import { UsageError } from '../../shared/errors.js';
import { encodeKey } from '../../shared/tuple-key.js';
import { UnknownNodeError } from './errors.js';
import { hashKey } from './hash.js';

/**
 * The bytes hashed to place virtual node `v` of `node`: the tuple `(node, v)` in the shared
 * order-preserving encoding. The string is ended by a 0x00 mark, so two different pairs never
 * give the same bytes: `("node1", 0)` and `("node", 10)` differ, where plain concatenation would
 * make both `"node10"`.
 */
export function virtualNodeKey(node: string, v: number): Uint8Array {
  return encodeKey([node, v]);
}

interface Point {
  readonly position: bigint;
  readonly node: string;
}

/** A consistent-hash ring. */
export class HashRing {
  private readonly virtualNodes: number;
  // Sorted by position, ties by node name, so every process builds the same ring.
  private points: Point[] = [];
  private readonly members = new Set<string>();

  constructor(nodes: readonly string[], virtualNodes: number) {
    if (!Number.isInteger(virtualNodes) || virtualNodes < 1) throw new UsageError(`HashRing: virtualNodes must be a positive integer, got ${virtualNodes}`);
    this.virtualNodes = virtualNodes;
    for (const node of nodes) this.add(node);
  }

  /** The members, sorted. */
  nodes(): string[] {
    return [...this.members].sort();
  }

  /** Places `node`'s virtual nodes. A node already on the ring is a `UsageError`. */
  add(node: string): void {
    if (this.members.has(node)) throw new UsageError(`HashRing.add: node ${JSON.stringify(node)} is already on the ring`);
    this.members.add(node);
    for (let v = 0; v < this.virtualNodes; v++) this.points.push({ position: hashKey(virtualNodeKey(node, v)), node });
    this.points.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  }

  /** Takes `node`'s virtual nodes off the ring. A node not on it is an `UnknownNodeError`. */
  remove(node: string): void {
    if (!this.members.delete(node)) throw new UnknownNodeError(node, 'HashRing.remove');
    this.points = this.points.filter((p) => p.node !== node);
  }

  /** The positions of `node`'s virtual nodes, ascending. */
  positions(node: string): bigint[] {
    if (!this.members.has(node)) throw new UnknownNodeError(node, 'HashRing.positions');
    return this.points.filter((p) => p.node === node).map((p) => p.position);
  }

  /** The node owning `key`: the first point at or after `hashKey(key)`, wrapping round. */
  ownerOf(key: Uint8Array | string): string {
    if (this.points.length === 0) throw new UsageError('HashRing.ownerOf: the ring has no nodes');
    const h = hashKey(key);
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid]!.position < h) lo = mid + 1;
      else hi = mid;
    }
    return this.points[lo === this.points.length ? 0 : lo]!.node;
  }
}
