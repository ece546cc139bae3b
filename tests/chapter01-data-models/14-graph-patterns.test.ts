import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { PatternSyntaxError } from '@impl/chapter01-data-models/errors.js';
import { matchPattern, parsePattern } from '@impl/chapter01-data-models/graph-pattern.js';
import { buildGraph, socialGraph, sorted } from './fixtures.js';

const PATTERNS = 'Pattern matching';

describe('exercise 1.14: chain pattern matching', () => {
  it('parses nodes with variables and labels, and edges in both directions', () => {
    expect(parsePattern('(a:User)-[:FOLLOWS]->(b) <-[:PURCHASED]- (:User)-->(c)<--()')).toEqual({
      nodes: [{ variable: 'a', label: 'User' }, { variable: 'b' }, { label: 'User' }, { variable: 'c' }, {}],
      edges: [
        { label: 'FOLLOWS', direction: 'out' },
        { label: 'PURCHASED', direction: 'in' },
        { direction: 'out' },
        { direction: 'in' },
      ],
    });
  });

  it('matches the four-step chain User-FOLLOWS-User-PURCHASED-Product-SIMILAR_TO-Product', () => {
    const { graph } = socialGraph();
    const matches = matchPattern(graph, '(User)-[:FOLLOWS]->(User)-[:PURCHASED]->(Product)-[:SIMILAR_TO]->(Product)');
    expect(sorted(matches), because('every walk that fits every label, one id per node', PATTERNS)).toEqual(
      sorted([
        ['alice', 'bob', 'p1', 'p2'],
        ['alice', 'bob', 'p1', 'p4'],
        ['alice', 'carol', 'p2', 'p3'],
        ['bob', 'carol', 'p2', 'p3'],
        ['dave', 'bob', 'p1', 'p2'],
        ['dave', 'bob', 'p1', 'p4'],
      ]),
    );
  });

  it('an incoming edge pattern follows edges backwards', () => {
    const { graph } = socialGraph();
    expect(sorted(matchPattern(graph, '(p:Product)<-[:PURCHASED]-(u:User)<-[:FOLLOWS]-(f)'))).toEqual(
      sorted([
        ['p1', 'bob', 'alice'],
        ['p1', 'bob', 'dave'],
        ['p2', 'carol', 'bob'],
        ['p2', 'carol', 'alice'],
        ['p3', 'alice', 'carol'],
      ]),
    );
  });

  it('a variable used twice binds the same vertex both times', () => {
    const { graph } = socialGraph();
    graph.addEdge('bob', 'FOLLOWS', 'alice');
    expect(sorted(matchPattern(graph, '(a)-[:FOLLOWS]->(b)-[:FOLLOWS]->(a)')), because('repeated variables are a join condition', PATTERNS)).toEqual(
      sorted([
        ['alice', 'bob', 'alice'],
        ['alice', 'carol', 'alice'],
        ['bob', 'alice', 'bob'],
        ['carol', 'alice', 'carol'],
      ]),
    );
  });

  it('nodes and edges without labels match anything, and a one-node pattern lists vertices', () => {
    const { graph } = socialGraph();
    expect(matchPattern(graph, '(x)-->(p:Product)').length).toBe(6);
    expect(matchPattern(graph, '(:Product)')).toEqual([['p1'], ['p2'], ['p3'], ['p4']]);
    expect(matchPattern(graph, '(:Nothing)-->()')).toEqual([]);
  });

  it('a malformed pattern is a PatternSyntaxError pointing at the offending character', () => {
    const cases: Array<[string, number]> = [
      ['', 0],
      ['(a:User', 7],
      ['(a:)', 3],
      ['(a)-[:FOLLOWS]-(b)', 15],
      ['(a)-[FOLLOWS]->(b)', 5],
      ['(a)=>(b)', 3],
      ['(a)-[:F]->', 10],
    ];
    for (const [pattern, position] of cases) {
      let error: unknown;
      try {
        parsePattern(pattern);
      } catch (e) {
        error = e;
      }
      expect(error, because(`"${pattern}" is not a pattern`, PATTERNS)).toBeInstanceOf(PatternSyntaxError);
      expect((error as PatternSyntaxError).position, because(`the error points into "${pattern}"`, PATTERNS)).toBe(position);
    }
  });

  it('a one-edge pattern matches exactly the edges with that label (property)', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const edge = fc.tuple(fc.constantFrom(...ids), fc.constantFrom('X', 'Y'), fc.constantFrom(...ids));
    checkProperty(
      fc.property(fc.array(edge, { maxLength: 15 }), (edges) => {
        const graph = buildGraph({ vertices: ids, edges });
        const expected = new Set(edges.filter(([, label]) => label === 'X').map(([from, , to]) => JSON.stringify([from, to])));
        const matches = matchPattern(graph, '(s)-[:X]->(t)').map((m) => JSON.stringify(m));
        expect(sorted(matches)).toEqual(sorted([...expected]));
      }),
      { numRuns: 60 },
    );
  });
});
