/**
 * Exercise 15: variable-length paths, shortest paths and recursive queries.
 *
 * Cypher's `(a)-[:FOLLOWS*2..3]->(b)` and SQL's `WITH RECURSIVE` both ask which vertices can be
 * reached by repeating a step. Graphs have cycles, so a traversal must remember where it has
 * been or it never ends. Both functions here are breadth-first searches that follow edges one
 * prefix scan at a time.
 * @module
 */

import { UsageError } from '../../shared/errors.js';
import { UnknownVertexError } from './errors.js';
import type { Direction, PropertyGraph, VertexId } from './graph-store.js';

/** Which edges a traversal follows. */
export interface TraversalOptions {
  /** Follow only edges with this label. Default: every label. */
  readonly label?: string;
  /** Follow edges forwards (`'out'`, the default) or backwards (`'in'`). */
  readonly direction?: Direction;
}

/** The bounds of a variable-length path. */
export interface HopOptions extends TraversalOptions {
  /** Fewest edges on the path. Default 1; 0 includes the start vertex itself. */
  readonly minHops?: number;
  /** Most edges on the path. Default `Infinity`: any length. */
  readonly maxHops?: number;
}

function neighbours(graph: PropertyGraph, id: VertexId, options: TraversalOptions): VertexId[] {
  const direction = options.direction ?? 'out';
  return graph.edges(id, direction, options.label).map((e) => (direction === 'out' ? e.to : e.from));
}

/**
 * The vertices at the end of some walk from `start` with between `minHops` and `maxHops` edges
 * (following `options`), each once, sorted by id. Terminates on every graph, cycles included,
 * even with `maxHops: Infinity`. A vertex counts if *any* walk of an allowed length reaches it:
 * with `a→b→c` and `a→c`, `c` is reachable in exactly 2 hops although it is also 1 hop away.
 * Throws an {@link UnknownVertexError} for an unknown start, and a `UsageError` for bounds that
 * are negative, fractional, or `minHops > maxHops`.
 */
export function reachable(graph: PropertyGraph, start: VertexId, options: HopOptions = {}): VertexId[] {
  const minHops = options.minHops ?? 1;
  const maxHops = options.maxHops ?? Infinity;
  if (!Number.isInteger(minHops) || minHops < 0 || (maxHops !== Infinity && !Number.isInteger(maxHops)) || maxHops < minHops) {
    throw new UsageError(`hop bounds must be integers with 0 <= minHops <= maxHops, got ${minHops}..${maxHops}`);
  }
  if (graph.vertex(start) === undefined) throw new UnknownVertexError(start);

  // Breadth-first over states (vertex, hops so far, capped at minHops). Once a walk has made
  // minHops hops its exact length no longer matters, so there are at most
  // |V| × (minHops + 1) states and the search ends even on cycles. BFS reaches each state first
  // by its shortest walk, which leaves the most hops to spare for maxHops.
  const seen = new Set<string>();
  const found = new Set<VertexId>();
  let frontier: VertexId[] = [start];
  for (let hops = 0; frontier.length > 0 && hops <= maxHops; hops++) {
    const capped = Math.min(hops, minHops);
    const next: VertexId[] = [];
    for (const id of frontier) {
      const state = `${capped}:${id}`;
      if (seen.has(state)) continue;
      seen.add(state);
      if (hops >= minHops) found.add(id);
      next.push(...neighbours(graph, id, options));
    }
    frontier = next;
  }
  return [...found].sort();
}

/**
 * A path with the fewest edges from `from` to `to` (following `options`), as the list of
 * vertices on it, both ends included; `[from]` when they are equal; `undefined` when `to`
 * cannot be reached. Among equally short paths it returns the one breadth-first search meets
 * first, exploring edges in key order. Throws an {@link UnknownVertexError} for an unknown
 * vertex.
 */
export function shortestPath(
  graph: PropertyGraph,
  from: VertexId,
  to: VertexId,
  options: TraversalOptions = {},
): VertexId[] | undefined {
  for (const id of [from, to]) if (graph.vertex(id) === undefined) throw new UnknownVertexError(id);
  // previous[v] is the vertex BFS came from when it first reached v: a tree of shortest paths.
  const previous = new Map<VertexId, VertexId | null>([[from, null]]);
  const queue: VertexId[] = [from];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (id === to) {
      const path: VertexId[] = [];
      for (let at: VertexId | null = to; at !== null; at = previous.get(at)!) path.push(at);
      return path.reverse();
    }
    for (const next of neighbours(graph, id, options)) {
      if (previous.has(next)) continue;
      previous.set(next, id);
      queue.push(next);
    }
  }
  return undefined;
}
