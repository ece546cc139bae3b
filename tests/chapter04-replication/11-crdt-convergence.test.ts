/**
 * The laws that make a state-based CRDT converge, checked with fast-check for every CRDT of the
 * chapter: merge is commutative, associative and idempotent; and replicas that exchange states in
 * any order, with duplicates, end up equal.
 *
 * States are produced by random histories over three replicas (local operations interleaved with
 * merges), so they are states real replicas could hold, with shared tags and counts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { CrdtMap } from '@impl/chapter04-replication/crdt-map.js';
import { GCounter } from '@impl/chapter04-replication/g-counter.js';
import { LwwRegister } from '@impl/chapter04-replication/lww-register.js';
import { OrSet } from '@impl/chapter04-replication/or-set.js';
import { PNCounter } from '@impl/chapter04-replication/pn-counter.js';

const SECTION = 'CRDTs';
const REPLICAS = ['a', 'b', 'c'] as const;

interface CrdtKind<T> {
  readonly name: string;
  readonly empty: () => T;
  /** A local operation at `replica`, from two random numbers; `step` is unique per operation. */
  readonly apply: (state: T, replica: string, x: number, y: number, step: number) => T;
  readonly merge: (a: T, b: T) => T;
  readonly state: (t: T) => unknown;
}

const kinds: CrdtKind<unknown>[] = [
  {
    name: 'G-Counter',
    empty: () => new GCounter(),
    apply: (s, r, x) => (s as GCounter).increment(r, x % 5),
    merge: (a, b) => (a as GCounter).merge(b as GCounter),
    state: (t) => (t as GCounter).state(),
  },
  {
    name: 'PN-Counter',
    empty: () => new PNCounter(),
    apply: (s, r, x, y) => (y % 2 === 0 ? (s as PNCounter).increment(r, x % 5) : (s as PNCounter).decrement(r, x % 5)),
    merge: (a, b) => (a as PNCounter).merge(b as PNCounter),
    state: (t) => (t as PNCounter).state(),
  },
  {
    name: 'LWW-Register',
    empty: () => new LwwRegister<number>(),
    // The step makes every stamp unique, as real replicas' clocks plus ids do.
    apply: (s, r, x, _y, step) => (s as LwwRegister<number>).set(x, (x % 7) * 1000 + step, r),
    merge: (a, b) => (a as LwwRegister<number>).merge(b as LwwRegister<number>),
    state: (t) => (t as LwwRegister<number>).state(),
  },
  {
    name: 'OR-Set',
    empty: () => new OrSet(),
    apply: (s, r, x, y) => (y % 3 === 0 ? (s as OrSet).remove(`e${x % 4}`) : (s as OrSet).add(`e${x % 4}`, r)),
    merge: (a, b) => (a as OrSet).merge(b as OrSet),
    state: (t) => (t as OrSet).state(),
  },
  {
    name: 'map of PN-Counters',
    empty: () => new CrdtMap<PNCounter>(),
    apply: (s, r, x, y) =>
      (s as CrdtMap<PNCounter>).update(`k${y % 3}`, (c) =>
        x % 2 === 0 ? (c ?? new PNCounter()).increment(r, x % 5) : (c ?? new PNCounter()).decrement(r, x % 5),
      ),
    merge: (a, b) => (a as CrdtMap<PNCounter>).merge(b as CrdtMap<PNCounter>),
    state: (t) => (t as CrdtMap<PNCounter>).state(),
  },
];

/** One step of a history: a local operation at a replica, or a merge of one replica into another. */
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('op' as const), at: fc.integer({ min: 0, max: 2 }), x: fc.nat(100), y: fc.nat(100) }),
  fc.record({ kind: fc.constant('merge' as const), at: fc.integer({ min: 0, max: 2 }), from: fc.integer({ min: 0, max: 2 }) }),
);
const historyArb = fc.array(stepArb, { maxLength: 30 });

function run<T>(kind: CrdtKind<T>, history: readonly Step[]): T[] {
  const replicas = REPLICAS.map(() => kind.empty());
  history.forEach((step, i) => {
    if (step.kind === 'op') replicas[step.at] = kind.apply(replicas[step.at]!, REPLICAS[step.at]!, step.x, step.y, i);
    else replicas[step.at] = kind.merge(replicas[step.at]!, replicas[step.from]!);
  });
  return replicas;
}
type Step = { kind: 'op'; at: number; x: number; y: number } | { kind: 'merge'; at: number; from: number };

describe.each(kinds)('3.6 the laws of $name', (kind) => {
  it('merge is commutative: a ⊔ b = b ⊔ a', () => {
    checkProperty(
      fc.property(historyArb, (history) => {
        const [a, b] = run(kind, history);
        expect(kind.state(kind.merge(a, b)), because('merge must not depend on which side is which', SECTION)).toEqual(
          kind.state(kind.merge(b, a)),
        );
      }),
    );
  });

  it('merge is associative: (a ⊔ b) ⊔ c = a ⊔ (b ⊔ c)', () => {
    checkProperty(
      fc.property(historyArb, (history) => {
        const [a, b, c] = run(kind, history);
        expect(
          kind.state(kind.merge(kind.merge(a, b), c)),
          because('merge must not depend on how deliveries are grouped', SECTION),
        ).toEqual(kind.state(kind.merge(a, kind.merge(b, c))));
      }),
    );
  });

  it('merge is idempotent: a ⊔ a = a, and merging an older state changes nothing', () => {
    checkProperty(
      fc.property(historyArb, (history) => {
        const [a, b] = run(kind, history);
        expect(kind.state(kind.merge(a, a)), because('a duplicated delivery must change nothing', SECTION)).toEqual(
          kind.state(a),
        );
        const ab = kind.merge(a, b);
        expect(kind.state(kind.merge(ab, b)), because('a re-delivered older state must change nothing', SECTION)).toEqual(
          kind.state(ab),
        );
      }),
    );
  });

  it('replicas converge after any delivery order, with duplicated and stale deliveries', () => {
    checkProperty(
      fc.property(historyArb, fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 9, maxLength: 20 }), (history, order) => {
        const finals = run(kind, history);
        // Each replica receives every replica's final state, in a random order that repeats some
        // and includes its own; the point is that the order does not matter.
        const received = finals.map((own) => {
          let state = own;
          for (const from of order) state = kind.merge(state, finals[from]!);
          for (const other of finals) state = kind.merge(state, other);
          return kind.state(state);
        });
        expect(received[1], because('replicas that have received the same states are equal', SECTION)).toEqual(received[0]);
        expect(received[2], because('replicas that have received the same states are equal', SECTION)).toEqual(received[0]);
      }),
    );
  });
});
