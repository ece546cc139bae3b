import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { compareVersions, covers, mergeVersions, type VersionVector } from '@impl/chapter04-replication/version-vector.js';

const SECTION = 'Version vectors and siblings';
const vvArb = fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 1, max: 4 }));

describe('4.1 version vectors', () => {
  it('tells happened-before from concurrent', () => {
    expect(compareVersions({ a: 1 }, { a: 2 }), because('every entry ≤ and one < is before', SECTION)).toBe('before');
    expect(compareVersions({ a: 2, b: 1 }, { a: 2 })).toBe('after');
    expect(compareVersions({ a: 1 }, { b: 1 }), because('each saw a write the other did not', SECTION)).toBe('concurrent');
    expect(compareVersions({ a: 3, b: 0 } as VersionVector, { a: 3 }), because('a missing entry counts as 0', SECTION)).toBe(
      'equal',
    );
    expect(compareVersions({}, { c: 1 })).toBe('before');
  });

  it('merge is the entry-wise maximum', () => {
    expect(mergeVersions({ a: 3, b: 1 }, { b: 2, c: 1 })).toEqual({ a: 3, b: 2, c: 1 });
  });

  it('a vector covers a dot when it has seen at least that many writes of its replica', () => {
    expect([covers({ a: 2 }, { replica: 'a', counter: 2 }), covers({ a: 2 }, { replica: 'a', counter: 3 })]).toEqual([true, false]);
    expect(covers({}, { replica: 'b', counter: 1 })).toBe(false);
  });

  it('comparison is antisymmetric and the merge comes after or equals both sides', () => {
    checkProperty(
      fc.property(vvArb, vvArb, (a, b) => {
        const mirror = { before: 'after', after: 'before', equal: 'equal', concurrent: 'concurrent' } as const;
        expect(compareVersions(b, a), because('swapping sides swaps before and after', SECTION)).toBe(mirror[compareVersions(a, b)]);
        const m = mergeVersions(a, b);
        expect(['after', 'equal']).toContain(compareVersions(m, a));
        expect(['after', 'equal']).toContain(compareVersions(m, b));
      }),
    );
  });
});
