import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { CrdtMap } from '@impl/chapter04-replication/crdt-map.js';
import { OrSet } from '@impl/chapter04-replication/or-set.js';
import { PNCounter } from '@impl/chapter04-replication/pn-counter.js';

const SECTION = 'CRDTs';
const bump = (replica: string, by: number) => (c: PNCounter | undefined) =>
  by >= 0 ? (c ?? new PNCounter()).increment(replica, by) : (c ?? new PNCounter()).decrement(replica, -by);

describe('3.5 a map of CRDTs', () => {
  it('a shopping cart of counters merges quantities key by key', () => {
    const base = new CrdtMap<PNCounter>().update('milk', bump('a', 1));
    const phone = base.update('milk', bump('a', 1)).update('eggs', bump('a', 12));
    const laptop = base.update('milk', bump('b', -1)).update('tea', bump('b', 2));
    const merged = phone.merge(laptop);
    expect(merged.keys()).toEqual(['eggs', 'milk', 'tea']);
    expect(
      merged.keys().map((k) => merged.get(k)!.value()),
      because('values under the same key are merged by their own CRDT merge', SECTION),
    ).toEqual([12, 1, 2]);
    expect(laptop.merge(phone).state(), because('map merge is commutative', SECTION)).toEqual(merged.state());
  });

  it('a map of OR-Sets keeps per-key add-wins semantics', () => {
    const a = new CrdtMap<OrSet>().update('tags', (s) => (s ?? new OrSet()).add('red', 'a'));
    const b = a.update('tags', (s) => s!.remove('red'));
    const a2 = a.update('tags', (s) => s!.add('red', 'a').add('blue', 'a'));
    expect(a2.merge(b).get('tags')!.values()).toEqual(['blue', 'red']);
  });

  it('update leaves the original map unchanged', () => {
    const m = new CrdtMap<PNCounter>().update('k', bump('a', 1));
    m.update('k', bump('a', 5));
    expect(m.get('k')!.value()).toBe(1);
  });
});
