/**
 * A counter that goes up and down (PN-Counter): two G-Counters, one for increments and one for
 * decrements. The value is their difference. A single per-replica integer that could go down
 * would not work: `max` would keep the larger, pre-decrement count and lose the decrement.
 * @module
 */

import { GCounter, type GCounterState } from './g-counter.js';
import type { ReplicaId } from './replica-id.js';

/** The state a PN-Counter ships: both grow-only halves. */
export interface PNCounterState {
  readonly increments: GCounterState;
  readonly decrements: GCounterState;
}

/** An immutable counter supporting increments and decrements. */
export class PNCounter {
  private readonly increments: GCounter;
  private readonly decrements: GCounter;

  /** A counter holding `state` (default: zero). */
  constructor(state: PNCounterState = { increments: {}, decrements: {} }) {
    this.increments = new GCounter(state.increments);
    this.decrements = new GCounter(state.decrements);
  }

  /** The counter after `replica` adds `amount` (a non-negative integer, default 1). */
  increment(replica: ReplicaId, amount = 1): PNCounter {
    return new PNCounter({
      increments: this.increments.increment(replica, amount).state(),
      decrements: this.decrements.state(),
    });
  }

  /** The counter after `replica` subtracts `amount` (a non-negative integer, default 1). */
  decrement(replica: ReplicaId, amount = 1): PNCounter {
    return new PNCounter({
      increments: this.increments.state(),
      decrements: this.decrements.increment(replica, amount).state(),
    });
  }

  /** Increments minus decrements, over all replicas. */
  value(): number {
    return this.increments.value() - this.decrements.value();
  }

  /** Merges each half separately. */
  merge(other: PNCounter): PNCounter {
    const theirs = other.state();
    return new PNCounter({
      increments: this.increments.merge(new GCounter(theirs.increments)).state(),
      decrements: this.decrements.merge(new GCounter(theirs.decrements)).state(),
    });
  }

  /** The canonical state of both halves. */
  state(): PNCounterState {
    return { increments: this.increments.state(), decrements: this.decrements.state() };
  }
}
