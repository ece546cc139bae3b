/**
 * A counter that goes up and down (PN-Counter): two G-Counters, one for increments and one for
 * decrements. The value is their difference. A single per-replica integer that could go down
 * would not work: `max` would keep the larger, pre-decrement count and lose the decrement.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { GCounter, type GCounterState } from './g-counter.js';
import type { ReplicaId } from './replica-id.js';

const exercise = { exercise: '3.2 Counters', file: 'chapter04-replication/pn-counter.ts', section: '3.2 Counters' };

/** The state a PN-Counter ships: both grow-only halves. */
export interface PNCounterState {
  readonly increments: GCounterState;
  readonly decrements: GCounterState;
}

/** An immutable counter supporting increments and decrements. */
export class PNCounter {
  private readonly increments: GCounter;
  private readonly decrements: GCounter;

  /** A counter holding `state` (default: zero). Given. */
  constructor(state: PNCounterState = { increments: {}, decrements: {} }) {
    this.increments = new GCounter(state.increments);
    this.decrements = new GCounter(state.decrements);
  }

  /** The counter after `replica` adds `amount` (a non-negative integer, default 1). */
  increment(replica: ReplicaId, amount = 1): PNCounter {
    void replica;
    void amount;
    throw new NotImplementedError(exercise);
  }

  /** The counter after `replica` subtracts `amount` (a non-negative integer, default 1). */
  decrement(replica: ReplicaId, amount = 1): PNCounter {
    void replica;
    void amount;
    throw new NotImplementedError(exercise);
  }

  /** Increments minus decrements, over all replicas. */
  value(): number {
    throw new NotImplementedError(exercise);
  }

  /** Merges each half separately; commutative, associative and idempotent. */
  merge(other: PNCounter): PNCounter {
    void other;
    throw new NotImplementedError(exercise);
  }

  /** The canonical state of both halves. Given. */
  state(): PNCounterState {
    return { increments: this.increments.state(), decrements: this.decrements.state() };
  }
}
