import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { LwwRegister, compareStamps } from '@impl/chapter04-replication/lww-register.js';

const SECTION = 'CRDTs';

describe('3.3 last-write-wins register', () => {
  it('stamps order by timestamp, then by replica id', () => {
    expect(compareStamps({ timestamp: 1, replica: 'z' }, { timestamp: 2, replica: 'a' })).toBeLessThan(0);
    expect(compareStamps({ timestamp: 2, replica: 'b' }, { timestamp: 2, replica: 'a' })).toBeGreaterThan(0);
    expect(compareStamps({ timestamp: 2, replica: 'a' }, { timestamp: 2, replica: 'a' })).toBe(0);
  });

  it('a set with an older stamp than the held one is discarded', () => {
    const r = new LwwRegister<string>().set('new', 20, 'a').set('old', 10, 'b');
    expect(r.get(), because('last write wins by stamp, not by arrival order', SECTION)).toBe('new');
  });

  it('merge keeps the value with the larger stamp, whichever side it is on', () => {
    const x = new LwwRegister<string>().set('x', 5, 'a');
    const y = new LwwRegister<string>().set('y', 5, 'b');
    expect([x.merge(y).get(), y.merge(x).get()], because('ties broken by replica id', SECTION)).toEqual(['y', 'y']);
    expect(new LwwRegister<string>().merge(x).get()).toBe('x');
    expect(x.merge(new LwwRegister<string>()).get()).toBe('x');
  });

  it('an empty register reads as undefined', () => {
    expect(new LwwRegister<number>().set(1, 1, 'a').merge(new LwwRegister()).state()).toEqual({
      value: 1,
      stamp: { timestamp: 1, replica: 'a' },
    });
    expect(new LwwRegister<number>().get()).toBeUndefined();
  });
});
