import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { GCounter } from '@impl/chapter04-replication/g-counter.js';
import { PNCounter } from '@impl/chapter04-replication/pn-counter.js';

const SECTION = 'CRDTs';

describe('3.2 counters', () => {
  it('a G-Counter sums the increments of every replica', () => {
    const c = new GCounter().increment('a').increment('b', 3).increment('a', 2);
    expect(c.value(), because('the value is the sum of per-replica counts', SECTION)).toBe(6);
    expect(c.state()).toEqual({ a: 3, b: 3 });
  });

  it('merging G-Counters takes the larger count per replica, so no increment is counted twice', () => {
    const base = new GCounter().increment('a', 2);
    const left = base.increment('a');
    const right = base.increment('b', 5);
    const merged = left.merge(right);
    expect(merged.state(), because('merge is the per-replica maximum, not the sum', SECTION)).toEqual({ a: 3, b: 5 });
    expect(merged.merge(merged).value(), because('merging a state with itself changes nothing', SECTION)).toBe(8);
  });

  it('a G-Counter refuses a negative or fractional increment', () => {
    expect(() => new GCounter().increment('a', -1)).toThrow(UsageError);
    expect(() => new GCounter().increment('a', 0.5)).toThrow(UsageError);
  });

  it('counters are immutable: an increment returns a new counter and leaves the old one alone', () => {
    const before = new GCounter().increment('a');
    before.increment('a', 10);
    expect(before.value()).toBe(1);
  });

  it('a PN-Counter counts down as well as up, and merges both halves', () => {
    const base = new PNCounter().increment('a', 10);
    const left = base.decrement('a', 3);
    const right = base.decrement('b', 4).increment('b');
    const merged = left.merge(right);
    expect(merged.value(), because('value = increments − decrements, each merged by max', SECTION)).toBe(4);
    expect(merged.state()).toEqual({ increments: { a: 10, b: 1 }, decrements: { a: 3, b: 4 } });
  });

  it('a decrement is not lost in a merge with an older state (why one signed count per replica fails)', () => {
    const old = new PNCounter().increment('a', 5);
    const newer = old.decrement('a', 2);
    expect(newer.merge(old).value(), because('a decrement only grows the decrement half', SECTION)).toBe(3);
    expect(old.merge(newer).value()).toBe(3);
  });
});
