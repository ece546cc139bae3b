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

import { NotImplementedError } from '../../shared/errors.js';
import type { NodeId } from '../../shared/sim/index.js';
import type { Stamp } from './lww-messages.js';

const exercise = { exercise: '7.2 Wall clocks that lie', file: 'chapter07-clocks-and-faults/lww-stamps.ts', section: '7.2 Wall clocks that lie' };

/** Orders stamps by `major`, then `minor`, then `node`: negative when `a` is earlier, 0 only when equal. */
export function compareStamps(a: Stamp, b: Stamp): number {
  throw new NotImplementedError(exercise);
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
  ) {
    throw new NotImplementedError(exercise);
  }

  stamp(): Stamp {
    throw new NotImplementedError(exercise);
  }

  observe(_stamp: Stamp): void {
    throw new NotImplementedError(exercise);
  }
}

/** Stamps with a Lamport clock: `(time, 0, node)`, later than every stamp observed. */
export class LamportStamper implements Stamper {
  /** Uses a `LamportClock` (7.3) of its own. */
  constructor(private readonly node: NodeId) {
    throw new NotImplementedError(exercise);
  }

  stamp(): Stamp {
    throw new NotImplementedError(exercise);
  }

  observe(stamp: Stamp): void {
    throw new NotImplementedError(exercise);
  }
}

/** Stamps with a hybrid logical clock over the writer's wall clock: `(wallMs, logical, node)`. */
export class HybridStamper implements Stamper {
  constructor(
    private readonly node: NodeId,
    wall: () => number,
    maxOffsetMs: number,
  ) {
    throw new NotImplementedError(exercise);
  }

  stamp(): Stamp {
    throw new NotImplementedError(exercise);
  }

  observe(stamp: Stamp): void {
    throw new NotImplementedError(exercise);
  }
}
