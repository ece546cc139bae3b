/**
 * Exercise 7.3: hybrid logical clocks (Kulkarni et al., 2014).
 *
 * A timestamp is a pair `(wallMs, logical)`, compared as a pair. `wallMs` is the largest
 * physical time the node has heard of (its own clock or a message's); `logical` counts events
 * that happened while `wallMs` stood still. Let `pt` be the physical clock's reading.
 *
 * - A local event or a send: if `pt > wallMs`, the timestamp becomes `(pt, 0)`; otherwise
 *   `(wallMs, logical + 1)`. A clock stepped back changes nothing but the counter.
 * - A receive of `(mWall, mLogical)`: the new `wallMs` is `max(wallMs, mWall, pt)`. The counter
 *   is `max(logical, mLogical) + 1` if both old parts equal it, `logical + 1` if only the local
 *   one does, `mLogical + 1` if only the message's does, and 0 if `pt` alone is the maximum.
 *   Before anything changes, a message whose `mWall` is more than `maxOffsetMs` ahead of `pt` is
 *   refused with a {@link ClockOffsetError}.
 *
 * So timestamps strictly increase on every node whatever its clock does, respect causality
 * like a Lamport clock, and stay within `maxOffsetMs` of the physical clocks that fed them.
 * @module
 */

import { ClockOffsetError } from './errors.js';

/** A hybrid logical clock timestamp: plain data, it travels in messages. */
export interface HlcTimestamp {
  /** Physical part (ms): the largest physical time known. */
  readonly wallMs: number;
  /** Logical part: events since `wallMs` last moved, >= 0. */
  readonly logical: number;
}

/** Orders timestamps by `wallMs`, then `logical`: negative when `a` is earlier, 0 when equal. */
export function compareHlc(a: HlcTimestamp, b: HlcTimestamp): number {
  if (a.wallMs !== b.wallMs) return a.wallMs - b.wallMs;
  return a.logical - b.logical;
}

/** One node's hybrid logical clock. */
export class HybridClock {
  private last: HlcTimestamp = { wallMs: 0, logical: 0 };

  /**
   * @param physical - the node's wall clock (`ctx.now` in a simulated node): may be skewed, drift
   *   or step back.
   * @param maxOffsetMs - the largest clock offset the cluster tolerates; remote timestamps further
   *   ahead than this are refused.
   */
  constructor(
    private readonly physical: () => number,
    readonly maxOffsetMs: number,
  ) {}

  /** The latest timestamp issued (`(0, 0)` before the first). Changes nothing. */
  peek(): HlcTimestamp {
    return this.last;
  }

  /** Timestamps a local event or a send; always later than every timestamp issued before. */
  now(): HlcTimestamp {
    const pt = this.physical();
    if (pt > this.last.wallMs) this.last = { wallMs: pt, logical: 0 };
    else this.last = { wallMs: this.last.wallMs, logical: this.last.logical + 1 };
    return this.last;
  }

  /**
   * Timestamps the receipt of a message stamped `remote`: later than `remote` and than every
   * timestamp issued before. Throws a {@link ClockOffsetError}, changing nothing, when
   * `remote.wallMs` is more than `maxOffsetMs` ahead of the physical clock.
   */
  update(remote: HlcTimestamp): HlcTimestamp {
    const pt = this.physical();
    if (remote.wallMs - pt > this.maxOffsetMs) throw new ClockOffsetError(remote.wallMs, pt, this.maxOffsetMs);
    const old = this.last;
    const wallMs = Math.max(old.wallMs, remote.wallMs, pt);
    let logical: number;
    if (wallMs === old.wallMs && wallMs === remote.wallMs) logical = Math.max(old.logical, remote.logical) + 1;
    else if (wallMs === old.wallMs) logical = old.logical + 1;
    else if (wallMs === remote.wallMs) logical = remote.logical + 1;
    else logical = 0;
    this.last = { wallMs, logical };
    return this.last;
  }
}
