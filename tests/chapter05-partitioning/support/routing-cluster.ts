/**
 * A simulated cluster for exercise 5.4: a coordinator, storage nodes on MemoryKV partitions and
 * routing clients. Every send is observed (through a wrapped context, not through the nodes'
 * own bookkeeping) and numbered in the order it happened, so a test can check what was served
 * against the map history: which node served which partition, when each old owner released a
 * partition, and when the coordinator first sent each new map version.
 */
import { MemoryKV } from '../../../shared/memory-kv.js';
import { Simulation, type LinkOptions, type NodeContext, type NodeId } from '../../../shared/sim/index.js';
import type { PartitionMap, RoutingMessage } from '@impl/chapter05-partitioning/routing-messages.js';
import { MapCoordinator, PartitionNode, RoutingClient, type KeyPartitioner } from '@impl/chapter05-partitioning/routing.js';

export const COORDINATOR = 'coord';

/** A small stable hash of the key's bytes (any stable function would do). */
export const partitionOf: KeyPartitioner = (key, partitions) => {
  let h = 7;
  for (const byte of key) h = (h * 31 + byte) % 1_000_003;
  return h % partitions;
};

export interface ServeEvent {
  readonly seq: number;
  readonly time: number;
  readonly node: NodeId;
  readonly partition: number;
  readonly client: NodeId;
}
export interface ReleaseEvent {
  readonly seq: number;
  readonly node: NodeId;
  readonly partition: number;
  readonly move: number;
}
export interface CommitEvent {
  readonly seq: number;
  readonly version: number;
  readonly owners: readonly NodeId[];
}
export interface RejectionEvent {
  readonly seq: number;
  readonly node: NodeId;
  readonly client: NodeId;
  readonly partition: number;
  readonly version: number;
}

export interface RoutingClusterOptions {
  readonly seed: number;
  readonly initial: PartitionMap;
  /** Storage nodes present from the start. */
  readonly nodes: readonly NodeId[];
  readonly clients: readonly NodeId[];
  /** A client's own starting map, when it is not `initial` (a router that guesses wrong). */
  readonly clientMaps?: Readonly<Record<NodeId, PartitionMap>>;
  readonly network?: LinkOptions;
  readonly timeoutMs?: number;
  readonly retryMs?: number;
  readonly trace?: boolean;
}

type AnyNode = MapCoordinator | PartitionNode | RoutingClient;

export class RoutingCluster {
  readonly sim: Simulation<RoutingMessage, AnyNode>;
  readonly serves: ServeEvent[] = [];
  readonly releases: ReleaseEvent[] = [];
  readonly commits: CommitEvent[] = [];
  readonly rejections: RejectionEvent[] = [];
  private seq = 0;
  private readonly clients: Set<NodeId>;

  constructor(readonly options: RoutingClusterOptions) {
    this.clients = new Set(options.clients);
    this.commits.push({ seq: -1, version: options.initial.version, owners: options.initial.owners });
    const timeoutMs = options.timeoutMs ?? 30;
    const retryMs = options.retryMs ?? 20;
    this.sim = new Simulation<RoutingMessage, AnyNode>({
      seed: options.seed,
      nodes: [{ id: COORDINATOR, group: null }, ...options.nodes.map((id) => ({ id, group: null })), ...options.clients.map((id) => ({ id, group: null }))],
      ...(options.network && { network: options.network }),
      trace: options.trace ?? false,
      factory: (raw) => {
        const ctx = this.observe(raw);
        if (ctx.id === COORDINATOR) return new MapCoordinator(ctx, { initial: options.initial, retryMs });
        if (this.clients.has(ctx.id)) return new RoutingClient(ctx, { coordinator: COORDINATOR, initial: options.clientMaps?.[ctx.id] ?? options.initial, partitionOf, timeoutMs });
        return new PartitionNode(ctx, { coordinator: COORDINATOR, initial: options.initial, partitionOf, openStore: () => new MemoryKV(), retryMs });
      },
    });
  }

  /** Adds a storage node during the run; it starts from the initial map and owns nothing in it. */
  addNode(id: NodeId): void {
    this.sim.addNode({ id, group: null });
  }

  coordinator(): MapCoordinator {
    return this.sim.node(COORDINATOR) as MapCoordinator;
  }

  node(id: NodeId): PartitionNode {
    return this.sim.node(id) as PartitionNode;
  }

  client(id: NodeId): RoutingClient {
    return this.sim.node(id) as RoutingClient;
  }

  /** The context a node gets: the real one, with every send recorded first. */
  private observe(ctx: NodeContext<RoutingMessage>): NodeContext<RoutingMessage> {
    const send = (to: NodeId, msg: RoutingMessage): void => {
      this.record(ctx.id, to, msg);
      ctx.send(to, msg);
    };
    return new Proxy(ctx, {
      get(target, prop) {
        if (prop === 'send') return send;
        const value: unknown = Reflect.get(target, prop, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  private record(from: NodeId, to: NodeId, msg: RoutingMessage): void {
    const seq = this.seq++;
    if (from === COORDINATOR && (msg.type === 'map' || msg.type === 'release')) {
      const last = this.commits[this.commits.length - 1]!;
      if (msg.map.version > last.version) this.commits.push({ seq, version: msg.map.version, owners: [...msg.map.owners] });
    } else if (msg.type === 'served') {
      this.serves.push({ seq, time: this.sim.now, node: from, partition: msg.partition, client: to });
    } else if (msg.type === 'transfer') {
      this.releases.push({ seq, node: from, partition: msg.partition, move: msg.move });
    } else if (msg.type === 'wrong-node') {
      this.rejections.push({ seq, node: from, client: to, partition: msg.partition, version: msg.version });
    }
  }

  /**
   * Every serve that broke ownership, described: served by a node that was not the partition's
   * owner in the newest map committed before it, or served after that node had already sent the
   * partition's data away for a later move.
   */
  ownershipViolations(): string[] {
    const out: string[] = [];
    for (const serve of this.serves) {
      let map = this.commits[0]!;
      for (const c of this.commits) if (c.seq < serve.seq) map = c;
      const owner = map.owners[serve.partition];
      if (owner !== serve.node) {
        out.push(`${serve.node} served partition ${serve.partition} at ${serve.time.toFixed(2)} ms, when map version ${map.version} gave it to ${owner}`);
        continue;
      }
      const gaveAway = this.releases.find((r) => r.node === serve.node && r.partition === serve.partition && r.move > map.version && r.seq < serve.seq);
      if (gaveAway !== undefined) {
        out.push(`${serve.node} served partition ${serve.partition} at ${serve.time.toFixed(2)} ms after sending its data away for move ${gaveAway.move}`);
      }
    }
    return out;
  }
}
