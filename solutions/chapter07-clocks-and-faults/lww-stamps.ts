/**
 * Exercise 7.2: three ways to stamp a write for last write wins.
 *
 * - {@link WallClockStamper}: the writer's wall clock. Only as good as the clock: a clock ahead
 *   of the others makes its writes win over later ones, and a clock stepped back makes the
 *   writer's own later writes lose.
 * - {@link LamportStamper}: a Lamport clock that observes every stamp the writer hears of. A
 *   write made after the writer saw another write's stamp gets a larger one.
 * - {@link HybridStamper}: a hybrid logical clock, the same guarantee, with stamps close to
 *   physical time.
 *
 * A writer calls `observe` with every stamp it hears of (a read's, an acknowledgement's) and
 * `stamp` for each write. Stamps compare with {@link compareStamps}.
 * @module
 */

import type { NodeId } from '../../shared/sim/index.js';
import { HybridClock } from './hybrid-clock.js';
import { LamportClock } from './lamport-clock.js';
import type { Stamp } from './lww-messages.js';

/** Orders stamps by `major`, then `minor`, then `node`: negative when `a` is earlier, 0 only when equal. */
export function compareStamps(a: Stamp, b: Stamp): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

/** Makes the stamps of one writer's writes. */
export interface Stamper {
  /** The stamp of a new write. */
  stamp(): Stamp;
  /** Tells the stamper of a stamp the writer has heard of. */
  observe(stamp: Stamp): void;
}

/** Stamps with the writer's wall clock as it reads: `(wall, 0, node)`; observing changes nothing. */
export class WallClockStamper implements Stamper {
  constructor(
    private readonly node: NodeId,
    private readonly wall: () => number,
  ) {}

  stamp(): Stamp {
    return { major: this.wall(), minor: 0, node: this.node };
  }

  observe(_stamp: Stamp): void {
    // A wall clock learns nothing from other clocks.
  }
}

/** Stamps with a Lamport clock: `(time, 0, node)`, later than every stamp observed. */
export class LamportStamper implements Stamper {
  private readonly clock: LamportClock;

  /** Uses a `LamportClock` (7.3) of its own. */
  constructor(private readonly node: NodeId) {
    this.clock = new LamportClock(node);
  }

  stamp(): Stamp {
    return { major: this.clock.tick().time, minor: 0, node: this.node };
  }

  observe(stamp: Stamp): void {
    this.clock.receive({ time: stamp.major, node: stamp.node });
  }
}

/** Stamps with a hybrid logical clock over the writer's wall clock: `(wallMs, logical, node)`. */
export class HybridStamper implements Stamper {
  private readonly clock: HybridClock;

  constructor(
    private readonly node: NodeId,
    wall: () => number,
    maxOffsetMs: number,
  ) {
    this.clock = new HybridClock(wall, maxOffsetMs);
  }

  stamp(): Stamp {
    const now = this.clock.now();
    return { major: now.wallMs, minor: now.logical, node: this.node };
  }

  observe(stamp: Stamp): void {
    this.clock.update({ wallMs: stamp.major, logical: stamp.minor });
  }
}
