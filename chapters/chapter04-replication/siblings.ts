/**
 * Siblings: the concurrent versions a leaderless store keeps for one key.
 *
 * Each version (a sibling) carries the *dot* of the write that made it (which replica
 * coordinated it, and that replica's counter) and the *context* the client had read before
 * writing (a version vector). A sibling is obsolete once some other sibling's context covers its
 * dot: that writer saw it and meant to replace it. Two siblings neither of whose contexts covers
 * the other's dot are concurrent and both are kept, for a client to merge.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { compareReplicaIds, type ReplicaId } from './replica-id.js';
import type { Dot, VersionVector } from './version-vector.js';

const exercise = {
  exercise: '4.1 Version vectors and siblings',
  file: 'chapter04-replication/siblings.ts',
  section: '4.1 Version vectors and siblings',
};

/** One version of a key. `value` null is a tombstone: a delete that must still win over older writes. */
export interface Sibling {
  readonly value: Uint8Array | null;
  readonly dot: Dot;
  readonly context: VersionVector;
}

/** Orders siblings by dot (replica, then counter): the canonical order of a sibling list. Given. */
export function compareSiblings(a: Sibling, b: Sibling): number {
  return compareReplicaIds(a.dot.replica, b.dot.replica) || a.dot.counter - b.dot.counter;
}

/**
 * Merges two sibling lists for the same key: the union by dot, without every sibling whose dot
 * another sibling's context covers, in canonical order ({@link compareSiblings}). It must be
 * commutative, associative and idempotent, so that replicas exchanging lists converge.
 */
export function mergeSiblings(a: readonly Sibling[], b: readonly Sibling[]): Sibling[] {
  void a;
  void b;
  throw new NotImplementedError(exercise);
}

/**
 * The version vector a client gets with a read: everything the siblings have seen, their own
 * dots included. Writing back with it replaces every sibling that was read.
 */
export function readContext(siblings: readonly Sibling[]): VersionVector {
  void siblings;
  throw new NotImplementedError(exercise);
}

/**
 * The dot for a new write coordinated by `replica`: one more than the highest counter of
 * `replica` that the stored siblings or the client's context mention, so it is new to both.
 */
export function nextDot(siblings: readonly Sibling[], replica: ReplicaId, context: VersionVector): Dot {
  void siblings;
  void replica;
  void context;
  throw new NotImplementedError(exercise);
}

/**
 * Applies a client write of `value` (null to delete) made after reading `context`, coordinated
 * by `replica`: the new sibling replaces every stored sibling the context covers and sits next to
 * the others.
 */
export function putSibling(
  siblings: readonly Sibling[],
  replica: ReplicaId,
  value: Uint8Array | null,
  context: VersionVector,
): Sibling[] {
  void siblings;
  void replica;
  void value;
  void context;
  throw new NotImplementedError(exercise);
}

/** The values a read returns: every sibling's value, tombstones left out. Given. */
export function liveValues(siblings: readonly Sibling[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const s of siblings) if (s.value !== null) out.push(s.value);
  return out;
}
