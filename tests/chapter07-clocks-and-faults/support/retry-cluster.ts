/** Builds a simulated counter server `s` and retrying clients, and counts applications per request id. */
import { Simulation, type LinkOptions, type NodeId } from '../../../shared/sim/index.js';
import type { BackoffPolicy } from '@impl/chapter07-clocks-and-faults/backoff.js';
import { DedupCounterServer } from '@impl/chapter07-clocks-and-faults/dedup-server.js';
import type { Outcome, RetryMessage } from '@impl/chapter07-clocks-and-faults/retry-messages.js';
import { RetryingClient } from '@impl/chapter07-clocks-and-faults/retrying-client.js';

export const SERVER = 's';

export interface RetryClusterOptions {
  readonly seed: number;
  readonly clients: number;
  readonly network?: LinkOptions;
  readonly timeoutMs?: number;
  readonly maxAttempts?: number;
  readonly backoff?: BackoffPolicy;
  readonly trace?: boolean;
}

export class RetryCluster {
  readonly sim: Simulation<RetryMessage, DedupCounterServer | RetryingClient>;
  readonly clientIds: readonly NodeId[];
  /** `client:seq` → how many times the server applied that request (across restarts). */
  readonly applied = new Map<string, number>();

  constructor(options: RetryClusterOptions) {
    this.clientIds = Array.from({ length: options.clients }, (_, i) => `c${i + 1}`);
    const retry = {
      server: SERVER,
      timeoutMs: options.timeoutMs ?? 30,
      maxAttempts: options.maxAttempts ?? 6,
      backoff: options.backoff ?? { baseMs: 10, capMs: 200 },
    };
    this.sim = new Simulation<RetryMessage, DedupCounterServer | RetryingClient>({
      seed: options.seed,
      nodes: [SERVER, ...this.clientIds.map((id) => ({ id, group: null }))],
      ...(options.network && { network: options.network }),
      trace: options.trace ?? false,
      factory: (ctx) =>
        ctx.id === SERVER
          ? new DedupCounterServer(ctx, {
              onApply: (request) => {
                const key = `${request.client}:${request.seq}`;
                this.applied.set(key, (this.applied.get(key) ?? 0) + 1);
              },
            })
          : new RetryingClient(ctx, retry),
    });
  }

  get server(): DedupCounterServer {
    return this.sim.node(SERVER) as DedupCounterServer;
  }

  client(id: NodeId): RetryingClient {
    return this.sim.node(id) as RetryingClient;
  }

  /** Every client's outcomes, flattened. */
  outcomes(): Outcome[] {
    return this.clientIds.flatMap((id) => [...this.client(id).outcomes]);
  }

  allIdle(): boolean {
    return this.clientIds.every((id) => this.client(id).idle);
  }

  /** Requests the server applied more than once, as `client:seq (n times)`. */
  doubleApplied(): string[] {
    return [...this.applied].filter(([, n]) => n > 1).map(([key, n]) => `${key} (${n} times)`);
  }
}
