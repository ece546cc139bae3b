/**
 * Builds simulated leader–follower groups: replicas whose store is a DurableMemoryKV on their
 * node's simulated disk (a crash loses exactly what the replica did not sync; a restarted replica
 * reopens what it did), one failover controller per group, and test-driven clients.
 */
import type { FileSystem } from '../../../shared/fs/file-system.js';
import type { DurableKV } from '../../../shared/kv.js';
import { DurableMemoryKV } from '../../../shared/durable-memory-kv.js';
import { Simulation, type LinkOptions, type NodeId, type NodeSpec } from '../../../shared/sim/index.js';
import { FailoverController } from '@impl/chapter04-replication/failover-controller.js';
import type { LeaderFollowerMessage } from '@impl/chapter04-replication/leader-follower-messages.js';
import { LeaderFollowerReplica, type AckMode } from '@impl/chapter04-replication/leader-follower-replica.js';
import { ReplicationClient } from '@impl/chapter04-replication/replication-client.js';
import type { ReadPolicy } from '@impl/chapter04-replication/session-guarantees.js';

export interface ClientSpec {
  readonly policy: () => ReadPolicy;
  readonly readFrom?: 'any' | 'leader';
  /** The replicas this client knows of (and reads from, with `readFrom: 'any'`); default: all. */
  readonly replicas?: readonly NodeId[];
  /** Ask leaders to deduplicate this client's retried writes (default: at least once). */
  readonly dedup?: boolean;
}

export interface LeaderFollowerClusterOptions {
  readonly seed: number;
  /** Group name → its replicas; the first leads epoch 1. Default: `main` with n1, n2, n3. */
  readonly groups?: Readonly<Record<string, readonly NodeId[]>>;
  /** Which group a key belongs to (default: the only group). */
  readonly route?: (key: Uint8Array) => string;
  readonly acks: AckMode;
  readonly clients: Readonly<Record<string, ClientSpec>>;
  readonly network?: LinkOptions;
  readonly heartbeatMs?: number;
  readonly retainEntries?: number;
  readonly failureTimeoutMs?: number;
  readonly clientTimeoutMs?: number;
  readonly trace?: boolean;
  /**
   * Opens a replica's store on its node's disk, at every start and restart (recovering what the
   * disk kept). Default: a DurableMemoryKV in directory `replica`, synced only when the replica
   * calls `sync()`.
   */
  readonly openStore?: (disk: FileSystem) => DurableKV;
}

type AnyNode = LeaderFollowerReplica | FailoverController | ReplicationClient;

export class LeaderFollowerCluster {
  readonly sim: Simulation<LeaderFollowerMessage, AnyNode>;
  readonly groups: Readonly<Record<string, readonly NodeId[]>>;

  constructor(options: LeaderFollowerClusterOptions) {
    const groups = options.groups ?? { main: ['n1', 'n2', 'n3'] };
    this.groups = groups;
    const groupOf = new Map<NodeId, string>();
    for (const [group, replicas] of Object.entries(groups)) {
      for (const r of replicas) {
        groupOf.set(r, group);
      }
    }
    const names = Object.keys(groups);
    const route = options.route ?? (() => names[0]!);
    const heartbeatMs = options.heartbeatMs ?? 10;
    // Replicas form their group; controllers and clients talk to replicas but are nobody's peers.
    const nodes: NodeSpec[] = [
      ...[...groupOf].map(([id, group]) => ({ id, group })),
      ...[...names.map((g) => `controller-${g}`), ...Object.keys(options.clients)].map((id) => ({ id, group: null })),
    ];
    this.sim = new Simulation<LeaderFollowerMessage, AnyNode>({
      seed: options.seed,
      nodes,
      ...(options.network && { network: options.network }),
      trace: options.trace ?? false,
      factory: (ctx) => {
        const group = groupOf.get(ctx.id);
        if (group !== undefined) {
          return new LeaderFollowerReplica(ctx, {
            replicas: groups[group]!,
            controller: `controller-${group}`,
            initialLeader: groups[group]![0]!,
            store: options.openStore ? options.openStore(ctx.disk) : new DurableMemoryKV(ctx.disk, { dir: 'replica' }),
            acks: options.acks,
            heartbeatMs,
            batchEntries: 32,
            retainEntries: options.retainEntries ?? 10_000,
          });
        }
        if (ctx.id.startsWith('controller-')) {
          const replicas = groups[ctx.id.slice('controller-'.length)]!;
          return new FailoverController(ctx, {
            replicas,
            initialLeader: replicas[0]!,
            failureTimeoutMs: options.failureTimeoutMs ?? 8 * heartbeatMs,
            statusWaitMs: 3 * heartbeatMs,
          });
        }
        const spec = options.clients[ctx.id]!;
        return new ReplicationClient(ctx, {
          groups: Object.fromEntries(names.map((g) => [g, { replicas: spec.replicas ?? groups[g]!, leader: groups[g]![0]! }])),
          route,
          policy: spec.policy(),
          readFrom: spec.readFrom ?? 'any',
          timeoutMs: options.clientTimeoutMs ?? 50,
          attempts: 20,
          dedup: spec.dedup ?? false,
        });
      },
    });
  }

  replica(id: NodeId): LeaderFollowerReplica {
    return this.sim.node(id) as LeaderFollowerReplica;
  }

  controller(group = 'main'): FailoverController {
    return this.sim.node(`controller-${group}`) as FailoverController;
  }

  client(id: string): ReplicationClient {
    return this.sim.node(id) as ReplicationClient;
  }

  /** Runs until every client is idle. */
  settleClients(...clients: string[]): void {
    this.sim.runUntil(() => clients.every((c) => this.client(c).idle), { withinMs: 60_000 });
  }
}
