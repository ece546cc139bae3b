/**
 * Exercise 5.3: rebalancing a fixed number of partitions when nodes join and leave. Partitions
 * move whole; the plan moves as few of them as it can while leaving every node with
 * `floor(P / N)` or `ceil(P / N)` partitions.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';

const REBALANCE = { exercise: '5.3 Rebalancing', file: 'chapter05-partitioning/rebalance.ts', section: 'Rebalancing: the fewest moves' };

/** Which node holds each partition (`owners[p]`), and every member, including members that hold nothing. */
export interface Placement {
  /** The members of the cluster, each once. */
  readonly nodes: readonly string[];
  /** `owners[p]` is the member holding partition `p`. */
  readonly owners: readonly string[];
}

/** Who joins and who leaves. */
export interface MembershipChange {
  readonly join?: readonly string[];
  readonly leave?: readonly string[];
}

/** One partition changing hands. */
export interface PartitionMove {
  readonly partition: number;
  readonly from: string;
  readonly to: string;
}

/** The placement after a change, and the moves that get there (ascending by partition). */
export interface RebalancePlan extends Placement {
  readonly moves: readonly PartitionMove[];
}

/**
 * The load every node must end within: `min = floor(P / N)` and `max = ceil(P / N)` partitions.
 * `UsageError` when `nodes` is not a positive integer or `partitions` not a whole number.
 */
export function loadBounds(partitions: number, nodes: number): { readonly min: number; readonly max: number } {
  throw new NotImplementedError(REBALANCE);
}

/**
 * The plan for `change`: the members afterwards (those who stay, in their order, then those who
 * join), the new owners and the moves. It must make true:
 *
 * - every node ends with `loadBounds(P, N)`: `floor(P / N)` or `ceil(P / N)` partitions;
 * - every partition of a leaving node moves to a member that stays or joins;
 * - a staying node gives partitions away only when it holds more than it may keep, and never
 *   both gives and receives;
 * - no plan within the bounds moves fewer partitions (see the notes for the lower bound);
 * - `moves` lists exactly the partitions whose owner changed, ascending.
 *
 * Bad input changes nothing: an owner or a leaving node that is not a member is an
 * `UnknownNodeError`; a node listed twice, joining while a member, or a change that leaves no
 * node at all is a `UsageError`. The inputs are not modified.
 */
export function planRebalance(current: Placement, change: MembershipChange): RebalancePlan {
  throw new NotImplementedError(REBALANCE);
}
