/**
 * Version vectors: one counter per replica, recording how many of that replica's writes a
 * version has seen. Comparing two vectors tells whether one version happened before the other
 * (it saw a subset of the writes) or whether they are concurrent (each saw a write the other did
 * not), which is exactly when a store must keep both as siblings.
 * @module
 */

import { UsageError } from '../../shared/errors.js';
import { compareReplicaIds, type ReplicaId } from './replica-id.js';

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
 * the other's.
 */
export function compareVersions(a: VersionVector, b: VersionVector): Causality {
  let aBigger = false;
  let bBigger = false;
  for (const replica of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[replica] ?? 0;
    const y = b[replica] ?? 0;
    if (x > y) aBigger = true;
    if (y > x) bBigger = true;
  }
  if (aBigger && bBigger) return 'concurrent';
  if (aBigger) return 'after';
  if (bBigger) return 'before';
  return 'equal';
}

/** The entry-wise maximum: the smallest vector that has seen everything either has seen. */
export function mergeVersions(a: VersionVector, b: VersionVector): VersionVector {
  const out: Record<ReplicaId, number> = { ...a };
  for (const [replica, counter] of Object.entries(b)) out[replica] = Math.max(out[replica] ?? 0, counter);
  return normalize(out);
}

/** The vector with `dot` included: its replica's entry raised to at least its counter. */
export function addDot(v: VersionVector, dot: Dot): VersionVector {
  return mergeVersions(v, { [dot.replica]: dot.counter });
}

/** True when `v` has seen the write `dot`. */
export function covers(v: VersionVector, dot: Dot): boolean {
  return (v[dot.replica] ?? 0) >= dot.counter;
}

/** Sorted keys, zeros dropped, every counter checked: one spelling per vector. */
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
