import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { LwwLeader, type LwwOutcome, type LwwWrite } from '@impl/chapter04-replication/last-write-wins.js';

const SECTION = 'Multi-leader replication and last write wins';
const read = (leader: LwwLeader, key: string) => {
  const value = leader.get(utf8(key));
  return value === undefined ? undefined : fromUtf8(value);
};

describe('3.1 multi-leader replication with last write wins', () => {
  it('two leaders that exchange concurrent writes in opposite orders keep the same, larger-stamped write', () => {
    const a = new LwwLeader('a', new MemoryKV());
    const b = new LwwLeader('b', new MemoryKV());
    const fromA = a.put(utf8('x'), utf8('from a'), 100);
    const fromB = b.put(utf8('x'), utf8('from b'), 101);
    const atA = a.apply(fromB);
    const atB = b.apply(fromA);
    expect([read(a, 'x'), read(b, 'x')], because('leaders converge on the write with the larger stamp', SECTION)).toEqual([
      'from b',
      'from b',
    ]);
    expect([atA, atB], because("b's write replaces a's at a; a's older write is discarded at b", SECTION)).toEqual([
      'applied',
      'discarded',
    ]);
  });

  it("equal timestamps are broken by replica id, the same way on every leader", () => {
    const a = new LwwLeader('a', new MemoryKV());
    const b = new LwwLeader('b', new MemoryKV());
    const fromA = a.put(utf8('x'), utf8('from a'), 7);
    const fromB = b.put(utf8('x'), utf8('from b'), 7);
    a.apply(fromB);
    b.apply(fromA);
    expect([read(a, 'x'), read(b, 'x')], because('stamps order by (timestamp, replica id)', SECTION)).toEqual([
      'from b',
      'from b',
    ]);
  });

  it('a leader whose clock is behind loses a write it made later in real time, silently', () => {
    // a's clock runs 50 ms fast. a writes first (real time 1000), b overwrites it after reading it
    // (real time 1020), but b's stamp is 1020 < 1050.
    const a = new LwwLeader('a', new MemoryKV());
    const b = new LwwLeader('b', new MemoryKV());
    const first = a.put(utf8('cart'), utf8('milk'), 1050);
    b.apply(first);
    expect(read(b, 'cart')).toBe('milk');
    const second = b.put(utf8('cart'), utf8('milk, eggs'), 1020);
    expect(read(b, 'cart'), because('a local write older than the stored stamp is discarded too', SECTION)).toBe('milk');
    expect(a.apply(second), because('the causally later write loses to clock skew', SECTION)).toBe('discarded');
    expect(read(a, 'cart')).toBe('milk');
  });

  it('a delete is a tombstone: an older write arriving after it does not bring the key back', () => {
    const a = new LwwLeader('a', new MemoryKV());
    const b = new LwwLeader('b', new MemoryKV());
    const old = b.put(utf8('k'), utf8('old'), 5);
    a.put(utf8('k'), utf8('newer'), 6);
    const del = a.delete(utf8('k'), 7);
    expect(a.apply(old), because('the tombstone (stamp 7) is newer than the write (stamp 5)', SECTION)).toBe('discarded');
    expect(read(a, 'k')).toBeUndefined();
    b.apply(del);
    expect(read(b, 'k')).toBeUndefined();
  });

  it('applying a write twice reports a duplicate and changes nothing', () => {
    const a = new LwwLeader('a', new MemoryKV());
    const b = new LwwLeader('b', new MemoryKV());
    const w = a.put(utf8('k'), utf8('v'), 3);
    expect(b.apply(w)).toBe('applied');
    expect(b.apply(w), because('the same stamp is the same write', SECTION)).toBe('duplicate');
    expect(read(b, 'k')).toBe('v');
  });

  it('leaders converge under any delivery order with duplicates, and every write but one per key is lost', () => {
    const leaders = ['a', 'b', 'c'];
    const writeArb = fc.record({
      leader: fc.integer({ min: 0, max: 2 }),
      key: fc.constantFrom('k1', 'k2', 'k3'),
      value: fc.string({ maxLength: 4 }),
      clock: fc.integer({ min: 0, max: 50 }),
      remove: fc.boolean(),
    });
    checkProperty(
      fc.property(fc.array(writeArb, { minLength: 1, maxLength: 25 }), fc.infiniteStream(fc.nat()), (ops, picks) => {
        const nodes = leaders.map((id) => new LwwLeader(id, new MemoryKV()));
        const writes: LwwWrite[] = [];
        ops.forEach((op, step) => {
          // Unique per leader: the clock value, then the step, so no leader repeats a stamp.
          const timestamp = op.clock * 100 + step;
          const node = nodes[op.leader]!;
          writes.push(op.remove ? node.delete(utf8(op.key), timestamp) : node.put(utf8(op.key), utf8(op.value), timestamp));
        });
        // Deliver every write to every leader in a random order, some twice.
        const outcomes: LwwOutcome[] = [];
        const pending = nodes.flatMap((node) => writes.map((w) => ({ node, w })));
        const it = picks[Symbol.iterator]();
        while (pending.length > 0) {
          const i = it.next().value! % pending.length;
          const { node, w } = pending[i]!;
          outcomes.push(node.apply(w));
          if (it.next().value! % 4 !== 0) pending.splice(i, 1);
        }
        for (const key of ['k1', 'k2', 'k3']) {
          const ofKey = writes.filter((w) => fromUtf8(w.key) === key);
          if (ofKey.length === 0) continue;
          const winner = ofKey.reduce((x, y) =>
            x.stamp.timestamp > y.stamp.timestamp || (x.stamp.timestamp === y.stamp.timestamp && x.stamp.replica > y.stamp.replica) ? x : y,
          );
          const expected = winner.value === undefined ? undefined : fromUtf8(winner.value);
          for (const node of nodes) {
            expect(read(node, key), because(`every leader keeps the largest-stamped write to ${key}`, SECTION)).toBe(expected);
          }
        }
      }),
    );
  });
});
