/**
 * Exercise 5.4: request routing with a versioned partition map, on the simulator.
 *
 * - The {@link MapCoordinator} owns the map (one node here, as ZooKeeper plays the part for
 *   HBase or Kafka; chapter 08 replaces it with consensus). It moves partitions one at a time,
 *   and each committed move is a new map version.
 * - A {@link PartitionNode} serves only the partitions it owns, each from its own `OrderedKV`,
 *   and answers a request for any other partition with `wrong-node` and its map version.
 * - A {@link RoutingClient} caches the map, sends each request to the owner it believes in, and
 *   on `wrong-node` fetches the map again and retries.
 *
 * The handoff of partition `p` from A to B, as move `v` (the version that will commit it):
 * the coordinator sends `release` to A; A stops serving `p` and sends all of `p`'s data to B
 * (`transfer`); B stores it without serving it yet and tells the coordinator (`received`); the
 * coordinator commits version `v`, in which B owns `p`, and sends the map round; B starts
 * serving when it installs a map of version `v` or later. Between A's release and B's start
 * nobody serves `p`: requests are rejected and retried, and no write can slip in behind the copy.
 * Every step is retried on a timer until the next step shows it arrived.
 * @module
 */

import type { OrderedKV } from '../../shared/kv.js';
import type { NodeContext, NodeId, SimNode } from '../../shared/sim/index.js';
import { NotImplementedError } from '../../shared/errors.js';
import type { PartitionMap, RoutingMessage } from './routing-messages.js';

/** The error every stub below throws: the whole of this file is exercise 5.4, private state included. */
function todo(): NotImplementedError {
  return new NotImplementedError({ exercise: '5.4 Request routing', file: 'chapter05-partitioning/routing.ts', section: 'Handing a partition over' });
}

/** Which partition of `partitions` holds `key`; the same function everywhere, and stable. */
export type KeyPartitioner = (key: Uint8Array, partitions: number) => number;

// ---------------------------------------------------------------------------------------------
// The coordinator

/** How the coordinator behaves. */
export interface CoordinatorOptions {
  /** The map of version 1 (or later) that the cluster starts from. */
  readonly initial: PartitionMap;
  /** How often an unanswered `release` is sent again, in virtual ms. */
  readonly retryMs: number;
}

/** One committed map version and the virtual time it was committed. */
export interface MapRecord extends PartitionMap {
  readonly time: number;
}

/** The node that owns the partition map and drives every move. */
export class MapCoordinator implements SimNode<RoutingMessage> {
  /** Every committed map, oldest first, starting with the initial one. */
  readonly history: MapRecord[] = [];

  constructor(ctx: NodeContext<RoutingMessage>, options: CoordinatorOptions) {
    throw todo();
  }

  /** The committed map. */
  get map(): PartitionMap {
    throw todo();
  }

  /** True when no move is in flight and the committed map is the goal. */
  get settled(): boolean {
    throw todo();
  }

  /**
   * Makes `target` the goal: the partitions whose owner differs move, one at a time, in
   * ascending order. A move already in flight finishes first. `UsageError` unless `target` has
   * one owner per partition.
   */
  rebalance(target: readonly NodeId[]): void {
    throw todo();
  }

  onMessage(from: NodeId, msg: RoutingMessage): void {
    throw todo();
  }

  onTimer(name: string): void {
    throw todo();
  }
}

// ---------------------------------------------------------------------------------------------
// A storage node

/** How a storage node behaves. */
export interface PartitionNodeOptions {
  readonly coordinator: NodeId;
  /** The map the cluster starts from: the node serves its partitions in it from the start. */
  readonly initial: PartitionMap;
  readonly partitionOf: KeyPartitioner;
  /** A fresh, empty store for one partition's data. */
  readonly openStore: (partition: number) => OrderedKV;
  /** How often an unconfirmed `received` is sent again, in virtual ms. */
  readonly retryMs: number;
}

/** A storage node: serves the partitions it owns, rejects the others, hands partitions over. */
export class PartitionNode implements SimNode<RoutingMessage> {
  constructor(ctx: NodeContext<RoutingMessage>, options: PartitionNodeOptions) {
    throw todo();
  }

  /** The version of the map this node holds. */
  get mapVersion(): number {
    throw todo();
  }

  /** The partitions this node serves now, ascending. */
  servedPartitions(): number[] {
    throw todo();
  }

  /** The value this node holds for `key`, served or not (for tests). */
  valueOf(key: Uint8Array): Uint8Array | undefined {
    throw todo();
  }

  onMessage(from: NodeId, msg: RoutingMessage): void {
    throw todo();
  }

  onTimer(name: string): void {
    throw todo();
  }
}

// ---------------------------------------------------------------------------------------------
// The routing client

/** How a routing client behaves. */
export interface RoutingClientOptions {
  readonly coordinator: NodeId;
  /** The map the client starts with (it may be out of date: that is the point). */
  readonly initial: PartitionMap;
  readonly partitionOf: KeyPartitioner;
  /** How long to wait for an answer before sending a request (or a map request) again, in virtual ms. */
  readonly timeoutMs: number;
}

/** One request of a client, as the test sees it. */
export interface ClientOperation {
  readonly request: number;
  readonly kind: 'get' | 'put';
  readonly key: Uint8Array;
  /** For a put, the value written; for a finished get, the value read (null when missing). */
  value: Uint8Array | null;
  status: 'pending' | 'ok';
  readonly invokedAt: number;
  completedAt: number | null;
  /** The node that served it. */
  servedBy: NodeId | null;
}

/** What a client counts. */
export interface RouterStats {
  /** Requests sent to storage nodes, first attempts and retries. */
  sent: number;
  /** `wrong-node` answers received. */
  rejections: number;
  /** Map requests sent to the coordinator. */
  refreshes: number;
}

/** A partition-aware client: it routes by its cached map and repairs the cache when rejected. */
export class RoutingClient implements SimNode<RoutingMessage> {
  /** Every operation, by request id. */
  readonly operations = new Map<number, ClientOperation>();
  readonly stats: RouterStats = { sent: 0, rejections: 0, refreshes: 0 };

  constructor(ctx: NodeContext<RoutingMessage>, options: RoutingClientOptions) {
    throw todo();
  }

  /** The version of the cached map. */
  get mapVersion(): number {
    throw todo();
  }

  /** Starts a read of `key`; returns its request id. */
  get(key: Uint8Array): number {
    throw todo();
  }

  /** Starts a write of `value` under `key`; returns its request id. */
  put(key: Uint8Array, value: Uint8Array): number {
    throw todo();
  }

  /** True when request `request` has been answered. */
  done(request: number): boolean {
    throw todo();
  }

  onMessage(from: NodeId, msg: RoutingMessage): void {
    throw todo();
  }

  onTimer(name: string): void {
    throw todo();
  }
}
