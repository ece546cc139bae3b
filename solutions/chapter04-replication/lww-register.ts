/**
 * A last-write-wins register: holds one value, and a merge keeps the value with the larger
 * stamp. A stamp is a timestamp (from whatever clock the caller trusts) with the writing
 * replica's id as a tie-breaker, so every pair of stamps is ordered the same way everywhere.
 *
 * It converges, but it converges by throwing writes away: a write whose stamp is smaller than
 * the one already held is discarded, even if it happened later in real time on a replica whose
 * clock runs slow.
 * @module
 */

import { compareReplicaIds, type ReplicaId } from './replica-id.js';

/** When and where a value was written. Replicas never issue two writes with the same stamp. */
export interface LwwStamp {
  readonly timestamp: number;
  readonly replica: ReplicaId;
}

/** What a register holds, as shipped to other replicas. */
export interface LwwRegisterState<T> {
  readonly value: T;
  readonly stamp: LwwStamp;
}

/**
 * Orders stamps: by timestamp, then by replica id. Negative when `a` is older than `b`, zero when
 * they are the same stamp, positive when `a` is newer.
 */
export function compareStamps(a: LwwStamp, b: LwwStamp): number {
  if (a.timestamp !== b.timestamp) return a.timestamp < b.timestamp ? -1 : 1;
  return compareReplicaIds(a.replica, b.replica);
}

/** An immutable last-write-wins register. */
export class LwwRegister<T> {
  private readonly current: LwwRegisterState<T> | undefined;

  /** A register holding `state`, or nothing. */
  constructor(state?: LwwRegisterState<T>) {
    this.current = state;
  }

  /**
   * The register after a write of `value` stamped `(timestamp, replica)`. If the register
   * already holds a newer stamp, the write is discarded and the register is unchanged.
   */
  set(value: T, timestamp: number, replica: ReplicaId): LwwRegister<T> {
    return this.merge(new LwwRegister({ value, stamp: { timestamp, replica } }));
  }

  /** The value with the largest stamp seen, or `undefined` if nothing was ever written. */
  get(): T | undefined {
    return this.current?.value;
  }

  /** Keeps whichever state has the larger stamp. */
  merge(other: LwwRegister<T>): LwwRegister<T> {
    const theirs = other.state();
    if (theirs === undefined) return this;
    if (this.current === undefined) return other;
    return compareStamps(theirs.stamp, this.current.stamp) > 0 ? other : this;
  }

  /** The value and its stamp, or `undefined` for a register never written. */
  state(): LwwRegisterState<T> | undefined {
    return this.current;
  }
}
