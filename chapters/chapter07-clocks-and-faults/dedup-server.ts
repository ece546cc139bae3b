/**
 * Exercise 7.1: a counter server that applies each request once, however often it arrives.
 *
 * The server keeps, on its own disk, in a `DurableMemoryKV` (`shared/durable-memory-kv.ts`) (directory `dedup`):
 *
 * | key (`shared/tuple-key.ts`)   | value (UTF-8 decimal)                                  |
 * |-------------------------------|--------------------------------------------------------|
 * | `['counter']`                 | the counter                                            |
 * | `['dedup', client, seq]`      | the counter's value just after request `seq` of `client` was applied: the reply to repeat |
 * | `['floor', client]`           | the highest `ackedThrough` seen from `client`          |
 *
 * On an `add` from `client`:
 *
 * 1. If `ackedThrough` is above the client's floor, the floor rises to it and every dedup entry
 *    of that client at or below it is deleted: the client has a final outcome for those requests
 *    and will never ask about them again. This is what bounds the table: by acknowledgement,
 *    never by wall time, which could expire an entry while a retry is still on its way.
 * 2. A request at or below the floor is a late copy of a finished request: it is not applied and
 *    not answered.
 * 3. A request with a dedup entry is a retry (or a duplicate) of one already applied: the stored
 *    reply is sent again, nothing is applied.
 * 4. Otherwise the request is applied: the new counter, its dedup entry and the floor are written
 *    in **one** batch and synced, and only then is `onApply` called and the reply sent. A crash
 *    before the sync loses the request and its entry together (the client's retry applies it);
 *    a crash after it loses neither.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { NodeContext, NodeId, SimNode } from '../../shared/sim/index.js';
import type { RequestId, RetryMessage } from './retry-messages.js';

const exercise = { exercise: '7.1 Timeouts and retries', file: 'chapter07-clocks-and-faults/dedup-server.ts', section: '7.1 Timeouts and retries' };

/** How a {@link DedupCounterServer} is built. */
export interface DedupServerOptions {
  /**
   * Called once for every request the server applies, after the change is durable and before the
   * reply leaves. Tests count applications per request id through it.
   */
  readonly onApply?: (request: RequestId) => void;
}

/** A simulated counter server with a durable, bounded deduplication table. */
export class DedupCounterServer implements SimNode<RetryMessage> {
  /** Opens (and so recovers) the `DurableMemoryKV` in directory `dedup` of `ctx.disk`. */
  constructor(
    private readonly ctx: NodeContext<RetryMessage>,
    private readonly options: DedupServerOptions = {},
  ) {
    throw new NotImplementedError(exercise);
  }

  /** The counter, as durable state holds it: the sum of the amounts of every applied request. */
  get value(): number {
    throw new NotImplementedError(exercise);
  }

  /** How many dedup entries the table holds: bounded by the clients' outstanding requests, not by how many were ever made. */
  tableSize(): number {
    throw new NotImplementedError(exercise);
  }

  /** Handles an `add` by the four rules of the module comment. */
  onMessage(from: NodeId, msg: RetryMessage): void {
    throw new NotImplementedError(exercise);
  }
}
