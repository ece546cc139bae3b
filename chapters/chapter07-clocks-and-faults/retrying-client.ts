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
import { NotImplementedError } from '../../shared/errors.js';
import type { BackoffPolicy } from './backoff.js';
import type { Outcome, RequestId, RetryMessage } from './retry-messages.js';

const exercise = { exercise: '7.1 Timeouts and retries', file: 'chapter07-clocks-and-faults/retrying-client.ts', section: '7.1 Timeouts and retries' };

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

/** A simulated client adding to a counter on one server, with retries and explicit uncertainty. */
export class RetryingClient implements SimNode<RetryMessage> {
  /** Throws a `UsageError` for `timeoutMs <= 0` or a `maxAttempts` that is not an integer >= 1. */
  constructor(
    private readonly ctx: NodeContext<RetryMessage>,
    private readonly options: RetryOptions,
  ) {
    throw new NotImplementedError(exercise);
  }

  /** The final outcome of every finished request, in the order they finished (= submitted). */
  get outcomes(): readonly Outcome[] {
    throw new NotImplementedError(exercise);
  }

  /** True when every submitted request has an outcome. */
  get idle(): boolean {
    throw new NotImplementedError(exercise);
  }

  /**
   * Queues a request to add `amount` to the counter and returns its id. Requests are sent one at
   * a time, in submission order; each ends with exactly one entry in {@link outcomes}.
   */
  submit(amount: number): RequestId {
    throw new NotImplementedError(exercise);
  }

  /** A reply for the request in flight finishes it (`ok`); any other reply changes nothing. */
  onMessage(from: NodeId, msg: RetryMessage): void {
    throw new NotImplementedError(exercise);
  }

  /** An attempt's timeout: back off and try again, or, after `maxAttempts`, give up with `maybe`. */
  onTimer(name: string, timer: TimerId): void {
    throw new NotImplementedError(exercise);
  }
}
