/**
 * A node's local clocks: a wall clock that can be off, drift and jump, and a monotonic clock that
 * only ever moves forward.
 *
 * Real machines disagree about the time. A quartz oscillator runs a little fast or slow (drift,
 * in parts per million: 100 ppm gains or loses about 8.6 s a day), and the time of day can jump
 * when NTP or an operator steps it forward or back. A monotonic clock, as `clock_gettime` with
 * `CLOCK_MONOTONIC` gives it, is not stepped: it drifts with the oscillator but never goes back,
 * which makes it the clock to measure timeouts with.
 *
 * Both are piecewise linear in the simulation's true time `t`: since the last change at `base`,
 * `wall(t) = wallAtBase + (t - base) × rate` and likewise for the monotonic clock, with
 * `rate = 1 + driftPpm / 1,000,000`. A change (new drift, new offset, a step) starts a new piece
 * where the old one ended, so the monotonic clock is continuous and, with a positive rate, never
 * decreases. With no offset and no drift, the wall clock reads exactly the true time.
 * @module
 */

import { UsageError } from '../errors.js';

/** One scheduled jump of a node's wall clock. */
export interface ClockStep {
  /** When, in the simulation's true time (ms). */
  readonly atMs: number;
  /** By how much: positive steps forward, negative back (ms). */
  readonly byMs: number;
}

/** How a node's clocks behave; everything defaults to a perfect clock. */
export interface ClockOptions {
  /** The wall clock reads the true time plus this (ms), from now on. */
  readonly offsetMs?: number;
  /** Both clocks run fast (positive) or slow (negative) by this many parts per million. */
  readonly driftPpm?: number;
  /** Jumps of the wall clock to come; the monotonic clock ignores them. */
  readonly steps?: readonly ClockStep[];
}

/** @internal One node's clocks as functions of true time. */
export class LocalClock {
  private base = 0;
  private wallAtBase = 0;
  private monotonicAtBase = 0;
  private rate = 1;

  /** The wall clock at true time `t`. */
  wall(t: number): number {
    return this.wallAtBase + (t - this.base) * this.rate;
  }

  /** The monotonic clock at true time `t`. */
  monotonic(t: number): number {
    return this.monotonicAtBase + (t - this.base) * this.rate;
  }

  /** True milliseconds for `localMs` of this clock: timers run on the monotonic clock. */
  trueDelay(localMs: number): number {
    return localMs / this.rate;
  }

  /** Sets the drift from true time `t` on. */
  setDrift(t: number, driftPpm: number): void {
    if (!Number.isFinite(driftPpm) || driftPpm <= -1_000_000) {
      throw new UsageError(`driftPpm must be a finite number > -1,000,000 (a clock that runs forward), got ${driftPpm}`);
    }
    this.rebase(t);
    this.rate = 1 + driftPpm / 1_000_000;
  }

  /** Sets the wall clock to read true time plus `offsetMs` at true time `t`. */
  setOffset(t: number, offsetMs: number): void {
    checkFinite('offsetMs', offsetMs);
    this.rebase(t);
    this.wallAtBase = t + offsetMs;
  }

  /** Steps the wall clock by `byMs` at true time `t`. */
  step(t: number, byMs: number): void {
    checkFinite('byMs', byMs);
    this.rebase(t);
    this.wallAtBase += byMs;
  }

  private rebase(t: number): void {
    this.wallAtBase = this.wall(t);
    this.monotonicAtBase = this.monotonic(t);
    this.base = t;
  }
}

function checkFinite(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new UsageError(`${name} must be a finite number of milliseconds, got ${value}`);
}
