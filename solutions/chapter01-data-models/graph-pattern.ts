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

import { PatternSyntaxError } from './errors.js';
import type { Direction, PropertyGraph, VertexId } from './graph-store.js';

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

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * Parses the pattern syntax above. Throws a {@link PatternSyntaxError} with the offset of the
 * first character that does not fit and what was expected there.
 */
export function parsePattern(text: string): Pattern {
  let at = 0;
  const skipSpaces = (): void => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const expect = (literal: string): void => {
    skipSpaces();
    if (!text.startsWith(literal, at)) throw new PatternSyntaxError(text, at, `"${literal}"`);
    at += literal.length;
  };
  const name = (): string | undefined => {
    skipSpaces();
    NAME.lastIndex = at;
    const match = NAME.exec(text);
    if (match === null) return undefined;
    at += match[0].length;
    return match[0];
  };
  const labelAfterColon = (): string | undefined => {
    skipSpaces();
    if (text[at] !== ':') return undefined;
    at++;
    const label = name();
    if (label === undefined) throw new PatternSyntaxError(text, at, 'a label after ":"');
    return label;
  };
  const node = (): NodePattern => {
    expect('(');
    let variable = name();
    let label = labelAfterColon();
    if (label === undefined && variable !== undefined && /^[A-Z]/.test(variable)) {
      label = variable;
      variable = undefined;
    }
    expect(')');
    return { ...(variable === undefined ? {} : { variable }), ...(label === undefined ? {} : { label }) };
  };
  const edge = (): EdgePattern => {
    skipSpaces();
    const incoming = text.startsWith('<-', at);
    if (!incoming && !text.startsWith('-', at)) throw new PatternSyntaxError(text, at, 'an edge such as -[:LABEL]-> or <-[:LABEL]-');
    at += incoming ? 2 : 1;
    let label: string | undefined;
    if (text[at] === '[') {
      at++;
      label = labelAfterColon();
      expect(']');
      expect('-');
    } else if (!text.startsWith('-', at)) {
      throw new PatternSyntaxError(text, at, '"[" or "-"');
    } else {
      at++;
    }
    if (!incoming) expect('>');
    const direction: Direction = incoming ? 'in' : 'out';
    return label === undefined ? { direction } : { label, direction };
  };

  const nodes: NodePattern[] = [node()];
  const edges: EdgePattern[] = [];
  skipSpaces();
  while (at < text.length) {
    edges.push(edge());
    nodes.push(node());
    skipSpaces();
  }
  return { nodes, edges };
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
  const p = typeof pattern === 'string' ? parsePattern(pattern) : pattern;
  const first = p.nodes[0]!;
  const starts = first.label === undefined ? graph.vertices() : graph.verticesWithLabel(first.label);

  // Where each variable is first bound, so later uses can be checked against it.
  const firstUse = new Map<string, number>();
  p.nodes.forEach((node, i) => {
    if (node.variable !== undefined && !firstUse.has(node.variable)) firstUse.set(node.variable, i);
  });

  let partial: VertexId[][] = starts.map((v) => [v.id]);
  p.edges.forEach((edge, i) => {
    const target = p.nodes[i + 1]!;
    const bound = target.variable === undefined ? undefined : firstUse.get(target.variable);
    const next: VertexId[][] = [];
    for (const path of partial) {
      for (const e of graph.edges(path[i]!, edge.direction, edge.label)) {
        const id = edge.direction === 'out' ? e.to : e.from;
        if (bound !== undefined && bound <= i && path[bound] !== id) continue;
        if (target.label !== undefined && graph.vertex(id)?.label !== target.label) continue;
        next.push([...path, id]);
      }
    }
    partial = next;
  });
  return partial;
}
