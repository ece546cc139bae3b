/**
 * A grow-only counter (G-Counter), the simplest state-based CRDT.
 *
 * Each replica counts only its own increments; the value is the sum over replicas; merging two
 * states takes the maximum per replica. Because `max` is commutative, associative and idempotent,
 * replicas that exchange states in any order, any number of times, end up equal.
 * @module
 */

import { NotImplementedError, UsageError } from '../../shared/errors.js';
import { compareReplicaIds, type ReplicaId } from './replica-id.js';

const exercise = { exercise: '3.2 Counters', file: 'chapter04-replication/g-counter.ts', section: '3.2 Counters' };

/** The state a G-Counter ships to other replicas: increments per replica, zeros omitted. */
export type GCounterState = Readonly<Record<ReplicaId, number>>;

/** An immutable grow-only counter: every operation returns a new counter. */
export class GCounter {
  // Invariant: every count is a positive safe integer (zeros are not stored).
  private readonly counts: ReadonlyMap<ReplicaId, number>;

  /** A counter holding `state` (default: zero everywhere). Given: you need not change it. */
  constructor(state: GCounterState = {}) {
    const counts = new Map<ReplicaId, number>();
    for (const [replica, count] of Object.entries(state)) {
      checkAmount(count, `GCounter state for replica "${replica}"`);
      if (count > 0) counts.set(replica, count);
    }
    this.counts = counts;
  }

  /**
   * The counter after `replica` adds `amount` (default 1). Throws a `UsageError` unless `amount`
   * is a non-negative integer. Leaves `this` unchanged.
   */
  increment(replica: ReplicaId, amount = 1): GCounter {
    void replica;
    void amount;
    throw new NotImplementedError(exercise);
  }

  /** The sum of every replica's increments. */
  value(): number {
    throw new NotImplementedError(exercise);
  }

  /**
   * The least upper bound of both states: for every replica, the larger of the two counts. It
   * must be commutative, associative and idempotent.
   */
  merge(other: GCounter): GCounter {
    void other;
    throw new NotImplementedError(exercise);
  }

  /** The canonical state: replicas in sorted order, zeros omitted. Given. */
  state(): GCounterState {
    const out: Record<ReplicaId, number> = {};
    for (const replica of [...this.counts.keys()].sort(compareReplicaIds)) out[replica] = this.counts.get(replica)!;
    return out;
  }
}

function checkAmount(amount: number, where: string): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new UsageError(`${where}: ${amount} is not a non-negative integer; a G-Counter only grows`);
  }
}
