/**
 * Quorum parameters and preference lists for leaderless replication.
 *
 * Each key is stored on `n` *home* replicas: the first `n` of its preference list. A write
 * succeeds once `w` replicas have stored it; a read returns once `r` replicas have answered.
 * When `w + r > n`, every read quorum overlaps every write quorum in at least one replica, so
 * a read sees the latest acknowledged write (if writes stay on home replicas: a sloppy quorum
 * breaks the overlap until its hints are handed off).
 * @module
 */

import { UsageError } from '../../shared/errors.js';
import type { NodeId } from '../../shared/sim/index.js';

/** How many replicas hold a key (`n`), must store a write (`w`) and must answer a read (`r`). */
export interface QuorumConfig {
  readonly n: number;
  readonly w: number;
  readonly r: number;
}

/** Throws a `UsageError` unless `1 ≤ w, r ≤ n ≤ replicaCount`. */
export function checkQuorum(config: QuorumConfig, replicaCount: number): void {
  const { n, w, r } = config;
  const ok = (x: number) => Number.isInteger(x) && x >= 1;
  if (!ok(n) || !ok(w) || !ok(r) || n > replicaCount || w > n || r > n) {
    throw new UsageError(`quorum n=${n} w=${w} r=${r} over ${replicaCount} replicas: need 1 ≤ w, r ≤ n ≤ ${replicaCount}`);
  }
}

/** True when every read quorum meets every write quorum: `w + r > n`. */
export function quorumsOverlap(config: QuorumConfig): boolean {
  return config.w + config.r > config.n;
}

/**
 * The replicas responsible for `key`, in order: the ring of `replicas` starting at a position
 * chosen by a hash of the key (FNV-1a). The first `n` are the key's home replicas; the rest are
 * the fallbacks a sloppy quorum uses, nearest first. Every node computes the same list.
 */
export function preferenceList(key: Uint8Array, replicas: readonly NodeId[]): NodeId[] {
  let hash = 0x811c9dc5;
  for (const byte of key) hash = Math.imul(hash ^ byte, 0x01000193);
  const start = (hash >>> 0) % replicas.length;
  return replicas.map((_, i) => replicas[(start + i) % replicas.length]!);
}
