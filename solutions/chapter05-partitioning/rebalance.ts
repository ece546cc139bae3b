/**
 * Exercise 5.3: rebalancing a fixed number of partitions when nodes join and leave. Partitions
 * move whole; the plan moves as few of them as it can while leaving every node with
 * `floor(P / N)` or `ceil(P / N)` partitions.
 * @module
 */

import { UsageError } from '../../shared/errors.js';
import { UnknownNodeError } from './errors.js';

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

/** The load every node must end within: `floor(P / N)` to `ceil(P / N)` partitions. */
export function loadBounds(partitions: number, nodes: number): { readonly min: number; readonly max: number } {
  if (!Number.isInteger(nodes) || nodes < 1) throw new UsageError(`loadBounds: a cluster needs at least one node, got ${nodes}`);
  if (!Number.isInteger(partitions) || partitions < 0) throw new UsageError(`loadBounds: partitions must be a whole number, got ${partitions}`);
  return { min: Math.floor(partitions / nodes), max: Math.ceil(partitions / nodes) };
}

/** Checks the input and returns the members after the change: those who stay, in order, then those who join. */
function nextMembers(current: Placement, change: MembershipChange): string[] {
  const members = new Set(current.nodes);
  if (members.size !== current.nodes.length) throw new UsageError('planRebalance: a node is listed twice in the placement');
  current.owners.forEach((owner, p) => {
    if (!members.has(owner)) throw new UnknownNodeError(owner, `planRebalance: owners[${p}] is not a member`);
  });
  const leave = new Set(change.leave ?? []);
  if (leave.size !== (change.leave ?? []).length) throw new UsageError('planRebalance: a node leaves twice');
  for (const node of leave) if (!members.has(node)) throw new UnknownNodeError(node, 'planRebalance: leave');
  const join = change.join ?? [];
  if (new Set(join).size !== join.length) throw new UsageError('planRebalance: a node joins twice');
  for (const node of join) if (members.has(node)) throw new UsageError(`planRebalance: node ${JSON.stringify(node)} joins but is already a member`);
  const next = [...current.nodes.filter((n) => !leave.has(n)), ...join];
  if (next.length === 0) throw new UsageError('planRebalance: no nodes would be left; a cluster needs at least one');
  return next;
}

/**
 * The plan for `change`. Every partition of a leaving node moves; a staying node gives
 * partitions away only when it holds more than its target, and the targets are chosen so that
 * as many partitions as possible stay put: the `P mod N` nodes allowed `ceil(P / N)` are those
 * holding the most. Among equally loaded nodes the one listed first wins. Inputs are not modified.
 */
export function planRebalance(current: Placement, change: MembershipChange): RebalancePlan {
  const nodes = nextMembers(current, change);
  const owners = [...current.owners];
  const { min } = loadBounds(owners.length, nodes.length);
  const held = new Map<string, number[]>(nodes.map((n) => [n, []]));
  const pool: number[] = [];
  owners.forEach((owner, p) => {
    const list = held.get(owner);
    if (list === undefined) pool.push(p);
    else list.push(p);
  });
  // The nodes that may keep one partition more than `min`: the most loaded (stable sort keeps the listed order on ties).
  const extra = owners.length % nodes.length;
  const byLoad = [...nodes].sort((a, b) => held.get(b)!.length - held.get(a)!.length);
  const target = new Map<string, number>(byLoad.map((n, i) => [n, min + (i < extra ? 1 : 0)]));
  for (const node of nodes) {
    const list = held.get(node)!;
    while (list.length > target.get(node)!) pool.push(list.pop()!);
  }
  pool.sort((a, b) => a - b);
  const moves: PartitionMove[] = [];
  for (const node of nodes) {
    const list = held.get(node)!;
    while (list.length < target.get(node)!) {
      const p = pool.shift()!;
      moves.push({ partition: p, from: owners[p]!, to: node });
      owners[p] = node;
      list.push(p);
    }
  }
  return { nodes, owners, moves: moves.sort((a, b) => a.partition - b.partition) };
}
