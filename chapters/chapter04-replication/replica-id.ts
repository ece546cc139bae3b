/**
 * Names of replicas. Every structure in this chapter that tracks "who did what" (counters,
 * version vectors, tags, timestamps) keys it by a replica id.
 * @module
 */

/**
 * The name of one replica, e.g. `"a"` or `"node-3"`. Ids are unique in a cluster and never
 * reused: a replica that loses its disk must come back under a new id, or the counters and
 * version vectors that remember the old one would treat new writes as already seen.
 */
export type ReplicaId = string;

/** Orders replica ids the same way on every machine: by UTF-16 code units, like `<` on strings. */
export function compareReplicaIds(a: ReplicaId, b: ReplicaId): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
