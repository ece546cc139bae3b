/**
 * Exercise 7.1: a client that retries, and says "maybe" when it cannot know.
 *
 * The client sends its requests one at a time, in the order they were submitted. Each request
 * gets the next sequence number (1, 2, 3…), and every retry of it carries the same
 * {@link RequestId}, so that the server can tell a retry from a new request. An attempt that gets
 * no reply within `timeoutMs` (on the node's monotonic clock, through its timers) is followed,
 * after a backoff wait drawn with full jitter from the node's own random generator, by the next
 * attempt. After `maxAttempts` attempts without a reply the outcome is `maybe`: the request may
 * or may not have been applied, and the client moves on.
 *
 * Each request also tells the server `ackedThrough`: the highest sequence number below it whose
 * outcome is final here. Since requests go one at a time, that is `seq − 1`.
 *
 * The client keeps its state in memory only: it is not meant to survive its own crash (a
 * restarted client would reuse sequence numbers; see the notes' bonus section).
 * @module
 */

import type { NodeContext, NodeId, SimNode, TimerId } from '../../shared/sim/index.js';
import { UsageError } from '../../shared/errors.js';
import { backoffDelayMs, type BackoffPolicy } from './backoff.js';
import type { Outcome, RequestId, RetryMessage } from './retry-messages.js';

/** How a {@link RetryingClient} talks to its server. */
export interface RetryOptions {
  /** The server's node id. */
  readonly server: NodeId;
  /** How long one attempt waits for its reply (ms of the client's monotonic clock), > 0. */
  readonly timeoutMs: number;
  /** Attempts per request before the outcome is `maybe`, >= 1. */
  readonly maxAttempts: number;
  /** The wait between attempts. */
  readonly backoff: BackoffPolicy;
}

interface InFlight {
  readonly seq: number;
  readonly amount: number;
  attempt: number;
  timer: TimerId;
}

/** A simulated client adding to a counter on one server, with retries and explicit uncertainty. */
export class RetryingClient implements SimNode<RetryMessage> {
  private readonly queue: Array<{ readonly seq: number; readonly amount: number }> = [];
  private readonly results: Outcome[] = [];
  private current: InFlight | undefined = undefined;
  private submitted = 0;

  /** Throws a `UsageError` for `timeoutMs <= 0` or a `maxAttempts` that is not an integer >= 1. */
  constructor(
    private readonly ctx: NodeContext<RetryMessage>,
    private readonly options: RetryOptions,
  ) {
    if (!(options.timeoutMs > 0)) throw new UsageError(`timeoutMs must be > 0, got ${options.timeoutMs}`);
    if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1) {
      throw new UsageError(`maxAttempts must be an integer >= 1, got ${options.maxAttempts}`);
    }
  }

  /** The final outcome of every finished request, in the order they finished (= submitted). */
  get outcomes(): readonly Outcome[] {
    return this.results;
  }

  /** True when every submitted request has an outcome. */
  get idle(): boolean {
    return this.current === undefined && this.queue.length === 0;
  }

  /**
   * Queues a request to add `amount` to the counter and returns its id. Requests are sent one at
   * a time, in submission order; each ends with exactly one entry in {@link outcomes}.
   */
  submit(amount: number): RequestId {
    if (!Number.isFinite(amount)) throw new UsageError(`amount must be a finite number, got ${amount}`);
    this.submitted++;
    this.queue.push({ seq: this.submitted, amount });
    if (this.current === undefined) this.startNext();
    return { client: this.ctx.id, seq: this.submitted };
  }

  /** A reply for the request in flight finishes it (`ok`); any other reply changes nothing. */
  onMessage(from: NodeId, msg: RetryMessage): void {
    const current = this.current;
    // A reply to an earlier attempt of an earlier request (a duplicate, or one that came too late) changes nothing.
    if (msg.type !== 'added' || current === undefined || msg.client !== this.ctx.id || msg.seq !== current.seq) return;
    this.ctx.cancelTimer(current.timer);
    this.finish({ status: 'ok', request: { client: this.ctx.id, seq: current.seq }, value: msg.value, attempts: current.attempt });
  }

  /** An attempt's timeout: back off and try again, or, after `maxAttempts`, give up with `maybe`. */
  onTimer(name: string, timer: TimerId): void {
    const current = this.current;
    if (current === undefined || timer !== current.timer) return;
    if (name === 'timeout') {
      if (current.attempt >= this.options.maxAttempts) {
        this.finish({ status: 'maybe', request: { client: this.ctx.id, seq: current.seq }, attempts: current.attempt });
        return;
      }
      current.timer = this.ctx.setTimer('backoff', backoffDelayMs(this.options.backoff, current.attempt, this.ctx.random));
    } else if (name === 'backoff') {
      current.attempt++;
      this.sendAttempt(current);
    }
  }

  private startNext(): void {
    const request = this.queue.shift();
    if (request === undefined) return;
    const next: InFlight = { seq: request.seq, amount: request.amount, attempt: 1, timer: 0 };
    this.current = next;
    this.sendAttempt(next);
  }

  private sendAttempt(current: InFlight): void {
    this.ctx.send(this.options.server, {
      type: 'add',
      client: this.ctx.id,
      seq: current.seq,
      attempt: current.attempt,
      amount: current.amount,
      ackedThrough: current.seq - 1,
    });
    current.timer = this.ctx.setTimer('timeout', this.options.timeoutMs);
  }

  private finish(outcome: Outcome): void {
    this.results.push(outcome);
    this.current = undefined;
    this.startNext();
  }
}
