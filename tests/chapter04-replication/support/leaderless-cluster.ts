/** Builds a simulated leaderless cluster: replicas on MemoryKV stores and one test-driven client. */
import { MemoryKV } from '../../../shared/memory-kv.js';
import { Simulation, type LinkOptions, type NodeId } from '../../../shared/sim/index.js';
import type { LeaderlessMessage } from '@impl/chapter04-replication/leaderless-messages.js';
import { LeaderlessReplica, type LeaderlessOptions } from '@impl/chapter04-replication/leaderless-replica.js';
import { QuorumClient } from './quorum-client.js';

export const CLIENT = 'client';

export interface ClusterOptions extends Partial<Omit<LeaderlessOptions, 'store' | 'replicas'>> {
  readonly seed: number;
  readonly replicas: readonly NodeId[];
  readonly network?: LinkOptions;
  /** Stores to start from (survive crashes); fresh MemoryKVs by default. */
  readonly stores?: ReadonlyMap<NodeId, MemoryKV>;
}

export class LeaderlessCluster {
  readonly sim: Simulation<LeaderlessMessage, LeaderlessReplica | QuorumClient>;
  readonly stores: Map<NodeId, MemoryKV>;
  readonly replicas: readonly NodeId[];

  constructor(options: ClusterOptions) {
    this.replicas = options.replicas;
    this.stores = new Map(options.stores ?? options.replicas.map((id) => [id, new MemoryKV()]));
    const config: Omit<LeaderlessOptions, 'store'> = {
      replicas: options.replicas,
      quorum: options.quorum ?? { n: 3, w: 2, r: 2 },
      timeoutMs: options.timeoutMs ?? 30,
      attempts: options.attempts ?? 3,
      sloppy: options.sloppy ?? false,
      readRepair: options.readRepair ?? true,
      handoffIntervalMs: options.handoffIntervalMs ?? 50,
      antiEntropy: options.antiEntropy ?? null,
    };
    this.sim = new Simulation<LeaderlessMessage, LeaderlessReplica | QuorumClient>({
      seed: options.seed,
      nodes: [...options.replicas, { id: CLIENT, group: null }],
      ...(options.network && { network: options.network }),
      trace: false,
      factory: (ctx) =>
        ctx.id === CLIENT
          ? new QuorumClient(ctx, options.replicas, config.quorum.n, 400)
          : new LeaderlessReplica(ctx, { ...config, store: this.stores.get(ctx.id)! }),
    });
  }

  get client(): QuorumClient {
    return this.sim.node(CLIENT) as QuorumClient;
  }

  replica(id: NodeId): LeaderlessReplica {
    return this.sim.node(id) as LeaderlessReplica;
  }

  /** Runs until request `id` of the client has an outcome. */
  finish(id: number): void {
    this.sim.runUntil(() => this.client.done(id), { withinMs: 5_000 });
  }
}
