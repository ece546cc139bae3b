/**
 * Exercise 5.2: many more partitions than nodes, fixed for the life of the cluster. A key's
 * partition is `hashKey(key) mod P` and never changes; what changes is which node holds which
 * partition, and partitions move between nodes whole (Riak, Elasticsearch, Couchbase, Redis
 * Cluster's 16,384 slots).
 * @module
 */

import { UsageError } from '../../shared/errors.js';
import { hashKey } from './hash.js';

/** Which node holds each partition: `owners[p]` is the node of partition `p`. */
export type FixedAssignment = readonly string[];

/** A change of assignment and the partitions it moves. */
export interface FixedMove {
  readonly assignment: FixedAssignment;
  /** The partitions whose owner changed, ascending. */
  readonly moved: readonly number[];
}

/** The partition of `key` among `partitions`: `hashKey(key) mod partitions`. */
export function fixedPartitionOf(key: Uint8Array | string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new UsageError(`fixedPartitionOf: partitions must be a positive integer, got ${partitions}`);
  return Number(hashKey(key) % BigInt(partitions));
}

/** Deals `partitions` partitions to `nodes` round-robin: partition p goes to `nodes[p mod N]`. */
export function assignFixedPartitions(partitions: number, nodes: readonly string[]): FixedAssignment {
  if (nodes.length === 0) throw new UsageError('assignFixedPartitions: there are no nodes');
  if (new Set(nodes).size !== nodes.length) throw new UsageError('assignFixedPartitions: a node is listed twice');
  return Array.from({ length: partitions }, (_, p) => nodes[p % nodes.length]!);
}

/**
 * A new node joins: it takes `floor(P / (N + 1))` partitions, each from the node holding the
 * most at that moment (ties to the name that sorts first). Nothing else moves.
 */
export function addNodeFixed(assignment: FixedAssignment, node: string): FixedMove {
  const owners = [...assignment];
  const held = new Map<string, number[]>();
  for (let p = 0; p < owners.length; p++) {
    const list = held.get(owners[p]!) ?? [];
    list.push(p);
    held.set(owners[p]!, list);
  }
  if (held.has(node)) throw new UsageError(`addNodeFixed: node ${JSON.stringify(node)} already holds partitions`);
  const share = Math.floor(owners.length / (held.size + 1));
  const moved: number[] = [];
  for (let i = 0; i < share; i++) {
    let donor: string | undefined;
    for (const [name, list] of held) {
      const best = donor === undefined ? undefined : held.get(donor)!;
      if (best === undefined || list.length > best.length || (list.length === best.length && name < donor!)) donor = name;
    }
    const p = held.get(donor!)!.pop()!;
    owners[p] = node;
    moved.push(p);
  }
  return { assignment: owners, moved: moved.sort((a, b) => a - b) };
}

/** The node that holds `key`: the owner of its partition. */
export function fixedOwner(key: Uint8Array | string, assignment: FixedAssignment): string {
  if (assignment.length === 0) throw new UsageError('fixedOwner: the assignment has no partitions');
  return assignment[fixedPartitionOf(key, assignment.length)]!;
}
