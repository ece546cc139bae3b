import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { OrSet } from '@impl/chapter04-replication/or-set.js';

const SECTION = 'CRDTs';

describe('3.4 observed-remove set', () => {
  it('add and remove behave like a set on one replica', () => {
    const s = new OrSet().add('milk', 'a').add('eggs', 'a').remove('milk');
    expect(s.values()).toEqual(['eggs']);
    expect([s.has('milk'), s.has('eggs')]).toEqual([false, true]);
  });

  it('each add gets a fresh tag, never reused by the same replica', () => {
    const s = new OrSet().add('x', 'a').remove('x').add('x', 'a').add('y', 'a');
    expect(s.state(), because('tags are "<replica>#<counter>" with counters that only grow', SECTION)).toEqual({
      elements: { x: ['a#2'], y: ['a#3'] },
      tombstones: ['a#1'],
    });
  });

  it('a removed element stays removed after merging with a replica that still holds its tag', () => {
    const a = new OrSet().add('milk', 'a');
    const b = new OrSet().merge(a);
    const aAfterRemove = a.remove('milk');
    expect(
      aAfterRemove.merge(b).has('milk'),
      because('a remove keeps the tags it removed as tombstones, so the merge does not resurrect them', SECTION),
    ).toBe(false);
    expect(b.merge(aAfterRemove).has('milk')).toBe(false);
  });

  it('an add concurrent with a remove wins: the remove only removes the tags it observed', () => {
    const a = new OrSet().add('milk', 'a');
    const b = new OrSet().merge(a).remove('milk');
    const a2 = a.add('milk', 'a'); // concurrent with b's remove, which never saw tag a#2
    expect(a2.merge(b).values(), because('add wins over a concurrent remove', SECTION)).toEqual(['milk']);
    expect(b.merge(a2).state()).toEqual({ elements: { milk: ['a#2'] }, tombstones: ['a#1'] });
  });

  it('the same element added on two replicas has two tags; removing after seeing both removes it', () => {
    const a = new OrSet().add('x', 'a');
    const b = new OrSet().add('x', 'b');
    const both = a.merge(b);
    expect(both.state().elements).toEqual({ x: ['a#1', 'b#1'] });
    expect(both.remove('x').merge(a).merge(b).has('x')).toBe(false);
  });
});
