/**
 * Exercise 5.4: the messages of request routing, between routing clients, storage nodes and the
 * coordinator that owns the partition map. Given code: read it, do not edit it.
 *
 * A move of partition `p` from node A to node B is numbered by the map version that will commit
 * it (`move = committed version + 1`), so every participant can tell a stale or duplicated
 * handoff message from a current one by comparing that number with the map it holds.
 * @module
 */

import type { NodeId } from '../../shared/sim/index.js';

/** A version of the partition map: `owners[p]` is the node that serves partition `p`. */
export interface PartitionMap {
  /** Starts at 1 and grows by one with every committed move; never goes back. */
  readonly version: number;
  readonly owners: readonly NodeId[];
}

/** One stored key and its value, as a partition's data travels in a handoff. */
export interface KeyValue {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/** Every message of exercise 5.4. */
export type RoutingMessage =
  /** Client → storage node: read `key`. */
  | { readonly type: 'get'; readonly request: number; readonly key: Uint8Array }
  /** Client → storage node: write `value` under `key`. */
  | { readonly type: 'put'; readonly request: number; readonly key: Uint8Array; readonly value: Uint8Array }
  /** Storage node → client: request served from `partition`; `value` is the read's result (null for a missing key or a write). */
  | { readonly type: 'served'; readonly request: number; readonly partition: number; readonly value: Uint8Array | null }
  /** Storage node → client: I do not serve `partition`; my map has version `version`. */
  | { readonly type: 'wrong-node'; readonly request: number; readonly partition: number; readonly version: number }
  /** Anyone → coordinator: send me your current map. */
  | { readonly type: 'map-request' }
  /** Coordinator → anyone: the current map. */
  | { readonly type: 'map'; readonly map: PartitionMap }
  /** Coordinator → old owner: stop serving `partition` and send its data to `to`; `map` is the committed map. */
  | { readonly type: 'release'; readonly move: number; readonly partition: number; readonly to: NodeId; readonly map: PartitionMap }
  /** Old owner → new owner: all of `partition`'s data for move `move`. */
  | { readonly type: 'transfer'; readonly move: number; readonly partition: number; readonly entries: readonly KeyValue[] }
  /** New owner → coordinator: I hold `partition`'s data for move `move`: commit it. */
  | { readonly type: 'received'; readonly move: number; readonly partition: number };
