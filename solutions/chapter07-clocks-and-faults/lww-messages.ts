/**
 * The wire format of exercise 7.2: writers stamp their writes, and a store keeps the write with
 * the highest stamp (last write wins). Given code: identical in `chapters/` and `solutions/`.
 * @module
 */

import type { NodeId } from '../../shared/sim/index.js';

/**
 * A write's timestamp, whatever clock made it: `major` is a wall-clock reading, a Lamport time or
 * an HLC's physical part; `minor` is 0 or an HLC's counter; `node`, the writer, breaks ties.
 */
export interface Stamp {
  readonly major: number;
  readonly minor: number;
  readonly node: NodeId;
}

/** The messages between writers and an {@link LwwMessage} store. */
export type LwwMessage =
  /** Read `key`. */
  | { readonly type: 'get'; readonly key: string }
  /** The value of `key` and the stamp of the write that put it there (`null`s: never written). */
  | { readonly type: 'value'; readonly key: string; readonly value: string | null; readonly stamp: Stamp | null }
  /** Write `value` to `key`, stamped `stamp`. */
  | { readonly type: 'put'; readonly key: string; readonly value: string; readonly stamp: Stamp }
  /**
   * The put of `stamp` was handled. `stored` is the stamp the key holds now: equal to `stamp`
   * if the write won, an earlier write's if the store discarded this one. Either way the writer
   * hears "ok", as a last-write-wins store answers.
   */
  | { readonly type: 'ok'; readonly key: string; readonly stamp: Stamp; readonly stored: Stamp };
