/**
 * A grow-only counter (G-Counter), the simplest state-based CRDT.
 *
 * Each replica counts only its own increments; the value is the sum over replicas; merging two
 * states takes the maximum per replica. Because `max` is commutative, associative and idempotent,
 * replicas that exchange states in any order, any number of times, end up equal.
 * @module
 */

import { UsageError } from '../../shared/errors.js';
import { compareReplicaIds, type ReplicaId } from './replica-id.js';

/** The state a G-Counter ships to other replicas: increments per replica, zeros omitted. */
export type GCounterState = Readonly<Record<ReplicaId, number>>;

/** An immutable grow-only counter: every operation returns a new counter. */
export class GCounter {
  // Invariant: every count is a positive safe integer (zeros are not stored).
  private readonly counts: ReadonlyMap<ReplicaId, number>;

  /** A counter holding `state` (default: zero everywhere). */
  constructor(state: GCounterState = {}) {
    const counts = new Map<ReplicaId, number>();
    for (const [replica, count] of Object.entries(state)) {
      checkAmount(count, `GCounter state for replica "${replica}"`);
      if (count > 0) counts.set(replica, count);
    }
    this.counts = counts;
  }

  /** The counter after `replica` adds `amount` (a non-negative integer, default 1). */
  increment(replica: ReplicaId, amount = 1): GCounter {
    checkAmount(amount, `GCounter.increment by replica "${replica}"`);
    const next = { ...this.state() };
    next[replica] = (next[replica] ?? 0) + amount;
    return new GCounter(next);
  }

  /** The sum of every replica's increments. */
  value(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  /** The least upper bound of both states: the larger count for every replica. */
  merge(other: GCounter): GCounter {
    const merged: Record<ReplicaId, number> = { ...this.state() };
    for (const [replica, count] of Object.entries(other.state())) {
      merged[replica] = Math.max(merged[replica] ?? 0, count);
    }
    return new GCounter(merged);
  }

  /** The canonical state: replicas in sorted order, zeros omitted. */
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
