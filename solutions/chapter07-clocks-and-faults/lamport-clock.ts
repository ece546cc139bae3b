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

import type { NodeId } from '../../shared/sim/index.js';

/** One event's Lamport timestamp. */
export interface LamportTimestamp {
  /** The counter after the event, >= 1. */
  readonly time: number;
  /** The node the event happened on (the tie-breaker). */
  readonly node: NodeId;
}

/** One node's Lamport clock. */
export class LamportClock {
  private time = 0;

  constructor(readonly node: NodeId) {}

  /** The timestamp of the node's latest event (time 0 before the first one). Changes nothing. */
  now(): LamportTimestamp {
    return { time: this.time, node: this.node };
  }

  /** A local event or a send: the counter goes up by one; returns the event's timestamp. */
  tick(): LamportTimestamp {
    this.time++;
    return this.now();
  }

  /** Receiving a message stamped `remote`: the counter becomes `max(local, remote.time) + 1`. */
  receive(remote: LamportTimestamp): LamportTimestamp {
    this.time = Math.max(this.time, remote.time) + 1;
    return this.now();
  }
}

/**
 * The total order of Lamport timestamps: by time, then by node id. Negative when `a` comes
 * first, positive when `b` does, 0 only for the same timestamp.
 */
export function compareLamport(a: LamportTimestamp, b: LamportTimestamp): number {
  if (a.time !== b.time) return a.time - b.time;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}
