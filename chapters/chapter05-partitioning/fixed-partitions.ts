/**
 * Exercise 5.2: many more partitions than nodes, fixed for the life of the cluster. A key's
 * partition is `hashKey(key) mod P` and never changes; what changes is which node holds which
 * partition, and partitions move between nodes whole (Riak, Elasticsearch, Couchbase, Redis
 * Cluster's 16,384 slots).
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';

/** Which node holds each partition: `owners[p]` is the node of partition `p`. */
export type FixedAssignment = readonly string[];

/** A change of assignment and the partitions it moves. */
export interface FixedMove {
  readonly assignment: FixedAssignment;
  /** The partitions whose owner changed, ascending. */
  readonly moved: readonly number[];
}

const FIXED = { exercise: '5.2 Hash partitioning', file: 'chapter05-partitioning/fixed-partitions.ts', section: 'A fixed number of partitions' };

/** The partition of `key` among `partitions`: `hashKey(key) mod partitions`; `UsageError` unless `partitions` is a positive integer. */
export function fixedPartitionOf(key: Uint8Array | string, partitions: number): number {
  throw new NotImplementedError(FIXED);
}

/** Deals `partitions` partitions to `nodes` round-robin: partition p goes to `nodes[p mod N]`. `UsageError` for no nodes or a node listed twice. */
export function assignFixedPartitions(partitions: number, nodes: readonly string[]): FixedAssignment {
  throw new NotImplementedError(FIXED);
}

/**
 * A new node joins: it takes `floor(P / (N + 1))` partitions, each from a node holding the most
 * at that moment, so every node ends with `floor` or `ceil` of `P / (N + 1)`. Nothing else moves:
 * no partition changes hands between old nodes. A node that already holds partitions is a
 * `UsageError`. The input is not modified.
 */
export function addNodeFixed(assignment: FixedAssignment, node: string): FixedMove {
  throw new NotImplementedError(FIXED);
}

/** The node that holds `key`: the owner of its partition. */
export function fixedOwner(key: Uint8Array | string, assignment: FixedAssignment): string {
  throw new NotImplementedError(FIXED);
}
