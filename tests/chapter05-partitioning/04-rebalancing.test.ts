import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { UnknownNodeError } from '@impl/chapter05-partitioning/errors.js';
import { loadBounds, planRebalance, type MembershipChange, type Placement } from '@impl/chapter05-partitioning/rebalance.js';

const PLAN = 'Rebalancing: the fewest moves';

/** A random placement (any owners, however uneven) and a change that leaves at least one node. */
const scenario = fc
  .record({
    members: fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 6 }),
    picks: fc.array(fc.nat(), { maxLength: 40 }),
    leaveMask: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    joins: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ members, picks, leaveMask, joins }) => {
    const nodes = members.map((m) => `n${m}`);
    const current: Placement = { nodes, owners: picks.map((x) => nodes[x % nodes.length]!) };
    const leave = nodes.filter((_, i) => leaveMask[i]);
    const join = Array.from({ length: joins }, (_, i) => `new${i}`);
    if (leave.length === nodes.length && join.length === 0) leave.pop();
    const change: MembershipChange = { join, leave };
    return { current, change };
  });

function countsOf(owners: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of owners) counts.set(o, (counts.get(o) ?? 0) + 1);
  return counts;
}

/**
 * The fewest moves any plan within the bounds can make. A staying node keeps at most its target
 * of its own partitions; targets are floor(P/N), and P mod N of them one more, best spent on
 * nodes already holding at least ceil(P/N).
 */
function lowerBound(current: Placement, staying: readonly string[], n: number): number {
  const P = current.owners.length;
  const floor = Math.floor(P / n);
  const extra = P % n;
  const counts = countsOf(current.owners);
  let kept = 0;
  let atCeil = 0;
  for (const node of staying) {
    const c = counts.get(node) ?? 0;
    kept += Math.min(c, floor);
    if (extra > 0 && c >= floor + 1) atCeil++;
  }
  return P - kept - Math.min(extra, atCeil);
}

describe('5.3 rebalancing', () => {
  it('load bounds are floor and ceil of P/N', () => {
    expect(loadBounds(10, 4), because('10 partitions on 4 nodes: 2 or 3 each', PLAN)).toEqual({ min: 2, max: 3 });
    expect(loadBounds(8, 4), because('8 on 4: exactly 2 each', PLAN)).toEqual({ min: 2, max: 2 });
    expect(loadBounds(0, 3), because('no partitions: nothing to hold', PLAN)).toEqual({ min: 0, max: 0 });
    expect(() => loadBounds(8, 0), because('no nodes cannot hold partitions', PLAN)).toThrow(UsageError);
  });

  it('a node joining 4 nodes of 8 partitions takes whole partitions from the others, and nothing else moves', () => {
    const current: Placement = { nodes: ['a', 'b', 'c', 'd'], owners: ['a', 'b', 'c', 'd', 'a', 'b', 'c', 'd'] };
    const plan = planRebalance(current, { join: ['e'] });
    expect(plan.nodes, because('the members after the change: those who stay, then those who join', PLAN)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(plan.moves.length, because('8 partitions on 5 nodes: e takes floor(8/5) = 1, so one move', PLAN)).toBe(1);
    expect(plan.moves[0]!.to, because('the only move goes to the new node', PLAN)).toBe('e');
    expect(current.owners, because('the input placement is not modified', PLAN)).toEqual(['a', 'b', 'c', 'd', 'a', 'b', 'c', 'd']);
  });

  it('a leaving node\'s partitions all move, spread so that every node stays within the bounds', () => {
    const current: Placement = { nodes: ['a', 'b', 'c'], owners: ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c'] };
    const plan = planRebalance(current, { leave: ['c'] });
    expect(plan.moves.map((m) => m.partition), because('exactly the partitions of c move, ascending', PLAN)).toEqual([2, 5, 8]);
    expect([...countsOf(plan.owners).values()].sort(), because('9 partitions on 2 nodes: 4 and 5', PLAN)).toEqual([4, 5]);
    for (const m of plan.moves) expect(m.from, because('every move starts at the leaving node', PLAN)).toBe('c');
  });

  it('on random placements: every node within floor/ceil of P/N, and exactly the fewest moves any balanced plan needs (property)', () => {
    checkProperty(
      fc.property(scenario, ({ current, change }) => {
        const plan = planRebalance(current, change);
        const leaving = new Set(change.leave);
        const staying = current.nodes.filter((n) => !leaving.has(n));
        const expectedNodes = [...staying, ...(change.join ?? [])];
        expect(plan.nodes, because('members after the change: those who stay, in order, then those who join', PLAN)).toEqual(expectedNodes);
        const P = current.owners.length;
        const { min, max } = { min: Math.floor(P / expectedNodes.length), max: Math.ceil(P / expectedNodes.length) };
        const counts = countsOf(plan.owners);
        for (const node of expectedNodes) {
          const c = counts.get(node) ?? 0;
          expect(c, because(`${node} holds ${c} of ${P} partitions on ${expectedNodes.length} nodes: within [${min}, ${max}]`, PLAN)).toBeGreaterThanOrEqual(min);
          expect(c, because(`${node} holds ${c} of ${P} partitions on ${expectedNodes.length} nodes: within [${min}, ${max}]`, PLAN)).toBeLessThanOrEqual(max);
        }
        for (const owner of plan.owners) expect(expectedNodes, because('every partition ends on a member', PLAN)).toContain(owner);
        const changed = plan.owners.flatMap((o, p) => (o !== current.owners[p] ? [p] : []));
        expect(plan.moves.map((m) => m.partition), because('moves list exactly the partitions whose owner changed, ascending', PLAN)).toEqual(changed);
        for (const m of plan.moves) {
          expect(m.from, because(`partition ${m.partition} moves from its old owner`, PLAN)).toBe(current.owners[m.partition]);
          expect(m.to, because(`partition ${m.partition} moves to its new owner`, PLAN)).toBe(plan.owners[m.partition]);
        }
        expect(plan.moves.length, because('no balanced plan moves fewer partitions: the lower bound in the notes', PLAN)).toBe(lowerBound(current, staying, expectedNodes.length));
      }),
      { numRuns: 300 },
    );
  });

  it('on random placements: a staying node gives partitions away only when it is over the bound, and a leaving node keeps none (property)', () => {
    checkProperty(
      fc.property(scenario, ({ current, change }) => {
        const plan = planRebalance(current, change);
        const leaving = new Set(change.leave);
        const staying = current.nodes.filter((n) => !leaving.has(n));
        const n = plan.nodes.length;
        const P = current.owners.length;
        const floor = Math.floor(P / n);
        const ceil = Math.ceil(P / n);
        const before = countsOf(current.owners);
        const atCeil = staying.filter((s) => (before.get(s) ?? 0) >= ceil).length;
        for (const node of leaving) {
          expect(plan.owners, because(`${node} leaves: every one of its partitions is reassigned`, PLAN)).not.toContain(node);
        }
        for (const node of staying) {
          const c = before.get(node) ?? 0;
          const gave = plan.moves.filter((m) => m.from === node).length;
          const got = plan.moves.filter((m) => m.to === node).length;
          expect(gave > 0 && got > 0, because(`${node} never both gives and receives partitions`, PLAN)).toBe(false);
          expect(gave, because(`${node} held ${c}; it never gives away so many that it falls below floor(P/N) = ${floor}`, PLAN)).toBeLessThanOrEqual(Math.max(0, c - floor));
          const overBound = c > ceil || (c === ceil && ceil > floor && atCeil > P % n);
          if (!overBound) expect(gave, because(`${node} held ${c}, not over the bound (max ${ceil}, ${atCeil} nodes at it for ${P % n} places): it keeps all its partitions`, PLAN)).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('bad input is a typed error and changes nothing', () => {
    const current: Placement = { nodes: ['a', 'b'], owners: ['a', 'b', 'a'] };
    expect(() => planRebalance(current, { leave: ['z'] }), because('a leaving node that is not a member', PLAN)).toThrow(UnknownNodeError);
    expect(() => planRebalance({ nodes: ['a'], owners: ['a', 'q'] }, { join: ['b'] }), because('an owner that is not a member', PLAN)).toThrow(UnknownNodeError);
    expect(() => planRebalance(current, { leave: ['a', 'b'] }), because('a change that leaves no node at all', PLAN)).toThrow(UsageError);
    expect(() => planRebalance({ nodes: [], owners: [] }, {}), because('an empty node set', PLAN)).toThrow(UsageError);
    expect(() => planRebalance(current, { join: ['a'] }), because('joining a node that is already a member', PLAN)).toThrow(UsageError);
    expect(() => planRebalance(current, { join: ['c', 'c'] }), because('a node joining twice', PLAN)).toThrow(UsageError);
    try {
      planRebalance(current, { leave: ['z'] });
    } catch (error) {
      expect((error as UnknownNodeError).node, because('the error names the node', PLAN)).toBe('z');
    }
    expect(current, because('bad input does not modify the placement', PLAN)).toEqual({ nodes: ['a', 'b'], owners: ['a', 'b', 'a'] });
  });
});
