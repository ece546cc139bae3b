/**
 * Exercise 15: variable-length paths, shortest paths and recursive queries.
 *
 * Cypher's `(a)-[:FOLLOWS*2..3]->(b)` and SQL's `WITH RECURSIVE` both ask which vertices can be
 * reached by repeating a step. Graphs have cycles, so a traversal must remember where it has
 * been or it never ends. Both functions here are breadth-first searches that follow edges one
 * prefix scan at a time.
 * @module
 */

import { NotImplementedError, UsageError } from '../../shared/errors.js';
import { UnknownVertexError } from './errors.js';
import type { Direction, PropertyGraph, VertexId } from './graph-store.js';

const EXERCISE = {
  exercise: '1.15 Paths and recursion',
  file: 'chapter01-data-models/graph-paths.ts',
  section: '1.15 Paths and recursion',
} as const;

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

/**
 * The vertices at the end of some walk from `start` with between `minHops` and `maxHops` edges
 * (following `options`), each once, sorted by id. Terminates on every graph, cycles included,
 * even with `maxHops: Infinity`. A vertex counts if *any* walk of an allowed length reaches it:
 * with `a→b→c` and `a→c`, `c` is reachable in exactly 2 hops although it is also 1 hop away.
 * Throws an {@link UnknownVertexError} for an unknown start, and a `UsageError` for bounds that
 * are negative, fractional, or `minHops > maxHops`.
 */
export function reachable(graph: PropertyGraph, start: VertexId, options: HopOptions = {}): VertexId[] {
  throw new NotImplementedError(EXERCISE);
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
  throw new NotImplementedError(EXERCISE);
}
