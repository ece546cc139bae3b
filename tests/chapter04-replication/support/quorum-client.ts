/**
 * A client of the leaderless store, for tests: a simulator node the test drives. Each request
 * goes to a home replica of the key chosen at random (from the client's seeded generator); a
 * read that gets no answer is retried at another home replica, a write is not (a retried write
 * would be a second write), its outcome is then unknown.
 */
import type { NodeContext, NodeId, SimNode } from '../../../shared/sim/index.js';
import type { LeaderlessMessage } from '@impl/chapter04-replication/leaderless-messages.js';
import { preferenceList } from '@impl/chapter04-replication/quorum.js';
import type { VersionVector } from '@impl/chapter04-replication/version-vector.js';

/** What became of one request. */
export type Outcome =
  | { readonly kind: 'pending' }
  | { readonly kind: 'put'; readonly ok: boolean; readonly acks: number }
  | { readonly kind: 'get'; readonly ok: boolean; readonly values: Uint8Array[]; readonly context: VersionVector }
  | { readonly kind: 'timeout' };

interface Request {
  readonly key: Uint8Array;
  readonly message: LeaderlessMessage;
  readonly tried: Set<NodeId>;
  outcome: Outcome;
}

export class QuorumClient implements SimNode<LeaderlessMessage> {
  private readonly ctx: NodeContext<LeaderlessMessage>;
  private readonly replicas: readonly NodeId[];
  private readonly n: number;
  private readonly timeoutMs: number;
  private nextRequest = 1;
  private readonly requests = new Map<number, Request>();

  constructor(ctx: NodeContext<LeaderlessMessage>, replicas: readonly NodeId[], n: number, timeoutMs: number) {
    this.ctx = ctx;
    this.replicas = replicas;
    this.n = n;
    this.timeoutMs = timeoutMs;
  }

  /** Starts a write; returns its request number. */
  put(key: Uint8Array, value: Uint8Array | null, context: VersionVector = {}, coordinator?: NodeId): number {
    const request = this.nextRequest++;
    this.start(request, key, { type: 'put', request, key, value, context }, coordinator);
    return request;
  }

  /** Starts a read; returns its request number. */
  get(key: Uint8Array, coordinator?: NodeId): number {
    const request = this.nextRequest++;
    this.start(request, key, { type: 'get', request, key }, coordinator);
    return request;
  }

  outcome(request: number): Outcome {
    return this.requests.get(request)?.outcome ?? { kind: 'pending' };
  }

  done(request: number): boolean {
    return this.outcome(request).kind !== 'pending';
  }

  onMessage(_from: NodeId, msg: LeaderlessMessage): void {
    if (msg.type !== 'put-reply' && msg.type !== 'get-reply') return;
    const request = this.requests.get(msg.request);
    if (request === undefined || request.outcome.kind !== 'pending') return;
    if (msg.type === 'put-reply') request.outcome = { kind: 'put', ok: msg.ok, acks: msg.acks };
    else if (msg.ok || request.tried.size >= this.n) request.outcome = { kind: 'get', ok: msg.ok, values: msg.values, context: msg.context };
    else this.send(msg.request, request);
  }

  onTimer(name: string): void {
    const id = Number(name.slice('request:'.length));
    const request = this.requests.get(id);
    if (request === undefined || request.outcome.kind !== 'pending') return;
    if (request.message.type === 'get' && request.tried.size < this.n) this.send(id, request);
    else request.outcome = { kind: 'timeout' };
  }

  private start(id: number, key: Uint8Array, message: LeaderlessMessage, coordinator: NodeId | undefined): void {
    const request: Request = { key, message, tried: new Set(), outcome: { kind: 'pending' } };
    this.requests.set(id, request);
    this.send(id, request, coordinator);
  }

  private send(id: number, request: Request, coordinator?: NodeId): void {
    const home = preferenceList(request.key, this.replicas).slice(0, this.n);
    const untried = home.filter((r) => !request.tried.has(r));
    const to = coordinator ?? this.ctx.random.pick(untried.length > 0 ? untried : home);
    request.tried.add(to);
    this.ctx.send(to, request.message);
    // Long enough for the coordinator's own retries and a fallback round.
    this.ctx.setTimer(`request:${id}`, this.timeoutMs);
  }
}
