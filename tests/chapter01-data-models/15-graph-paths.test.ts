import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { UnknownVertexError } from '@impl/chapter01-data-models/errors.js';
import { reachable, shortestPath } from '@impl/chapter01-data-models/graph-paths.js';
import { PropertyGraph } from '@impl/chapter01-data-models/graph-store.js';
import { BudgetKV, buildGraph, socialGraph, type RandomGraph } from './fixtures.js';

const PATHS = 'Paths and recursion';

/** Plain adjacency lists: the oracle side of the property tests. */
function adjacency(spec: RandomGraph, label: string): Map<string, string[]> {
  const out = new Map<string, string[]>(spec.vertices.map((v) => [v, []]));
  for (const [from, l, to] of spec.edges) if (l === label) out.get(from)!.push(to);
  return out;
}

/** Breadth-first distances from `start`: the textbook algorithm, as an oracle. */
function bfsDistances(adj: Map<string, string[]>, start: string): Map<string, number> {
  const distance = new Map([[start, 0]]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of adj.get(v)!) {
      if (!distance.has(w)) {
        distance.set(w, distance.get(v)! + 1);
        queue.push(w);
      }
    }
  }
  return distance;
}

const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const randomGraph: fc.Arbitrary<RandomGraph> = fc
  .array(fc.tuple(fc.constantFrom(...ids), fc.constantFrom('X', 'Y'), fc.constantFrom(...ids)), { maxLength: 18 })
  .map((edges) => ({ vertices: ids, edges }));

describe('exercise 1.15: variable-length paths, shortest paths, recursion', () => {
  it('an unbounded traversal stops on a cycle and reaches the start again through it', () => {
    const { graph } = socialGraph(2_000);
    expect(reachable(graph, 'alice', { label: 'FOLLOWS' }), because('a visited set stops the walk around the cycle', PATHS)).toEqual([
      'alice',
      'bob',
      'carol',
    ]);
    expect(reachable(graph, 'dave', { label: 'FOLLOWS' })).toEqual(['alice', 'bob', 'carol']);
    expect(reachable(graph, 'p1', { label: 'SIMILAR_TO', minHops: 0 })).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it('hop bounds count edges, and a vertex counts if any walk of an allowed length reaches it', () => {
    const graph = new PropertyGraph(new BudgetKV(new MemoryKV(), 2_000));
    for (const id of ['a', 'b', 'c', 'd']) graph.addVertex(id, 'V');
    graph.addEdge('a', 'E', 'b');
    graph.addEdge('b', 'E', 'c');
    graph.addEdge('a', 'E', 'c');
    graph.addEdge('c', 'E', 'd');
    expect(reachable(graph, 'a', { minHops: 1, maxHops: 1 })).toEqual(['b', 'c']);
    expect(reachable(graph, 'a', { minHops: 2, maxHops: 2 }), because('c is 1 hop away and also 2 hops away', PATHS)).toEqual([
      'c',
      'd',
    ]);
    expect(reachable(graph, 'a', { minHops: 3 })).toEqual(['d']);
    expect(reachable(graph, 'd', { direction: 'in', maxHops: 1 })).toEqual(['c']);
    expect(reachable(graph, 'a', { minHops: 0, maxHops: 0 })).toEqual(['a']);
  });

  it('a recursive query: who was born in the USA and lives in Europe?', () => {
    const graph = new PropertyGraph(new BudgetKV(new MemoryKV(), 5_000));
    const places: Array<[string, string]> = [
      ['namerica', 'continent'], ['usa', 'country'], ['idaho', 'state'],
      ['europe', 'continent'], ['uk', 'country'], ['england', 'region'], ['london', 'city'],
      ['france', 'country'], ['burgundy', 'region'], ['beaune', 'city'],
    ];
    for (const [id, type] of places) graph.addVertex(id, 'Location', { type });
    for (const [inner, outer] of [
      ['usa', 'namerica'], ['idaho', 'usa'], ['uk', 'europe'], ['england', 'uk'], ['london', 'england'],
      ['france', 'europe'], ['burgundy', 'france'], ['beaune', 'burgundy'],
    ] as const) {
      graph.addEdge(inner, 'WITHIN', outer);
    }
    graph.addVertex('lucy', 'Person');
    graph.addVertex('alain', 'Person');
    graph.addEdge('lucy', 'BORN_IN', 'idaho');
    graph.addEdge('lucy', 'LIVES_IN', 'london');
    graph.addEdge('alain', 'BORN_IN', 'beaune');
    graph.addEdge('alain', 'LIVES_IN', 'london');

    // Every place within the USA (and the USA itself), found by walking WITHIN edges backwards.
    const inUsa = new Set(reachable(graph, 'usa', { label: 'WITHIN', direction: 'in', minHops: 0 }));
    const inEurope = new Set(reachable(graph, 'europe', { label: 'WITHIN', direction: 'in', minHops: 0 }));
    expect([...inEurope].sort()).toEqual(['beaune', 'burgundy', 'england', 'europe', 'france', 'london', 'uk']);
    const answer = graph
      .verticesWithLabel('Person')
      .filter((p) => graph.edges(p.id, 'out', 'BORN_IN').some((e) => inUsa.has(e.to)))
      .filter((p) => graph.edges(p.id, 'out', 'LIVES_IN').some((e) => inEurope.has(e.to)))
      .map((p) => p.id);
    expect(answer, because('recursion over WITHIN finds places at any depth', PATHS)).toEqual(['lucy']);
  });

  it('shortestPath returns a path with the fewest edges, [from] for itself, undefined when unreachable', () => {
    const { graph } = socialGraph(2_000);
    expect(shortestPath(graph, 'dave', 'p3')).toEqual(['dave', 'bob', 'carol', 'alice', 'p3']);
    expect(shortestPath(graph, 'dave', 'p3', { label: 'FOLLOWS' })).toBeUndefined();
    expect(shortestPath(graph, 'alice', 'carol', { label: 'FOLLOWS' }), because('the direct edge beats the detour', PATHS)).toEqual([
      'alice',
      'carol',
    ]);
    expect(shortestPath(graph, 'p4', 'p4')).toEqual(['p4']);
    expect(shortestPath(graph, 'p3', 'p1', { label: 'SIMILAR_TO', direction: 'in' })).toEqual(['p3', 'p2', 'p1']);
  });

  it('unknown vertices are UnknownVertexErrors and impossible hop bounds are UsageErrors', () => {
    const { graph } = socialGraph(2_000);
    expect(() => reachable(graph, 'zed')).toThrow(UnknownVertexError);
    expect(() => shortestPath(graph, 'alice', 'zed')).toThrow(UnknownVertexError);
    expect(() => reachable(graph, 'alice', { minHops: 3, maxHops: 2 })).toThrow(UsageError);
    expect(() => reachable(graph, 'alice', { minHops: -1 })).toThrow(UsageError);
    expect(() => reachable(graph, 'alice', { maxHops: 1.5 })).toThrow(UsageError);
  });

  it('reachability equals a breadth-first-search oracle on random graphs (property)', () => {
    checkProperty(
      fc.property(randomGraph, fc.constantFrom(...ids), (spec, start) => {
        const graph = buildGraph(spec);
        const adj = adjacency(spec, 'X');
        // Reachable by one or more edges: whatever BFS reaches from start's neighbours.
        const expected = new Set<string>();
        for (const first of adj.get(start)!) for (const v of bfsDistances(adj, first).keys()) expected.add(v);
        expect(reachable(graph, start, { label: 'X' }), because('reachable means some walk of >= 1 edge', PATHS)).toEqual([...expected].sort());
      }),
    );
  });

  it('bounded hops equal the union of exact-length frontiers on random graphs (property)', () => {
    checkProperty(
      fc.property(randomGraph, fc.constantFrom(...ids), fc.nat(3), fc.nat(3), (spec, start, low, span) => {
        const graph = buildGraph(spec);
        const adj = adjacency(spec, 'X');
        // frontier k = vertices at the end of some walk of exactly k edges.
        let frontier = new Set([start]);
        const expected = new Set<string>();
        for (let k = 0; k <= low + span; k++) {
          if (k >= low) for (const v of frontier) expected.add(v);
          frontier = new Set([...frontier].flatMap((v) => adj.get(v)!));
        }
        const actual = reachable(graph, start, { label: 'X', minHops: low, maxHops: low + span });
        expect(actual, because('every walk length in [minHops, maxHops] counts', PATHS)).toEqual([...expected].sort());
      }),
    );
  });

  it('shortest paths are valid paths as short as BFS distances on random graphs (property)', () => {
    checkProperty(
      fc.property(randomGraph, fc.constantFrom(...ids), fc.constantFrom(...ids), (spec, from, to) => {
        const graph = buildGraph(spec);
        const adj = adjacency(spec, 'X');
        const distance = bfsDistances(adj, from).get(to);
        const path = shortestPath(graph, from, to, { label: 'X' });
        if (distance === undefined) {
          expect(path).toBeUndefined();
          return;
        }
        expect(path, because('a shortest path has exactly the BFS distance in edges', PATHS)).toHaveLength(distance + 1);
        expect([path![0], path![path!.length - 1]]).toEqual([from, to]);
        for (let i = 0; i + 1 < path!.length; i++) {
          expect(adj.get(path![i]!)!, because('consecutive vertices are joined by an edge', PATHS)).toContain(path![i + 1]);
        }
      }),
    );
  });
});
