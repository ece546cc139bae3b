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
import { NotImplementedError } from '../../shared/errors.js';
import type { LwwMessage } from './lww-messages.js';

const exercise = { exercise: '7.2 Wall clocks that lie', file: 'chapter07-clocks-and-faults/lww-store.ts', section: '7.2 Wall clocks that lie' };

/** A simulated last-write-wins store (in memory). */
export class LwwStore implements SimNode<LwwMessage> {
  constructor(private readonly ctx: NodeContext<LwwMessage>) {
    throw new NotImplementedError(exercise);
  }

  /** The value `key` holds now, or `undefined` if it was never written. */
  value(key: string): string | undefined {
    throw new NotImplementedError(exercise);
  }

  /** Answers a get with the value and its stamp, and a put with `ok`, after keeping it only if its stamp is greater. */
  onMessage(from: NodeId, msg: LwwMessage): void {
    throw new NotImplementedError(exercise);
  }
}
