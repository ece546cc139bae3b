/**
 * The messages of leaderless replication: between clients and the replica coordinating their
 * request, and between replicas. Sibling lists travel in their stored form
 * (`sibling-codec.ts`), so what a replica sends is exactly what it stores.
 * @module
 */

import type { NodeId } from '../../shared/sim/index.js';
import type { VersionVector } from './version-vector.js';

/** One key and its encoded sibling list, as exchanged by anti-entropy. */
export interface KeySiblings {
  readonly key: Uint8Array;
  readonly siblings: Uint8Array;
}

/** Every message a leaderless replica or client sends. */
export type LeaderlessMessage =
  /** Client → coordinator: write `value` (null deletes) after reading `context`. */
  | {
      readonly type: 'put';
      readonly request: number;
      readonly key: Uint8Array;
      readonly value: Uint8Array | null;
      readonly context: VersionVector;
    }
  /** Coordinator → client: the write reached `acks` replicas; `ok` when that is at least `w`. */
  | { readonly type: 'put-reply'; readonly request: number; readonly ok: boolean; readonly acks: number }
  /** Client → coordinator: read `key`. */
  | { readonly type: 'get'; readonly request: number; readonly key: Uint8Array }
  /**
   * Coordinator → client: the live sibling values and the context to write back with, merged
   * from `replies` replicas; `ok` when that is at least `r`.
   */
  | {
      readonly type: 'get-reply';
      readonly request: number;
      readonly ok: boolean;
      readonly values: Uint8Array[];
      readonly context: VersionVector;
      readonly replies: number;
    }
  /**
   * Replica → replica: merge these siblings for `key`. With `hintFor` set, the receiver is a
   * stand-in and keeps them as a hint for that home replica.
   */
  | {
      readonly type: 'store';
      readonly op: number;
      readonly key: Uint8Array;
      readonly siblings: Uint8Array;
      readonly hintFor: NodeId | null;
    }
  /** Replica → replica: the `store` of operation `op` is durable here. */
  | { readonly type: 'stored'; readonly op: number }
  /** Coordinator → replica: send your siblings for `key`. */
  | { readonly type: 'fetch'; readonly op: number; readonly key: Uint8Array }
  /** Replica → coordinator: my siblings for the `fetch` of operation `op`. */
  | { readonly type: 'fetched'; readonly op: number; readonly siblings: Uint8Array }
  /**
   * Anti-entropy: my Merkle hashes of the nodes `indices` at `level`. The receiver compares them
   * with its own and answers with its hashes of the children of those that differ, or, at the
   * leaves, with its entries in the differing leaf ranges.
   */
  | { readonly type: 'tree-hashes'; readonly level: number; readonly indices: number[]; readonly hashes: Uint8Array[] }
  /**
   * Anti-entropy: my entries in these leaf ranges; merge them. With `reply` set, answer with your
   * own entries in the same ranges, after merging.
   */
  | { readonly type: 'range-entries'; readonly leaves: number[]; readonly entries: KeySiblings[]; readonly reply: boolean };
