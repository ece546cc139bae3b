/**
 * Exercise 7.3: Lamport clocks.
 *
 * Each node keeps one counter. A local event or a send ticks it; a receive sets it to one more
 * than the larger of the local counter and the message's. So if event `a` happened before event
 * `b` (program order, or a message from `a`'s side reached `b`'s, or a chain of those), `a`'s
 * time is smaller than `b`'s. Ties between nodes are broken by node id, which makes the order
 * total: every two distinct events compare as unequal.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { NodeId } from '../../shared/sim/index.js';

const exercise = { exercise: '7.3 Logical clocks', file: 'chapter07-clocks-and-faults/lamport-clock.ts', section: '7.3 Logical clocks' };

/** One event's Lamport timestamp. */
export interface LamportTimestamp {
  /** The counter after the event, >= 1. */
  readonly time: number;
  /** The node the event happened on (the tie-breaker). */
  readonly node: NodeId;
}

/** One node's Lamport clock. */
export class LamportClock {
  constructor(readonly node: NodeId) {}

  /** The timestamp of the node's latest event (time 0 before the first one). Changes nothing. */
  now(): LamportTimestamp {
    throw new NotImplementedError(exercise);
  }

  /** A local event or a send: the counter goes up by one; returns the event's timestamp. */
  tick(): LamportTimestamp {
    throw new NotImplementedError(exercise);
  }

  /** Receiving a message stamped `remote`: the counter becomes `max(local, remote.time) + 1`. */
  receive(remote: LamportTimestamp): LamportTimestamp {
    throw new NotImplementedError(exercise);
  }
}

/**
 * The total order of Lamport timestamps: by time, then by node id. Negative when `a` comes
 * first, positive when `b` does, 0 only for the same timestamp.
 */
export function compareLamport(a: LamportTimestamp, b: LamportTimestamp): number {
  throw new NotImplementedError(exercise);
}
