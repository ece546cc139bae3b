import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { broadcastHashJoin, findHotKeys, skewedJoin, sortMergeJoin, type JoinedRow } from '@impl/chapter09-batch/joins.js';
import type { KeyValue } from '@impl/chapter09-batch/records.js';

const SORT_MERGE = 'Reduce-side sort-merge join';
const BROADCAST = 'Broadcast hash join';
const SKEW = 'Skew: one hot key';

/** The oracle: every pair, by two nested loops. */
function nestedLoopJoin(left: readonly KeyValue[], right: readonly KeyValue[]): JoinedRow[] {
  const rows: JoinedRow[] = [];
  for (const l of left) for (const r of right) if (l.key === r.key) rows.push({ key: l.key, left: l.value, right: r.value });
  return rows;
}

/** Join output compared as a multiset: its row order is not specified. */
function canonical(rows: readonly JoinedRow[]): string[] {
  return rows.map((r) => JSON.stringify([r.key, r.left, r.right])).sort();
}

const side = (tag: string): fc.Arbitrary<KeyValue[]> =>
  fc.array(
    fc.record({ key: fc.constantFrom('u1', 'u2', 'u3', 'u4', 'ü5'), value: fc.integer({ min: 0, max: 9 }).map((n) => `${tag}${n}`) }),
    { maxLength: 25 },
  );

describe('9.2 Joins: sort-merge and broadcast', () => {
  it('sort-merge, broadcast hash and nested-loop joins return the same rows on random inputs (property)', () => {
    checkProperty(
      fc.property(side('L'), side('R'), fc.integer({ min: 1, max: 6 }), (left, right, partitions) => {
        const expected = canonical(nestedLoopJoin(left, right));
        expect(canonical(sortMergeJoin(left, right, partitions).rows), because('a reduce-side join pairs every left and right record with equal keys', SORT_MERGE)).toEqual(expected);
        expect(canonical(broadcastHashJoin(left, right).rows), because('a broadcast join pairs every left and right record with equal keys', BROADCAST)).toEqual(expected);
      }),
    );
  });

  it('a key repeated on both sides gives every pair: 3 × 2 = 6 rows', () => {
    const left = [1, 2, 3].map((n) => ({ key: 'k', value: `l${n}` }));
    const right = [1, 2].map((n) => ({ key: 'k', value: `r${n}` }));
    const { rows } = sortMergeJoin(left, right, 2);
    expect(rows, because('within one key, rows are left-major: each left record with the right ones in order', SORT_MERGE)).toEqual([
      { key: 'k', left: 'l1', right: 'r1' },
      { key: 'k', left: 'l1', right: 'r2' },
      { key: 'k', left: 'l2', right: 'r1' },
      { key: 'k', left: 'l2', right: 'r2' },
      { key: 'k', left: 'l3', right: 'r1' },
      { key: 'k', left: 'l3', right: 'r2' },
    ]);
  });

  it('each record of the sort-merge join goes to exactly one reducer', () => {
    const left = Array.from({ length: 40 }, (_, i) => ({ key: `k${i % 7}`, value: i }));
    const right = Array.from({ length: 15 }, (_, i) => ({ key: `k${i % 5}`, value: i }));
    const { reducerInputs } = sortMergeJoin(left, right, 4);
    expect(reducerInputs.length).toBe(4);
    expect(reducerInputs.reduce((a, b) => a + b, 0), because('the shuffle sends every record once, to its key\'s partition', SORT_MERGE)).toBe(55);
  });

  it('the broadcast join copies the smaller side to the mappers, whichever side it is', () => {
    const big = Array.from({ length: 50 }, (_, i) => ({ key: `u${i % 10}`, value: i }));
    const small = Array.from({ length: 5 }, (_, i) => ({ key: `u${i}`, value: `name${i}` }));
    const a = broadcastHashJoin(big, small);
    expect(a.broadcastSide, because('the hash table must hold the small input, not the big one', BROADCAST)).toBe('right');
    expect(a.broadcastRecords).toBe(5);
    const b = broadcastHashJoin(small, big);
    expect(b.broadcastSide, because('the hash table must hold the small input, not the big one', BROADCAST)).toBe('left');
    expect(b.broadcastRecords).toBe(5);
    expect(canonical(a.rows).length).toBe(25);
    expect(b.rows.every((r) => typeof r.left === 'string'), because('rows keep left and right as given, whichever side was broadcast', BROADCAST)).toBe(true);
  });

  it('a partition count below 1 is a UsageError', () => {
    expect(() => sortMergeJoin([], [], 0)).toThrow(UsageError);
  });
});

describe('9.2 Joins: skew', () => {
  /** 1000 activity events, 90% of them by one celebrity; 50 user profiles. */
  function skewedInputs(): { events: KeyValue[]; users: KeyValue[] } {
    const events = Array.from({ length: 1000 }, (_, i) => ({ key: i % 10 === 9 ? `user${i % 50}` : 'celebrity', value: i }));
    const users = [{ key: 'celebrity', value: 'famous' }, ...Array.from({ length: 49 }, (_, i) => ({ key: `user${i}`, value: `profile${i}` }))];
    return { events, users };
  }

  it('findHotKeys names the keys that hold at least the given share of the records', () => {
    const { events } = skewedInputs();
    expect(findHotKeys(events, 0.5), because('90% of the events have one key', SKEW)).toEqual(['celebrity']);
    expect(findHotKeys(events, 0.95)).toEqual([]);
    expect(() => findHotKeys(events, 0)).toThrow(UsageError);
  });

  it('findHotKeys includes a key holding exactly the share asked for, and returns the keys sorted', () => {
    const records = ['b', 'a', 'b', 'a', 'c', 'd'].map((key) => ({ key, value: null }));
    expect(findHotKeys(records, 1 / 3), because('"at least minShare": 2 of 6 records is a third, so a and b are hot, in key order', SKEW)).toEqual(['a', 'b']);
  });

  it('with a 90%-hot key, splitting it shrinks the largest reducer\'s input, and the rows stay the same', () => {
    const { events, users } = skewedInputs();
    const plain = sortMergeJoin(events, users, 8);
    const hotKeys = findHotKeys(events, 0.5);
    const split = skewedJoin(events, users, { partitions: 8, hotKeys, splits: 8 });
    expect(canonical(split.rows), because('splitting a hot key must not lose or duplicate a row', SKEW)).toEqual(canonical(nestedLoopJoin(events, users)));
    const plainMax = Math.max(...plain.reducerInputs);
    const splitMax = Math.max(...split.reducerInputs);
    expect(plainMax, because('without skew handling one reducer gets all 900 hot records', SKEW)).toBeGreaterThanOrEqual(901);
    expect(splitMax, because('spread over 8 reducers, the hot key costs each about 900 / 8', SKEW)).toBeLessThan(plainMax / 3);
  });

  it('the other side\'s records of a hot key are copied to every reducer that shares it; cold keys are not copied', () => {
    const { events, users } = skewedInputs();
    const split = skewedJoin(events, users, { partitions: 8, hotKeys: ['celebrity'], splits: 4 });
    const total = split.reducerInputs.reduce((a, b) => a + b, 0);
    expect(total, because('1000 events once each, 49 cold profiles once, the hot profile 4 times', SKEW)).toBe(1000 + 49 + 4);
  });

  it('skewed and plain joins agree on random inputs with random hot keys (property)', () => {
    checkProperty(
      fc.property(side('L'), side('R'), fc.integer({ min: 1, max: 6 }), fc.subarray(['u1', 'u2', 'u3', 'u4', 'ü5']), fc.integer({ min: 1, max: 6 }), (left, right, partitions, hotKeys, splits) => {
        const rows = skewedJoin(left, right, { partitions, hotKeys, splits: Math.min(splits, partitions) }).rows;
        expect(canonical(rows), because('skew handling changes where rows are made, never which', SKEW)).toEqual(canonical(nestedLoopJoin(left, right)));
      }),
    );
  });

  it('more splits than partitions is a UsageError', () => {
    expect(() => skewedJoin([], [], { partitions: 2, hotKeys: [], splits: 3 })).toThrow(UsageError);
  });
});
