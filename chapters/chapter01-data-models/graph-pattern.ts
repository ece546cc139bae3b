/**
 * Exercise 14: matching chain patterns, the core of Cypher's `MATCH`.
 *
 * A pattern is a chain of node patterns joined by edge patterns:
 *
 * ```text
 * pattern := node { edge node }
 * node    := "(" [variable] [":" Label] ")"  |  "(" Label ")"
 * edge    := "-[" [":" LABEL] "]->"  |  "<-[" [":" LABEL] "]-"  |  "-->"  |  "<--"
 * ```
 *
 * `(a:User)-[:FOLLOWS]->(b:User)-[:PURCHASED]->(p:Product)` finds every user a, user b that a
 * follows, and product p that b purchased. Spaces between the parts are allowed. A lone name
 * that starts with a capital letter is a label, so `(User)` means `(:User)` (Cypher would read
 * it as a variable); a lone lower-case name is a variable.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { PatternSyntaxError } from './errors.js';
import type { Direction, PropertyGraph, VertexId } from './graph-store.js';

const EXERCISE = {
  exercise: '1.14 Pattern matching',
  file: 'chapter01-data-models/graph-pattern.ts',
  section: '1.14 Pattern matching',
} as const;

/** A node of a pattern: an optional variable and an optional label. */
export interface NodePattern {
  readonly variable?: string;
  readonly label?: string;
}

/** An edge of a pattern: an optional label and the direction it is followed in. */
export interface EdgePattern {
  readonly label?: string;
  readonly direction: Direction;
}

/** A chain: `edges[i]` joins `nodes[i]` to `nodes[i + 1]`, so there is one edge fewer. */
export interface Pattern {
  readonly nodes: readonly NodePattern[];
  readonly edges: readonly EdgePattern[];
}

/**
 * Parses the pattern syntax above. Throws a {@link PatternSyntaxError} with the offset of the
 * first character that does not fit and what was expected there.
 */
export function parsePattern(text: string): Pattern {
  throw new NotImplementedError(EXERCISE);
}

/**
 * Every way to walk the chain through the graph: each match lists one vertex id per node
 * pattern, in pattern order. A node's label (if any) must equal the vertex's label; an edge
 * pattern follows edges of its label (any label if none) in its direction. A variable used
 * twice must bind the same vertex both times, so `(a)-[:FOLLOWS]->(b)-[:FOLLOWS]->(a)` finds
 * mutual follows. Different variables may bind the same vertex. Matches come out in a
 * deterministic order: start vertices by id, then edges in key order.
 */
export function matchPattern(graph: PropertyGraph, pattern: string | Pattern): VertexId[][] {
  throw new NotImplementedError(EXERCISE);
}
