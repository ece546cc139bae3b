/**
 * Version vectors: one counter per replica, recording how many of that replica's writes a
 * version has seen. Comparing two vectors tells whether one version happened before the other
 * (it saw a subset of the writes) or whether they are concurrent (each saw a write the other did
 * not), which is exactly when a store must keep both as siblings.
 * @module
 */

import { NotImplementedError, UsageError } from '../../shared/errors.js';
import { compareReplicaIds, type ReplicaId } from './replica-id.js';

const exercise = {
  exercise: '4.1 Version vectors and siblings',
  file: 'chapter04-replication/version-vector.ts',
  section: '4.1 Version vectors and siblings',
};

/** Replica → number of its writes seen. A missing replica counts as 0. Zeros are not stored. */
export type VersionVector = Readonly<Record<ReplicaId, number>>;

/** How two versions are related. */
export type Causality = 'equal' | 'before' | 'after' | 'concurrent';

/** One write: the `counter`-th write coordinated by `replica`. */
export interface Dot {
  readonly replica: ReplicaId;
  readonly counter: number;
}

/**
 * `before` when every entry of `a` is ≤ the one in `b` and some is smaller; `after` the other
 * way round; `equal` when all entries are equal; `concurrent` when each has an entry larger than
 * the other's. A missing entry counts as 0.
 */
export function compareVersions(a: VersionVector, b: VersionVector): Causality {
  void a;
  void b;
  throw new NotImplementedError(exercise);
}

/**
 * The entry-wise maximum: the smallest vector that has seen everything either has seen.
 * Return it {@link normalize}d.
 */
export function mergeVersions(a: VersionVector, b: VersionVector): VersionVector {
  void a;
  void b;
  throw new NotImplementedError(exercise);
}

/** The vector with `dot` included: its replica's entry raised to at least its counter. Given. */
export function addDot(v: VersionVector, dot: Dot): VersionVector {
  return mergeVersions(v, { [dot.replica]: dot.counter });
}

/** True when `v` has seen the write `dot`. */
export function covers(v: VersionVector, dot: Dot): boolean {
  void v;
  void dot;
  throw new NotImplementedError(exercise);
}

/** Sorted keys, zeros dropped, every counter checked: one spelling per vector. Given. */
export function normalize(v: Readonly<Record<string, number>>): VersionVector {
  const out: Record<ReplicaId, number> = {};
  for (const replica of Object.keys(v).sort(compareReplicaIds)) {
    const counter = v[replica]!;
    if (!Number.isSafeInteger(counter) || counter < 0) {
      throw new UsageError(`version vector entry for "${replica}" is ${counter}; entries are non-negative integers`);
    }
    if (counter > 0) out[replica] = counter;
  }
  return out;
}
