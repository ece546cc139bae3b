/**
 * Siblings: the concurrent versions a leaderless store keeps for one key.
 *
 * Each version (a sibling) carries the *dot* of the write that made it (which replica
 * coordinated it, and that replica's counter) and the *context* the client had read before
 * writing (a version vector). A sibling is obsolete once some other sibling's context covers its
 * dot: that writer saw it and meant to replace it. Two siblings neither of whose contexts covers
 * the other's dot are concurrent and both are kept, for a client to merge.
 *
 * Why not one version vector per value? Two clients writing through the same replica with the
 * same (empty) context would get vectors `{a: 1}` and `{a: 2}`, and the second would look newer
 * and silently replace the first, though its writer never saw it. The dot keeps "which write is
 * this" apart from "what had its writer seen". (These are dotted version vectors.)
 * @module
 */

import { compareReplicaIds, type ReplicaId } from './replica-id.js';
import { addDot, covers, mergeVersions, type Dot, type VersionVector } from './version-vector.js';

/** One version of a key. `value` null is a tombstone: a delete that must still win over older writes. */
export interface Sibling {
  readonly value: Uint8Array | null;
  readonly dot: Dot;
  readonly context: VersionVector;
}

/** Orders siblings by dot (replica, then counter): the canonical order of a sibling list. */
export function compareSiblings(a: Sibling, b: Sibling): number {
  return compareReplicaIds(a.dot.replica, b.dot.replica) || a.dot.counter - b.dot.counter;
}

/**
 * Merges two sibling lists for the same key: the union by dot, without every sibling whose dot
 * another sibling's context covers, in canonical order. Commutative, associative and idempotent,
 * so replicas exchanging lists in any order converge.
 */
export function mergeSiblings(a: readonly Sibling[], b: readonly Sibling[]): Sibling[] {
  const byDot = new Map<string, Sibling>();
  for (const s of [...a, ...b]) byDot.set(`${s.dot.replica}#${s.dot.counter}`, s);
  const all = [...byDot.values()];
  const kept = all.filter((s) => !all.some((t) => t !== s && covers(t.context, s.dot)));
  return kept.sort(compareSiblings);
}

/**
 * The version vector a client gets with a read: everything the siblings have seen, their own
 * dots included. Writing back with it replaces every sibling that was read.
 */
export function readContext(siblings: readonly Sibling[]): VersionVector {
  let context: VersionVector = {};
  for (const s of siblings) context = mergeVersions(context, addDot(s.context, s.dot));
  return context;
}

/**
 * The dot for a new write coordinated by `replica`: one more than the highest counter of
 * `replica` that the stored siblings or the client's context mention, so it is new to both.
 */
export function nextDot(siblings: readonly Sibling[], replica: ReplicaId, context: VersionVector): Dot {
  const seen = mergeVersions(readContext(siblings), context);
  return { replica, counter: (seen[replica] ?? 0) + 1 };
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
  const dot = nextDot(siblings, replica, context);
  return mergeSiblings(siblings, [{ value, dot, context }]);
}

/** The values a read returns: every sibling's value, tombstones left out. */
export function liveValues(siblings: readonly Sibling[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const s of siblings) if (s.value !== null) out.push(s.value);
  return out;
}
