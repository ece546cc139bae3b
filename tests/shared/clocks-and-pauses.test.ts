import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { Random } from '../../shared/random.js';
import { Simulation, type ClockOptions, type NodeContext, type NodeId, type SimNode } from '../../shared/sim/index.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { Recorder, type TestMessage } from './support/nodes.js';

const CLOCKS = 'Clocks and pauses';

/** Reads both clocks every `periodMs` of its own time, and at every message. */
class ClockReader implements SimNode<TestMessage> {
  readonly readings: Array<{ wall: number; monotonic: number; trueTime: number }> = [];
  readonly messages: Array<{ n: number; wall: number }> = [];
  constructor(
    readonly ctx: NodeContext<TestMessage>,
    private readonly sim: () => Simulation<TestMessage, SimNode<TestMessage>>,
    private readonly periodMs: () => number,
  ) {}
  onStart(): void {
    this.ctx.setTimer('read', this.periodMs());
  }
  onTimer(): void {
    this.readings.push({ wall: this.ctx.now(), monotonic: this.ctx.monotonic(), trueTime: this.sim().now });
    this.ctx.setTimer('read', this.periodMs());
  }
  onMessage(_from: NodeId, msg: TestMessage): void {
    this.messages.push({ n: msg.n, wall: this.ctx.now() });
  }
}

function reader(options: { seed?: number; period?: (random: Random) => number; clock?: ClockOptions } = {}): Simulation<TestMessage, SimNode<TestMessage>> {
  const period = options.period ?? (() => 100);
  const sim: Simulation<TestMessage, SimNode<TestMessage>> = new Simulation<TestMessage, SimNode<TestMessage>>({
    seed: options.seed ?? 1,
    nodes: [{ id: 'c', ...(options.clock && { clock: options.clock }) }, { id: 'other', group: null }],
    factory: (ctx) => (ctx.id === 'c' ? new ClockReader(ctx, () => sim, () => period(ctx.random)) : new Recorder(ctx)),
    network: { latency: { kind: 'fixed', ms: 5 } },
  });
  return sim;
}

describe('Clocks: each node has its own', () => {
  it('a drifting clock gains its parts per million on the true time, and its timers fire early in true time', () => {
    const sim = reader({ clock: { driftPpm: 1000 } }); // 1 ms fast per second
    sim.runFor(10_000);
    const last = (sim.node('c') as ClockReader).readings.at(-1)!;
    expect(last.monotonic, because('a clock 1000 ppm fast reads 1.001 times the elapsed time', CLOCKS)).toBeCloseTo(last.trueTime * 1.001, 6);
    expect(last.wall).toBeCloseTo(last.monotonic, 6);
    expect(last.trueTime, because('a 100 ms timer on a fast clock fires after 100 / 1.001 true ms', CLOCKS)).toBeCloseTo((100 / 1.001) * 100, 6);
    expect(sim.wallClock('c')).toBeCloseTo(10_010, 6);
    expect(sim.wallClock('other'), because('clocks are per node', CLOCKS)).toBe(10_000);
  });

  it('a wall clock with an offset steps back and forward; the monotonic clock does not move with it', () => {
    const sim = reader({ clock: { offsetMs: 500, steps: [{ atMs: 250, byMs: -300 }, { atMs: 450, byMs: 1000 }] } });
    sim.runFor(600);
    const readings = (sim.node('c') as ClockReader).readings;
    expect(readings.map((r) => r.wall), because('the wall clock is off by 500, then steps back 300, then forward 1000', CLOCKS)).toEqual([600, 700, 500, 600, 1700, 1800]);
    expect(readings.map((r) => r.monotonic), because('steps leave the monotonic clock alone', CLOCKS)).toEqual([100, 200, 300, 400, 500, 600]);
    const changes = sim.trace.ofKind('clock').map((e) => [e.time, e.change, e.wallMs]);
    expect(changes, because('the trace shows every clock change, at true time', CLOCKS)).toEqual([
      [0, 'offset 500 ms', 500],
      [250, 'step -300 ms', 450],
      [450, 'step +1000 ms', 1650],
    ]);
    expect(sim.trace.diagram()).toMatch(/CLOCK\s+│\s+c clock step -300 ms: wall 450\.000 ms, monotonic 250\.000 ms/);
  });

  it('the monotonic clock never decreases, whatever the drift, the offsets and the steps (property over seeds)', () => {
    forEachSeed(30, (seed) => {
      const random = new Random(seed);
      const sim = reader({ seed, period: (r) => r.int(1, 40) });
      sim.setClock('c', { driftPpm: random.int(-200_000, 200_000), offsetMs: random.int(-10_000, 10_000) });
      sim.at(1000, () => sim.stepClock('c', -3000)); // at least one step back, whatever the seed
      for (let k = 0; k < 20; k++) {
        const drawn = random.int(0, 1800);
        const at = drawn < 900 ? drawn : drawn + 200; // nothing else within 100 ms of the step back
        const change = random.int(0, 2);
        sim.at(at, () => {
          if (change === 0) sim.stepClock('c', random.int(-5000, 5000));
          else if (change === 1) sim.setClock('c', { driftPpm: random.int(-500_000, 500_000) });
          else sim.setClock('c', { offsetMs: random.int(-5000, 5000) });
        });
      }
      sim.runFor(2000);
      const readings = (sim.node('c') as ClockReader).readings;
      expect(readings.length).toBeGreaterThan(40);
      for (let k = 1; k < readings.length; k++) {
        expect(readings[k]!.monotonic, because(`monotonic reading ${k} went back from ${readings[k - 1]!.monotonic}`, CLOCKS)).toBeGreaterThanOrEqual(readings[k - 1]!.monotonic);
      }
      const wallWentBack = readings.some((r, k) => k > 0 && r.wall < readings[k - 1]!.wall);
      expect(wallWentBack, because('the run must include a wall clock that goes back, or it proves little', CLOCKS)).toBe(true);
    });
  });

  it('a node reads only its own clocks; the true time is for the test and the trace', () => {
    const sim = reader();
    sim.setClock('c', { offsetMs: -1000 });
    sim.runFor(100);
    const c = sim.node('c') as ClockReader;
    expect(c.readings[0], because('ctx.now() is the node\'s wall clock, not the simulation\'s time', CLOCKS)).toEqual({ wall: -900, monotonic: 100, trueTime: 100 });
    expect(sim.trace.ofKind('timer')[0]!.time, because('the trace keeps true time', CLOCKS)).toBe(100);
    expect(() => sim.setClock('c', { driftPpm: -1_000_000 }), because('a clock must run forward', CLOCKS)).toThrow(UsageError);
  });
});

describe('Pauses: a node that stops for a while and comes back as it was', () => {
  it('a paused node handles nothing: its timers fire late and messages to it arrive after the pause, in order', () => {
    const sim = reader();
    const c = sim.node('c') as ClockReader;
    const other = sim.node('other') as Recorder;
    sim.after(150, () => sim.pause('c', 300)); // the timer due at 200 must wait until 450
    sim.after(160, () => other.ctx.send('c', { type: 'ping', n: 1 }));
    sim.after(170, () => other.ctx.send('c', { type: 'ping', n: 2 }));
    sim.after(445, () => other.ctx.send('c', { type: 'ping', n: 3 })); // arrives the instant it resumes
    sim.runFor(600);
    expect(c.readings.map((r) => r.trueTime), because('the timer due during the pause fires when it ends', CLOCKS)).toEqual([100, 450, 550]);
    expect(c.messages, because('messages wait for the pause to end, then arrive in order, ahead of one sent later', CLOCKS)).toEqual([
      { n: 1, wall: 450 },
      { n: 2, wall: 450 },
      { n: 3, wall: 450 },
    ]);
    expect(sim.node('c'), because('a pause is not a restart: the same instance resumes', CLOCKS)).toBe(c);
    expect(c.ctx.incarnation).toBe(0);
    const diagram = sim.trace.diagram();
    expect(diagram).toMatch(/PAUSE\s+.*c paused until 450\.000 ms/);
    expect(diagram).toMatch(/RESUME\s+.*c resumes, 3 event\(s\) waited/);
  });

  it('a node that crashes while paused never resumes, and what waited for it is dropped', () => {
    const sim = reader();
    const other = sim.node('other') as Recorder;
    sim.after(150, () => sim.pause('c', 300));
    sim.after(160, () => other.ctx.send('c', { type: 'ping', n: 1 }));
    sim.after(200, () => sim.crash('c'));
    sim.runUntilQuiet();
    expect(sim.isPaused('c')).toBe(false);
    expect(sim.trace.ofKind('resume'), because('a crash ends a pause', CLOCKS)).toEqual([]);
    expect(sim.stats.messagesDelivered).toBe(0);
    expect(() => sim.pause('c', 10)).toThrow(UsageError);
  });
});
