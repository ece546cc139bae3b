/**
 * Exercise 7.3: vector clocks.
 *
 * Each node keeps one counter per node: how many events of that node it knows about. A local
 * event or a send increments the node's own entry; a receive takes the entry-wise maximum of
 * the local vector and the message's, then increments the own entry (the receive is an event
 * too). Then, for two events `a` and `b`, `a` happened before `b` exactly when `a`'s vector is
 * entry-wise <= `b`'s and differs in at least one entry; when neither is <= the other, they are
 * concurrent. Unlike a Lamport clock, the vectors tell concurrency apart from order.
 * @module
 */

import type { NodeId } from '../../shared/sim/index.js';

/** Node → number of its events known. A missing node counts as 0. Plain data: it travels in messages. */
export type VectorTimestamp = Readonly<Record<NodeId, number>>;

/** How two events' vector timestamps are related. */
export type Causality = 'before' | 'after' | 'equal' | 'concurrent';

/** One node's vector clock. */
export class VectorClock {
  private counts: Record<NodeId, number> = {};

  constructor(readonly node: NodeId) {}

  /** The timestamp of the node's latest event (empty before the first one). Changes nothing. */
  now(): VectorTimestamp {
    return { ...this.counts };
  }

  /** A local event or a send: the own entry goes up by one; returns the event's timestamp. */
  tick(): VectorTimestamp {
    this.counts[this.node] = (this.counts[this.node] ?? 0) + 1;
    return this.now();
  }

  /** Receiving a message stamped `remote`: entry-wise maximum, then the own entry goes up by one. */
  receive(remote: VectorTimestamp): VectorTimestamp {
    for (const [node, count] of Object.entries(remote)) {
      if (count > (this.counts[node] ?? 0)) this.counts[node] = count;
    }
    this.counts[this.node] = (this.counts[this.node] ?? 0) + 1;
    return this.now();
  }
}

/** `before` when `a` happened before `b`, `after` for the reverse, `equal`, or `concurrent`. */
export function compareVectors(a: VectorTimestamp, b: VectorTimestamp): Causality {
  let aBigger = false;
  let bBigger = false;
  for (const node of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[node] ?? 0;
    const y = b[node] ?? 0;
    if (x > y) aBigger = true;
    if (y > x) bBigger = true;
  }
  if (aBigger && bBigger) return 'concurrent';
  if (aBigger) return 'after';
  if (bBigger) return 'before';
  return 'equal';
}

/** True exactly when the event stamped `a` happened before the one stamped `b`. */
export function happensBefore(a: VectorTimestamp, b: VectorTimestamp): boolean {
  return compareVectors(a, b) === 'before';
}
