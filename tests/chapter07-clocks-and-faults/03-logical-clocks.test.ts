/**
 * Exercise 7.3: Lamport clocks, vector clocks and hybrid logical clocks. Vector clocks are
 * checked against the happens-before relation of random message traces, computed from the trace
 * itself (program order and send → receive, closed transitively).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { ClockOffsetError } from '@impl/chapter07-clocks-and-faults/errors.js';
import { compareHlc, HybridClock, type HlcTimestamp } from '@impl/chapter07-clocks-and-faults/hybrid-clock.js';
import { compareLamport, LamportClock, type LamportTimestamp } from '@impl/chapter07-clocks-and-faults/lamport-clock.js';
import { compareVectors, happensBefore, VectorClock, type Causality, type VectorTimestamp } from '@impl/chapter07-clocks-and-faults/vector-clock.js';

const LAMPORT = 'Lamport clocks';
const VECTOR = 'Vector clocks';
const HLC = 'Hybrid logical clocks';

/** One step of a random trace: process `p` has a local event, sends to `to`, or receives one of its pending messages. */
interface Step {
  readonly p: number;
  readonly kind: 'local' | 'send' | 'receive';
  readonly to: number;
  readonly pick: number;
}

interface TraceEvent {
  readonly label: string;
  readonly vector: VectorTimestamp;
  readonly lamport: LamportTimestamp;
  /** Indices of every event that happened before this one, from the trace alone. */
  readonly past: ReadonlySet<number>;
}

/** Runs a trace on real clocks, and computes happens-before from the trace's own structure. */
function runTrace(processes: number, steps: readonly Step[]): TraceEvent[] {
  const names = Array.from({ length: processes }, (_, i) => `p${i}`);
  const vectors = names.map((n) => new VectorClock(n));
  const lamports = names.map((n) => new LamportClock(n));
  const last: Array<number | undefined> = names.map(() => undefined);
  const inbox: Array<Array<{ from: number; event: number; vector: VectorTimestamp; lamport: LamportTimestamp }>> = names.map(() => []);
  const events: TraceEvent[] = [];
  for (const step of steps) {
    const p = step.p % processes;
    const past = new Set<number>();
    const addPast = (e: number | undefined) => {
      if (e === undefined) return;
      past.add(e);
      for (const x of events[e]!.past) past.add(x);
    };
    addPast(last[p]);
    const pending = inbox[p]!;
    let event: Omit<TraceEvent, 'past'>;
    if (step.kind === 'receive' && pending.length > 0) {
      // Any pending message, not the oldest: the network reorders.
      const [message] = pending.splice(step.pick % pending.length, 1);
      addPast(message!.event);
      event = {
        label: `${names[p]} receives the message ${names[message!.from]} sent at event ${message!.event}`,
        vector: vectors[p]!.receive(message!.vector),
        lamport: lamports[p]!.receive(message!.lamport),
      };
    } else if (step.kind === 'send' && processes > 1) {
      const to = (p + 1 + (step.to % (processes - 1))) % processes;
      event = { label: `${names[p]} sends to ${names[to]}`, vector: vectors[p]!.tick(), lamport: lamports[p]!.tick() };
      inbox[to]!.push({ from: p, event: events.length, vector: event.vector, lamport: event.lamport });
    } else {
      event = { label: `${names[p]} local event`, vector: vectors[p]!.tick(), lamport: lamports[p]!.tick() };
    }
    last[p] = events.length;
    events.push({ ...event, past });
  }
  return events;
}

const traces = fc.record({
  processes: fc.integer({ min: 1, max: 4 }),
  steps: fc.array(
    fc.record({
      p: fc.nat(3),
      kind: fc.constantFrom<Step['kind']>('local', 'send', 'receive', 'receive'),
      to: fc.nat(3),
      pick: fc.nat(7),
    }),
    { maxLength: 40 },
  ),
});

describe('7.3 logical clocks: Lamport and vector clocks', () => {
  it('vector clocks report happens-before and concurrency exactly as the trace defines them (property)', () => {
    checkProperty(
      fc.property(traces, ({ processes, steps }) => {
        const events = runTrace(processes, steps);
        for (let i = 0; i < events.length; i++) {
          for (let j = 0; j < events.length; j++) {
            if (i === j) continue;
            const a = events[i]!;
            const b = events[j]!;
            const expected: Causality = b.past.has(i) ? 'before' : a.past.has(j) ? 'after' : 'concurrent';
            const actual = compareVectors(a.vector, b.vector);
            if (actual !== expected) {
              expect(
                { a: `${i}: ${a.label} ${JSON.stringify(a.vector)}`, b: `${j}: ${b.label} ${JSON.stringify(b.vector)}`, relation: actual },
                because('a before b exactly when a chain of program order and messages leads from a to b; concurrent when neither', VECTOR),
              ).toEqual({ a: `${i}: ${a.label} ${JSON.stringify(a.vector)}`, b: `${j}: ${b.label} ${JSON.stringify(b.vector)}`, relation: expected });
            }
            expect(happensBefore(a.vector, b.vector), because('happensBefore agrees with compareVectors', VECTOR)).toBe(expected === 'before');
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('Lamport timestamps are a total order consistent with causality (property)', () => {
    checkProperty(
      fc.property(traces, ({ processes, steps }) => {
        const events = runTrace(processes, steps);
        for (let i = 0; i < events.length; i++) {
          for (let j = 0; j < events.length; j++) {
            if (i === j) continue;
            const a = events[i]!;
            const b = events[j]!;
            const order = compareLamport(a.lamport, b.lamport);
            expect(order, because(`distinct events never compare equal: ${a.label} and ${b.label}`, LAMPORT)).not.toBe(0);
            if (b.past.has(i)) {
              expect(order, because(`${a.label} happened before ${b.label}, so its timestamp is smaller`, LAMPORT)).toBeLessThan(0);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a receive counts as an event: it ticks the own entry past both sides', () => {
    const a = new VectorClock('a');
    const b = new VectorClock('b');
    const sent = a.tick();
    const received = b.receive(sent);
    expect(received, because('receive = entry-wise max, then the own entry goes up by one', VECTOR)).toEqual({ a: 1, b: 1 });
    expect(compareVectors(sent, received), because('the send happened before the receive', VECTOR)).toBe('before');
    const lamport = new LamportClock('b');
    expect(lamport.receive({ time: 7, node: 'a' }), because('receive sets the counter to max(local, remote) + 1', LAMPORT)).toEqual({ time: 8, node: 'b' });
  });
});

/** A hybrid clock over a physical clock the test sets by hand. */
function manualHlc(maxOffsetMs: number): { clock: HybridClock; set: (wallMs: number) => void } {
  let wall = 0;
  return { clock: new HybridClock(() => wall, maxOffsetMs), set: (wallMs) => (wall = wallMs) };
}

describe('7.3 logical clocks: hybrid logical clocks', () => {
  it('the golden cases: the counter carries the clock through a step back and through remote timestamps', () => {
    const { clock, set } = manualHlc(1000);
    // Each receive follows a local reading at the same wall time, as in CockroachDB's hlc_test.go.
    type Step = { wall: number; receive?: HlcTimestamp; expected: HlcTimestamp; why: string };
    const steps: Step[] = [
      { wall: 5, expected: { wallMs: 5, logical: 0 }, why: 'a send takes the physical time, counter 0' },
      { wall: 6, expected: { wallMs: 6, logical: 0 }, why: 'the physical clock moved on' },
      { wall: 10, receive: { wallMs: 10, logical: 5 }, expected: { wallMs: 10, logical: 6 }, why: 'equal physical parts: the larger counter plus one' },
      { wall: 7, expected: { wallMs: 10, logical: 7 }, why: 'the wall clock stepped back to 7: the physical part stays at 10, the counter goes on' },
      { wall: 8, receive: { wallMs: 10, logical: 4 }, expected: { wallMs: 10, logical: 9 }, why: 'the local counter (8 after the reading) beats the remote 4' },
      { wall: 10, receive: { wallMs: 10, logical: 99 }, expected: { wallMs: 10, logical: 100 }, why: 'the remote counter 99 beats the local one' },
      { wall: 11, receive: { wallMs: 10, logical: 31 }, expected: { wallMs: 11, logical: 1 }, why: 'the physical clock caught up: the reading gave (11, 0), the receive ticks it' },
      { wall: 11, expected: { wallMs: 11, logical: 2 }, why: 'the physical clock stands still: the counter goes on' },
    ];
    for (const step of steps) {
      set(step.wall);
      let actual: HlcTimestamp;
      if (step.receive === undefined) actual = clock.now();
      else {
        clock.now();
        actual = clock.update(step.receive);
      }
      expect(actual, because(`at wall ${step.wall}${step.receive ? `, receiving ${JSON.stringify(step.receive)}` : ''}: ${step.why}`, HLC)).toEqual(step.expected);
    }
  });

  it('a remote timestamp further ahead than the maximum offset is refused with a ClockOffsetError, and the clock is unchanged', () => {
    const { clock, set } = manualHlc(50);
    set(100);
    const before = clock.now();
    let error: unknown;
    try {
      clock.update({ wallMs: 151, logical: 0 });
    } catch (e) {
      error = e;
    }
    expect(error, because('151 is 51 ms ahead of the physical 100, more than the 50 allowed', HLC)).toBeInstanceOf(ClockOffsetError);
    expect(error, because('the error names the remote time, the local time and the limit', HLC)).toMatchObject({ remoteWallMs: 151, localWallMs: 100, maxOffsetMs: 50 });
    expect(clock.peek(), because('a refused timestamp changes nothing', HLC)).toEqual(before);
    expect(clock.update({ wallMs: 150, logical: 3 }), because('exactly the maximum offset ahead is still accepted', HLC)).toEqual({ wallMs: 150, logical: 4 });
  });

  it('monotonic under any clock steps, later than every message received, and within the maximum offset of physical time (property)', () => {
    const maxOffsetMs = 40;
    const steps = fc.array(
      fc.record({
        stepMs: fc.integer({ min: -60, max: 60 }),
        receive: fc.option(fc.record({ aheadMs: fc.integer({ min: -100, max: maxOffsetMs + 20 }), logical: fc.nat(50) })),
      }),
      { maxLength: 60 },
    );
    checkProperty(
      fc.property(steps, (script) => {
        const { clock, set } = manualHlc(maxOffsetMs);
        let wall = 1000;
        let highestWall = wall;
        let previous: HlcTimestamp | undefined;
        for (const step of script) {
          wall += step.stepMs;
          highestWall = Math.max(highestWall, wall);
          set(wall);
          let issued: HlcTimestamp;
          if (step.receive === null) issued = clock.now();
          else {
            const remote = { wallMs: wall + step.receive.aheadMs, logical: step.receive.logical };
            if (step.receive.aheadMs > maxOffsetMs) {
              expect(() => clock.update(remote), because('too far ahead: refused', HLC)).toThrow(ClockOffsetError);
              continue;
            }
            issued = clock.update(remote);
            expect(compareHlc(issued, remote), because('a receive is later than the message it receives', HLC)).toBeGreaterThan(0);
          }
          if (previous !== undefined) {
            expect(compareHlc(issued, previous), because(`wall clock now ${wall}: ${JSON.stringify(issued)} must be later than ${JSON.stringify(previous)}`, HLC)).toBeGreaterThan(0);
          }
          expect(issued.wallMs, because('the physical part is never behind the physical clock', HLC)).toBeGreaterThanOrEqual(wall);
          expect(issued.wallMs, because('the physical part is at most the maximum offset ahead of the highest physical reading', HLC)).toBeLessThanOrEqual(highestWall + maxOffsetMs);
          previous = issued;
        }
      }),
    );
  });
});
