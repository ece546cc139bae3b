/**
 * A client of leader–follower replication groups, as a node of the simulator: the library an
 * application would link. Writes go to the group's leader (following redirects, retrying on
 * timeout: at least once by default, when a retried write whose first attempt reached the leader
 * takes effect twice, or exactly once with `dedup`, when the leader recognises the retry); reads go to any replica of the group, or only to the leader, and must be served at
 * or past the offset the client's `ReadPolicy` asks for. With `NoGuarantees` it is the naive
 * client; with `SessionGuarantees` it keeps the session guarantees.
 *
 * Every request is recorded with its invocation and completion times, for checkers.
 * @module
 */

import type { NodeContext, NodeId, SimNode } from '../../shared/sim/index.js';
import type { LeaderFollowerMessage } from './leader-follower-messages.js';
import type { ReadPolicy } from './session-guarantees.js';

/** One replication group as a client sees it. */
export interface GroupConfig {
  readonly replicas: readonly NodeId[];
  /** Where to send writes first; the client follows redirects from there. */
  readonly leader: NodeId;
}

/** How a client behaves. */
export interface ClientOptions {
  readonly groups: Readonly<Record<string, GroupConfig>>;
  /** The group that holds `key`. */
  readonly route: (key: Uint8Array) => string;
  readonly policy: ReadPolicy;
  /** `any`: read from a random replica; `leader`: only from the replica believed to lead. */
  readonly readFrom: 'any' | 'leader';
  /** How long to wait for a reply before trying again, in virtual ms. */
  readonly timeoutMs: number;
  /** Tries per request before giving up. */
  readonly attempts: number;
  /**
   * Ask leaders to deduplicate this client's writes by (client id, request number), so that a
   * retried write takes effect exactly once. Without it (the default) writes are at least once.
   */
  readonly dedup?: boolean;
}

/** One request and what became of it. */
export interface ClientOperation {
  readonly kind: 'write' | 'read';
  readonly key: Uint8Array;
  /** The value written, or the value read (null: absent). */
  value: Uint8Array | null;
  readonly invokedAt: number;
  completedAt: number | null;
  /** `ok`: done; `failed`: gave up (a write may or may not have happened); `pending`. */
  status: 'pending' | 'ok' | 'failed';
  /** The offset of the write, or of the replica that served the read. */
  offset: number;
  /** The replica that served the read. */
  servedBy: NodeId | null;
  attempts: number;
}

/** A client node. */
export class ReplicationClient implements SimNode<LeaderFollowerMessage> {
  private readonly ctx: NodeContext<LeaderFollowerMessage>;
  private readonly options: ClientOptions;
  private readonly leaders = new Map<string, NodeId>();
  /** Request → the attempt in flight, or 0 while waiting to resend. Stale timers are ignored. */
  private readonly inFlight = new Map<number, number>();
  /** Every request, by request number (starting at 1). */
  readonly operations = new Map<number, ClientOperation>();
  private nextRequest = 1;

  constructor(ctx: NodeContext<LeaderFollowerMessage>, options: ClientOptions) {
    this.ctx = ctx;
    this.options = options;
    for (const [group, config] of Object.entries(options.groups)) this.leaders.set(group, config.leader);
  }

  /** Starts writing `value` (null deletes) under `key`; returns the request number. */
  write(key: Uint8Array, value: Uint8Array | null): number {
    return this.start({ kind: 'write', key, value });
  }

  /** Starts reading `key`; returns the request number. */
  read(key: Uint8Array): number {
    return this.start({ kind: 'read', key, value: null });
  }

  /** The request's record. */
  operation(request: number): ClientOperation {
    const op = this.operations.get(request);
    if (op === undefined) throw new RangeError(`no request ${request}`);
    return op;
  }

  /** True when no request is pending. */
  get idle(): boolean {
    for (const op of this.operations.values()) if (op.status === 'pending') return false;
    return true;
  }

  onMessage(from: NodeId, msg: LeaderFollowerMessage): void {
    if (msg.type !== 'write-reply' && msg.type !== 'read-reply') return;
    const op = this.operations.get(msg.request);
    if (op === undefined || op.status !== 'pending') return;
    // A refusal while a resend is already scheduled is an answer to an older attempt.
    if (!msg.ok && this.inFlight.get(msg.request) === 0) return;
    const group = this.options.route(op.key);
    if (msg.type === 'write-reply') {
      if (msg.ok) {
        this.options.policy.wrote(group, msg.offset);
        this.complete(op, msg.offset, null);
      } else {
        // Not the leader: follow the redirect, or, if that replica knows no leader, try another.
        this.leaders.set(group, msg.leader ?? this.ctx.random.pick(this.groupOf(op).replicas));
        this.retry(msg.request, op);
      }
    } else if (msg.ok) {
      this.options.policy.read(group, msg.offset, msg.deps);
      op.value = msg.value;
      this.complete(op, msg.offset, from);
    } else {
      this.retry(msg.request, op); // the replica is behind what this session has seen
    }
  }

  onTimer(name: string): void {
    const [what, id, attempt] = name.split(':');
    const request = Number(id);
    const op = this.operations.get(request);
    if (op === undefined || op.status !== 'pending') return;
    if (what === 'timeout' && Number(attempt) === this.inFlight.get(request)) {
      // No answer: the leader may have changed; ask a random replica, which will redirect.
      this.leaders.set(this.options.route(op.key), this.ctx.random.pick(this.groupOf(op).replicas));
      this.retry(request, op);
    } else if (what === 'resend') {
      this.send(request, op);
    }
  }

  private groupOf(op: ClientOperation): GroupConfig {
    return this.options.groups[this.options.route(op.key)]!;
  }

  private start(spec: { kind: 'write' | 'read'; key: Uint8Array; value: Uint8Array | null }): number {
    const request = this.nextRequest++;
    const op: ClientOperation = {
      ...spec,
      invokedAt: this.ctx.now(),
      completedAt: null,
      status: 'pending',
      offset: 0,
      servedBy: null,
      attempts: 0,
    };
    this.operations.set(request, op);
    this.send(request, op);
    return request;
  }

  private send(request: number, op: ClientOperation): void {
    op.attempts++;
    this.inFlight.set(request, op.attempts);
    const group = this.options.route(op.key);
    const leader = this.leaders.get(group)!;
    if (op.kind === 'write') {
      const deps = this.options.policy.dependencies();
      this.ctx.send(leader, { type: 'write', dedup: this.options.dedup ?? false, request, key: op.key, value: op.value, deps });
    } else {
      const to = this.options.readFrom === 'leader' ? leader : this.ctx.random.pick(this.groupOf(op).replicas);
      this.ctx.send(to, { type: 'read', request, key: op.key, minOffset: this.options.policy.minOffset(group) });
    }
    this.ctx.setTimer(`timeout:${request}:${op.attempts}`, this.options.timeoutMs);
  }

  private retry(request: number, op: ClientOperation): void {
    this.inFlight.set(request, 0);
    if (op.attempts >= this.options.attempts) {
      op.status = 'failed';
      op.completedAt = this.ctx.now();
      return;
    }
    // A short pause, so that a lagging replica can catch up and a redirect can settle.
    this.ctx.setTimer(`resend:${request}`, Math.max(1, this.options.timeoutMs / 4));
  }

  private complete(op: ClientOperation, offset: number, servedBy: NodeId | null): void {
    op.status = 'ok';
    op.offset = offset;
    op.servedBy = servedBy;
    op.completedAt = this.ctx.now();
  }
}
