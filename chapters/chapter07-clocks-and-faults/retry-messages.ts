/**
 * The wire format of exercise 7.1: a client adds to a counter on a server, and retries.
 * Given code: identical in `chapters/` and `solutions/`.
 *
 * A request is named by its {@link RequestId}: the client's id and a sequence number the client
 * gives each request once, in order. Every retry of a request carries the same id; only
 * `attempt` changes, and it is there for the trace, never for deduplication.
 * @module
 */

import type { NodeId } from '../../shared/sim/index.js';

/** Names one request for as long as it lives: the same on every retry. */
export interface RequestId {
  /** The client that made the request. */
  readonly client: NodeId;
  /** The client's sequence number for it: 1, 2, 3…, one per request, never reused. */
  readonly seq: number;
}

/** The messages between a {@link RequestId}-stamping client and a deduplicating server. */
export type RetryMessage =
  /**
   * Add `amount` to the counter. `ackedThrough`: every request of this client with a sequence
   * number up to it has a final outcome at the client (an answer, or "maybe"), so the server
   * may forget them, and must never apply one of them again.
   */
  | {
      readonly type: 'add';
      readonly client: NodeId;
      readonly seq: number;
      readonly attempt: number;
      readonly amount: number;
      readonly ackedThrough: number;
    }
  /** Request `seq` of `client` has been applied; the counter read `value` just after it. */
  | { readonly type: 'added'; readonly client: NodeId; readonly seq: number; readonly value: number };

/**
 * What a client knows about one request when it stops trying.
 *
 * - `ok`: a reply came back; the request was applied exactly once, and the counter read `value`
 *   right after it.
 * - `maybe`: every attempt timed out. The client cannot tell whether the requests were lost (not
 *   applied) or only the replies were (applied): both look the same from here. The request was
 *   applied at most once, and the client must not pretend to know more.
 */
export type Outcome =
  | { readonly status: 'ok'; readonly request: RequestId; readonly value: number; readonly attempts: number }
  | { readonly status: 'maybe'; readonly request: RequestId; readonly attempts: number };
