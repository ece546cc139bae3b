/**
 * The failover controller: a node that watches the leader's heartbeats and, when they stop,
 * promotes the most up-to-date follower under a new epoch.
 *
 * It plays the part that ZooKeeper plays for Kafka's controller, or an operator's script for a
 * MySQL cluster. It is a single point of failure and its timeout cannot tell a dead leader from
 * a slow or cut-off one: both are this chapter's lessons. Chapter 08 replaces it with consensus.
 *
 * Failover, step by step: when no heartbeat has come from the leader for `failureTimeoutMs`,
 * the controller asks every other replica how far its log goes (`status-query`), waits
 * `statusWaitMs`, picks the replica whose log is the most up to date (by the epoch of its last
 * entry, then by its length), increments the epoch and tells everybody (`assign`). A replica that later reports an old epoch, or a wrong idea of who leads,
 * is told again.
 * @module
 */

import type { NodeContext, NodeId, SimNode } from '../../shared/sim/index.js';
import type { LeaderFollowerMessage } from './leader-follower-messages.js';

/** How the controller behaves. */
export interface ControllerOptions {
  readonly replicas: readonly NodeId[];
  /** The leader of epoch 1. */
  readonly initialLeader: NodeId;
  /** Silence from the leader longer than this starts a failover, in virtual ms. */
  readonly failureTimeoutMs: number;
  /** How long to collect the followers' log positions before choosing, in virtual ms. */
  readonly statusWaitMs: number;
}

/** Where a replica's log ends: the epoch of its last entry, and its offset. */
export interface LogPosition {
  readonly epoch: number;
  readonly offset: number;
}

/**
 * The replica to promote: the one whose log is the most up to date, so that the fewest
 * acknowledged writes are lost. A log whose last entry has a newer epoch is more up to date
 * whatever the lengths (a longer log of an older epoch holds a deposed leader's tail, which the
 * newer leader's followers never had); between equal epochs the longer log wins; ties go to the
 * smallest id, so the choice is deterministic. `undefined` when nobody answered.
 */
export function chooseNewLeader(positions: ReadonlyMap<NodeId, LogPosition>): NodeId | undefined {
  let best: { readonly replica: NodeId; readonly position: LogPosition } | undefined;
  for (const [replica, position] of positions) {
    if (best === undefined) best = { replica, position };
    else {
      const newer = position.epoch - best.position.epoch || position.offset - best.position.offset;
      if (newer > 0 || (newer === 0 && replica < best.replica)) best = { replica, position };
    }
  }
  return best?.replica;
}

/** A record of one failover, for tests and for the notes' diagrams. */
export interface FailoverRecord {
  readonly time: number;
  readonly epoch: number;
  readonly from: NodeId;
  readonly to: NodeId;
  /** The log positions the choice was made from. */
  readonly positions: ReadonlyMap<NodeId, LogPosition>;
}

/** The failover controller node. */
export class FailoverController implements SimNode<LeaderFollowerMessage> {
  private readonly ctx: NodeContext<LeaderFollowerMessage>;
  private readonly options: ControllerOptions;
  private epoch = 1;
  private leader: NodeId;
  private leaderSeenAt = 0;
  private election: { readonly epoch: number; readonly positions: Map<NodeId, LogPosition> } | null = null;
  /** Every failover so far, oldest first. */
  readonly failovers: FailoverRecord[] = [];

  constructor(ctx: NodeContext<LeaderFollowerMessage>, options: ControllerOptions) {
    this.ctx = ctx;
    this.options = options;
    this.leader = options.initialLeader;
  }

  /** The current epoch and its leader. */
  get assignment(): { readonly epoch: number; readonly leader: NodeId } {
    return { epoch: this.epoch, leader: this.leader };
  }

  onStart(): void {
    this.leaderSeenAt = this.ctx.now();
    this.ctx.setTimer('check', this.options.failureTimeoutMs / 4);
  }

  onTimer(name: string): void {
    if (name === 'check') {
      this.ctx.setTimer('check', this.options.failureTimeoutMs / 4);
      if (this.election === null && this.ctx.now() - this.leaderSeenAt > this.options.failureTimeoutMs) this.startFailover();
    } else if (name === 'decide') {
      this.decide();
    }
  }

  onMessage(from: NodeId, msg: LeaderFollowerMessage): void {
    if (msg.type === 'heartbeat') {
      if (from === this.leader && msg.epoch === this.epoch && msg.leading) {
        this.leaderSeenAt = this.ctx.now();
        return;
      }
      if (this.election !== null) return; // the assignment is about to change
      if (msg.epoch !== this.epoch || msg.leading !== (from === this.leader)) {
        this.ctx.send(from, { type: 'assign', epoch: this.epoch, leader: this.leader });
      }
    } else if (msg.type === 'status-reply') {
      if (this.election !== null && msg.epoch === this.election.epoch) {
        this.election.positions.set(from, { epoch: msg.lastEpoch, offset: msg.lastOffset });
      }
    }
  }

  private startFailover(): void {
    const epoch = this.epoch + 1;
    this.election = { epoch, positions: new Map() };
    for (const replica of this.options.replicas) {
      if (replica !== this.leader) this.ctx.send(replica, { type: 'status-query', epoch });
    }
    this.ctx.setTimer('decide', this.options.statusWaitMs);
  }

  private decide(): void {
    const election = this.election!;
    this.election = null;
    const chosen = chooseNewLeader(election.positions);
    if (chosen === undefined) return; // nobody answered; try again at the next check
    this.failovers.push({ time: this.ctx.now(), epoch: election.epoch, from: this.leader, to: chosen, positions: election.positions });
    this.epoch = election.epoch;
    this.leader = chosen;
    this.leaderSeenAt = this.ctx.now();
    for (const replica of this.options.replicas) this.ctx.send(replica, { type: 'assign', epoch: this.epoch, leader: this.leader });
  }
}
