/**
 * Exercise 7.2: a last-write-wins store.
 *
 * For each key the store keeps one value and the stamp of the write that put it there. A put
 * whose stamp is greater (by `compareStamps`) replaces them; any other put is discarded, and
 * acknowledged all the same, with `stored` saying which stamp the key kept. A get answers the
 * value and its stamp. The store is as right as the stamps are: it keeps what the clocks say is
 * last, which need not be what happened last.
 * @module
 */

import type { NodeContext, NodeId, SimNode } from '../../shared/sim/index.js';
import type { LwwMessage, Stamp } from './lww-messages.js';
import { compareStamps } from './lww-stamps.js';

/** A simulated last-write-wins store (in memory). */
export class LwwStore implements SimNode<LwwMessage> {
  private readonly data = new Map<string, { readonly value: string; readonly stamp: Stamp }>();

  constructor(private readonly ctx: NodeContext<LwwMessage>) {}

  /** The value `key` holds now, or `undefined` if it was never written. */
  value(key: string): string | undefined {
    return this.data.get(key)?.value;
  }

  /** Answers a get with the value and its stamp, and a put with `ok`, after keeping it only if its stamp is greater. */
  onMessage(from: NodeId, msg: LwwMessage): void {
    if (msg.type === 'get') {
      const current = this.data.get(msg.key);
      this.ctx.send(from, { type: 'value', key: msg.key, value: current?.value ?? null, stamp: current?.stamp ?? null });
    } else if (msg.type === 'put') {
      const current = this.data.get(msg.key);
      if (current === undefined || compareStamps(msg.stamp, current.stamp) > 0) {
        this.data.set(msg.key, { value: msg.value, stamp: msg.stamp });
      }
      this.ctx.send(from, { type: 'ok', key: msg.key, stamp: msg.stamp, stored: this.data.get(msg.key)!.stamp });
    }
  }
}
