import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../shared/random.js';
import { EventQueue } from '../../shared/sim/event-queue.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';

interface Item {
  time: number;
  seq: number;
  label: number;
}

const item = (time: number, label: number): Item => ({ time, seq: 0, label });

describe('EventQueue, the agenda ordered by (time, sequence)', () => {
  it('pushAhead puts an entry before every entry already pushed for its time, keeping its own calls in order', () => {
    const queue = new EventQueue<Item>();
    queue.push(item(5, 1));
    queue.push(item(3, 2));
    queue.pushAhead(item(5, 3));
    queue.push(item(5, 4));
    queue.pushAhead(item(5, 5));
    const popped: number[] = [];
    for (let e = queue.pop(); e !== undefined; e = queue.pop()) popped.push(e.label);
    expect(popped, because('entries that waited go first at their time, in the order they were put back', 'Clocks and pauses')).toEqual([2, 3, 5, 1, 4]);
  });

  it('pops entries in time order, and entries with equal times in the order they were pushed', () => {
    checkProperty(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }), (times) => {
        const queue = new EventQueue<Item>();
        times.forEach((t, i) => queue.push(item(t, i)));
        const popped: Item[] = [];
        for (let e = queue.pop(); e !== undefined; e = queue.pop()) popped.push(e);
        const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i);
        expect(
          popped.map((e) => e.label),
          because('events leave by time, ties in scheduling order', 'The event queue'),
        ).toEqual(expected.map((e) => e.i));
      }),
    );
  });

  it('keeps its order when pushes and pops interleave', () => {
    const random = new Random(7);
    const queue = new EventQueue<Item>();
    let now = 0;
    let label = 0;
    for (let round = 0; round < 5000; round++) {
      if (queue.size === 0 || random.chance(0.6)) {
        queue.push(item(now + random.int(0, 50), label++));
      } else {
        const e = queue.pop()!;
        expect(e.time, because('time never goes backwards', 'The event queue')).toBeGreaterThanOrEqual(now);
        now = e.time;
      }
    }
  });

  it('is empty-safe: peek and pop return undefined and size is 0', () => {
    const queue = new EventQueue<Item>();
    expect(queue.pop()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
    queue.push(item(3, 1));
    expect(queue.peek()?.label).toBe(1);
    expect(queue.size).toBe(1);
    expect(queue.pop()?.label).toBe(1);
    expect(queue.size).toBe(0);
  });
});

describe('Random, the seeded generator', () => {
  it('exponential draws have the requested mean and between() stays in its range', () => {
    const random = new Random(11);
    let sum = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) sum += random.exponential(4);
    // The standard error of the mean is 4 / sqrt(n) ≈ 0.028; allow 5 of them.
    expect(Math.abs(sum / n - 4)).toBeLessThan(0.15);
    for (let i = 0; i < 1000; i++) {
      const x = random.between(2, 3);
      expect(x >= 2 && x < 3).toBe(true);
    }
  });
});
