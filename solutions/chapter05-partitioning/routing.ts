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
import type { NodeContext, NodeId, SimNode, TimerId } from '../../shared/sim/index.js';
import { UsageError } from '../../shared/errors.js';
import { PartitionMapCache } from './partition-map.js';
import type { PartitionMap, RoutingMessage } from './routing-messages.js';

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

interface Move {
  readonly move: number;
  readonly partition: number;
  readonly from: NodeId;
  readonly to: NodeId;
}

/** The node that owns the partition map and drives every move. */
export class MapCoordinator implements SimNode<RoutingMessage> {
  private readonly ctx: NodeContext<RoutingMessage>;
  private readonly options: CoordinatorOptions;
  private committed: PartitionMap;
  private goal: NodeId[];
  private inFlight: Move | null = null;
  private timer: TimerId | null = null;
  /** Every committed map, oldest first, starting with the initial one. */
  readonly history: MapRecord[];

  constructor(ctx: NodeContext<RoutingMessage>, options: CoordinatorOptions) {
    this.ctx = ctx;
    this.options = options;
    this.committed = { version: options.initial.version, owners: [...options.initial.owners] };
    this.goal = [...options.initial.owners];
    this.history = [{ ...this.committed, time: 0 }];
  }

  /** The committed map. */
  get map(): PartitionMap {
    return this.committed;
  }

  /** True when no move is in flight and the committed map is the goal. */
  get settled(): boolean {
    return this.inFlight === null && this.committed.owners.every((o, p) => o === this.goal[p]);
  }

  /**
   * Makes `target` the goal: the partitions whose owner differs move, one at a time, in
   * ascending order. A move already in flight finishes first. `UsageError` unless `target` has
   * one owner per partition.
   */
  rebalance(target: readonly NodeId[]): void {
    if (target.length !== this.committed.owners.length) {
      throw new UsageError(`MapCoordinator.rebalance: the target names ${target.length} owners for ${this.committed.owners.length} partitions`);
    }
    this.goal = [...target];
    if (this.inFlight === null) this.startNext();
  }

  onMessage(from: NodeId, msg: RoutingMessage): void {
    switch (msg.type) {
      case 'map-request':
        this.ctx.send(from, { type: 'map', map: this.committed });
        return;
      case 'received':
        if (this.inFlight !== null && msg.move === this.inFlight.move) this.commit(this.inFlight);
        // A new owner that has not heard of the commit yet asks again: tell it.
        else if (msg.move <= this.committed.version) this.ctx.send(from, { type: 'map', map: this.committed });
        return;
      default:
        return;
    }
  }

  onTimer(name: string): void {
    if (name === 'release' && this.inFlight !== null) {
      this.sendRelease(this.inFlight);
      this.timer = this.ctx.setTimer('release', this.options.retryMs);
    }
  }

  private startNext(): void {
    const p = this.committed.owners.findIndex((o, i) => o !== this.goal[i]);
    if (p < 0) return;
    this.inFlight = { move: this.committed.version + 1, partition: p, from: this.committed.owners[p]!, to: this.goal[p]! };
    this.sendRelease(this.inFlight);
    this.timer = this.ctx.setTimer('release', this.options.retryMs);
  }

  private sendRelease(move: Move): void {
    this.ctx.send(move.from, { type: 'release', move: move.move, partition: move.partition, to: move.to, map: this.committed });
  }

  private commit(move: Move): void {
    const owners = [...this.committed.owners];
    owners[move.partition] = move.to;
    this.committed = { version: move.move, owners };
    this.history.push({ ...this.committed, time: this.ctx.now() });
    this.inFlight = null;
    if (this.timer !== null) this.ctx.cancelTimer(this.timer);
    this.timer = null;
    for (const node of new Set([...owners, move.from])) this.ctx.send(node, { type: 'map', map: this.committed });
    this.startNext();
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
  private readonly ctx: NodeContext<RoutingMessage>;
  private readonly options: PartitionNodeOptions;
  private readonly maps: PartitionMapCache;
  /** The partitions whose data this node holds, whether it serves them or not. */
  private readonly stores = new Map<number, OrderedKV>();
  private readonly serving = new Set<number>();
  /** Partition → the move whose data arrived here, waiting for the commit. */
  private readonly incoming = new Map<number, number>();
  private retrying = false;

  constructor(ctx: NodeContext<RoutingMessage>, options: PartitionNodeOptions) {
    this.ctx = ctx;
    this.options = options;
    this.maps = new PartitionMapCache(options.initial);
    options.initial.owners.forEach((owner, p) => {
      if (owner !== ctx.id) return;
      this.stores.set(p, options.openStore(p));
      this.serving.add(p);
    });
  }

  /** The version of the map this node holds. */
  get mapVersion(): number {
    return this.maps.version;
  }

  /** The partitions this node serves now, ascending. */
  servedPartitions(): number[] {
    return [...this.serving].sort((a, b) => a - b);
  }

  /** The value this node holds for `key`, served or not (for tests). */
  valueOf(key: Uint8Array): Uint8Array | undefined {
    return this.stores.get(this.options.partitionOf(key, this.maps.partitions))?.get(key);
  }

  onMessage(from: NodeId, msg: RoutingMessage): void {
    switch (msg.type) {
      case 'get':
      case 'put': {
        const partition = this.options.partitionOf(msg.key, this.maps.partitions);
        if (!this.serving.has(partition)) {
          this.ctx.send(from, { type: 'wrong-node', request: msg.request, partition, version: this.maps.version });
          return;
        }
        const store = this.stores.get(partition)!;
        if (msg.type === 'put') store.put(msg.key, msg.value);
        const value = msg.type === 'get' ? (store.get(msg.key) ?? null) : null;
        this.ctx.send(from, { type: 'served', request: msg.request, partition, value });
        return;
      }
      case 'map':
        this.learn(msg.map);
        return;
      case 'release':
        return this.release(msg.move, msg.partition, msg.to, msg.map);
      case 'transfer':
        return this.receive(msg.move, msg.partition, msg.entries);
      default:
        return;
    }
  }

  onTimer(name: string): void {
    if (name !== 'received') return;
    this.retrying = false;
    this.confirmIncoming();
  }

  /** Installs `map` if it is newer, then serves what it gives this node and drops what it took away. */
  private learn(map: PartitionMap): void {
    if (map.version <= this.maps.version || !this.maps.install(map, `node ${this.ctx.id}`)) return;
    for (const p of [...this.stores.keys()]) {
      if (map.owners[p] === this.ctx.id) {
        this.incoming.delete(p);
        this.serving.add(p);
      } else if ((this.incoming.get(p) ?? 0) <= map.version) {
        // Committed away: the new owner has the data and serves it. (Data for a move this map
        // does not reach yet stays: that move commits later.)
        this.serving.delete(p);
        this.incoming.delete(p);
        this.stores.delete(p);
      }
    }
  }

  private release(move: number, partition: number, to: NodeId, map: PartitionMap): void {
    this.learn(map);
    // Already committed: a duplicate from before the commit, delayed.
    if (move <= this.maps.version) return;
    const store = this.stores.get(partition);
    if (store === undefined) return;
    this.serving.delete(partition);
    this.ctx.send(to, { type: 'transfer', move, partition, entries: [...store.scan()] });
  }

  private receive(move: number, partition: number, entries: readonly { key: Uint8Array; value: Uint8Array }[]): void {
    if (move <= this.maps.version) return; // committed already: this node may be writing to it
    const store = this.options.openStore(partition);
    store.batch(entries.map((e) => ({ type: 'put', key: e.key, value: e.value })));
    this.stores.set(partition, store);
    this.incoming.set(partition, move);
    this.confirmIncoming();
  }

  /** Tells the coordinator about every partition waiting for its commit, and again later. */
  private confirmIncoming(): void {
    if (this.incoming.size === 0) return;
    for (const [partition, move] of this.incoming) this.ctx.send(this.options.coordinator, { type: 'received', move, partition });
    if (!this.retrying) {
      this.retrying = true;
      this.ctx.setTimer('received', this.options.retryMs);
    }
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

interface Pending {
  readonly op: ClientOperation;
  timer: TimerId;
  /** Rejected: retry as soon as a newer map arrives. */
  waiting: boolean;
}

/** A partition-aware client: it routes by its cached map and repairs the cache when rejected. */
export class RoutingClient implements SimNode<RoutingMessage> {
  private readonly ctx: NodeContext<RoutingMessage>;
  private readonly options: RoutingClientOptions;
  private readonly maps: PartitionMapCache;
  private nextRequest = 1;
  private readonly pending = new Map<number, Pending>();
  private refreshing = false;
  /** Every operation, by request id. */
  readonly operations = new Map<number, ClientOperation>();
  readonly stats: RouterStats = { sent: 0, rejections: 0, refreshes: 0 };

  constructor(ctx: NodeContext<RoutingMessage>, options: RoutingClientOptions) {
    this.ctx = ctx;
    this.options = options;
    this.maps = new PartitionMapCache(options.initial);
  }

  /** The version of the cached map. */
  get mapVersion(): number {
    return this.maps.version;
  }

  /** Starts a read of `key`; returns its request id. */
  get(key: Uint8Array): number {
    return this.start('get', key, null);
  }

  /** Starts a write of `value` under `key`; returns its request id. */
  put(key: Uint8Array, value: Uint8Array): number {
    return this.start('put', key, value);
  }

  /** True when request `request` has been answered. */
  done(request: number): boolean {
    return this.operations.get(request)?.status === 'ok';
  }

  onMessage(from: NodeId, msg: RoutingMessage): void {
    switch (msg.type) {
      case 'served': {
        const pending = this.pending.get(msg.request);
        if (pending === undefined) return; // a duplicate, or the answer to an earlier attempt
        this.pending.delete(msg.request);
        this.ctx.cancelTimer(pending.timer);
        const op = pending.op;
        if (op.kind === 'get') op.value = msg.value;
        op.status = 'ok';
        op.completedAt = this.ctx.now();
        op.servedBy = from;
        return;
      }
      case 'wrong-node': {
        this.stats.rejections++;
        const pending = this.pending.get(msg.request);
        if (pending === undefined) return;
        pending.waiting = true;
        this.refresh();
        return;
      }
      case 'map': {
        this.refreshing = false;
        if (msg.map.version <= this.maps.version) return; // not newer: the waiting requests wait for their timers
        this.maps.install(msg.map, `client ${this.ctx.id}`);
        for (const pending of this.pending.values()) {
          if (!pending.waiting) continue;
          pending.waiting = false;
          this.send(pending);
        }
        return;
      }
      default:
        return;
    }
  }

  onTimer(name: string): void {
    if (name === 'refresh') {
      if (this.refreshing) {
        this.refreshing = false;
        this.refresh();
      }
      return;
    }
    const pending = this.pending.get(Number(name.slice('request:'.length)));
    if (pending === undefined) return;
    pending.waiting = false;
    this.send(pending);
  }

  private start(kind: 'get' | 'put', key: Uint8Array, value: Uint8Array | null): number {
    const request = this.nextRequest++;
    const op: ClientOperation = { request, kind, key: key.slice(), value: value?.slice() ?? null, status: 'pending', invokedAt: this.ctx.now(), completedAt: null, servedBy: null };
    this.operations.set(request, op);
    const pending: Pending = { op, timer: -1, waiting: false };
    this.pending.set(request, pending);
    this.send(pending);
    return request;
  }

  /** Sends (or sends again) a request to the owner of its key in the cached map, and rearms its timer. */
  private send(pending: Pending): void {
    const { op } = pending;
    const owner = this.maps.ownerOf(this.options.partitionOf(op.key, this.maps.partitions));
    this.stats.sent++;
    if (op.kind === 'get') this.ctx.send(owner, { type: 'get', request: op.request, key: op.key });
    else this.ctx.send(owner, { type: 'put', request: op.request, key: op.key, value: op.value! });
    if (pending.timer >= 0) this.ctx.cancelTimer(pending.timer);
    pending.timer = this.ctx.setTimer(`request:${op.request}`, this.options.timeoutMs);
  }

  /** Asks the coordinator for its map, once at a time, again after a timeout. */
  private refresh(): void {
    if (this.refreshing) return;
    this.refreshing = true;
    this.stats.refreshes++;
    this.ctx.send(this.options.coordinator, { type: 'map-request' });
    this.ctx.setTimer('refresh', this.options.timeoutMs);
  }
}
