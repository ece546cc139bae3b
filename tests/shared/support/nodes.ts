/**
 * Small nodes used by the simulator's own tests.
 */

import type { NodeContext, NodeId, SimNode } from '../../../shared/sim/index.js';

/** Messages of the gossip and echo nodes. */
export type TestMessage =
  | { readonly type: 'ping'; readonly n: number; readonly body?: number[] }
  | { readonly type: 'pong'; readonly n: number };

/**
 * Every `periodMs` sends a numbered ping to a random peer, `rounds` times; answers every ping
 * with a pong. Counts what it received.
 */
export class Gossip implements SimNode<TestMessage> {
  pingsReceived = 0;
  pongsReceived = 0;
  readonly seen: Array<{ from: NodeId; n: number; at: number }> = [];
  private sent = 0;

  constructor(
    private readonly ctx: NodeContext<TestMessage>,
    private readonly rounds = 20,
    private readonly periodMs = 5,
  ) {}

  onStart(): void {
    if (this.rounds > 0) this.ctx.setTimer('gossip', this.periodMs);
  }

  onMessage(from: NodeId, msg: TestMessage): void {
    this.seen.push({ from, n: msg.n, at: this.ctx.now() });
    if (msg.type === 'ping') {
      this.pingsReceived++;
      this.ctx.send(from, { type: 'pong', n: msg.n });
    } else {
      this.pongsReceived++;
    }
  }

  onTimer(): void {
    this.sent++;
    this.ctx.send(this.ctx.random.pick(this.ctx.peers), { type: 'ping', n: this.sent });
    if (this.sent < this.rounds) this.ctx.setTimer('gossip', this.periodMs);
  }
}

/** Sends nothing by itself; records every message it receives, in order. */
export class Recorder implements SimNode<TestMessage> {
  readonly received: Array<{ from: NodeId; n: number; at: number }> = [];

  constructor(readonly ctx: NodeContext<TestMessage>) {}

  onMessage(from: NodeId, msg: TestMessage): void {
    this.received.push({ from, n: msg.n, at: this.ctx.now() });
  }
}
