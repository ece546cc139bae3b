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

import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { DurableMemoryKV } from '../../shared/durable-memory-kv.js';
import { prefixRange, type BatchOp } from '../../shared/kv.js';
import type { NodeContext, NodeId, SimNode } from '../../shared/sim/index.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import type { RequestId, RetryMessage } from './retry-messages.js';

/** How a {@link DedupCounterServer} is built. */
export interface DedupServerOptions {
  /**
   * Called once for every request the server applies, after the change is durable and before the
   * reply leaves. Tests count applications per request id through it.
   */
  readonly onApply?: (request: RequestId) => void;
}

const COUNTER = encodeKey(['counter']);

function entryKey(client: NodeId, seq: number): Uint8Array {
  return encodeKey(['dedup', client, seq]);
}

function floorKey(client: NodeId): Uint8Array {
  return encodeKey(['floor', client]);
}

function encodeNumber(n: number): Uint8Array {
  return utf8(String(n));
}

function decodeNumber(bytes: Uint8Array | undefined): number | undefined {
  return bytes === undefined ? undefined : Number(fromUtf8(bytes));
}

/** A simulated counter server with a durable, bounded deduplication table. */
export class DedupCounterServer implements SimNode<RetryMessage> {
  private readonly kv: DurableMemoryKV;

  /** Opens (and so recovers) the `DurableMemoryKV` in directory `dedup` of `ctx.disk`. */
  constructor(
    private readonly ctx: NodeContext<RetryMessage>,
    private readonly options: DedupServerOptions = {},
  ) {
    // Recovers the counter, the dedup table and the floors that the last sync made durable.
    this.kv = new DurableMemoryKV(ctx.disk, { dir: 'dedup' });
  }

  /** The counter, as durable state holds it: the sum of the amounts of every applied request. */
  get value(): number {
    return decodeNumber(this.kv.get(COUNTER)) ?? 0;
  }

  /** How many dedup entries the table holds: bounded by the clients' outstanding requests, not by how many were ever made. */
  tableSize(): number {
    return [...this.kv.scan(prefixRange(encodeKey(['dedup'])))].length;
  }

  /** Handles an `add` by the four rules of the module comment. */
  onMessage(from: NodeId, msg: RetryMessage): void {
    if (msg.type !== 'add') return;
    const ops: BatchOp[] = [];
    let floor = decodeNumber(this.kv.get(floorKey(msg.client))) ?? 0;
    if (msg.ackedThrough > floor) {
      floor = msg.ackedThrough;
      ops.push({ type: 'put', key: floorKey(msg.client), value: encodeNumber(floor) });
      for (const entry of [...this.kv.scan(prefixRange(encodeKey(['dedup', msg.client])))]) {
        const seq = decodeKey(entry.key)[2] as number;
        if (seq <= floor) ops.push({ type: 'delete', key: entry.key });
      }
    }
    const key = entryKey(msg.client, msg.seq);
    const stored = decodeNumber(this.kv.get(key));
    if (msg.seq <= floor || stored !== undefined) {
      // Nothing to apply: a late copy of a finished request, or a retry of an applied one.
      this.persist(ops);
      if (stored !== undefined && msg.seq > floor) this.reply(from, msg.client, msg.seq, stored);
      return;
    }
    const value = this.value + msg.amount;
    ops.push({ type: 'put', key: COUNTER, value: encodeNumber(value) });
    ops.push({ type: 'put', key, value: encodeNumber(value) });
    this.persist(ops);
    this.options.onApply?.({ client: msg.client, seq: msg.seq });
    this.reply(from, msg.client, msg.seq, value);
  }

  private persist(ops: readonly BatchOp[]): void {
    if (ops.length === 0) return;
    this.kv.batch(ops);
    this.kv.sync();
  }

  private reply(to: NodeId, client: NodeId, seq: number, value: number): void {
    this.ctx.send(to, { type: 'added', client, seq, value });
  }
}
