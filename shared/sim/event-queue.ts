/**
 * The simulator's agenda: a priority queue of events ordered by virtual time.
 *
 * Events at the same time leave in the order they were scheduled: each entry gets a sequence
 * number when pushed, and the queue orders by `(time, seq)`. Without that tie-break two events at
 * the same instant could leave in either order and one seed would no longer mean one run.
 *
 * It is a binary min-heap in an array: push and pop cost O(log n), which keeps the simulator's
 * hot loop fast (millions of events per second).
 * @module
 */

/** What the queue needs from an entry. `seq` is assigned by {@link EventQueue.push}. */
export interface QueueEntry {
  /** Virtual time at which the entry is due, in milliseconds. */
  time: number;
  /** Tie-break among entries due at the same time; set by the queue. */
  seq: number;
}

/** A min-heap of entries ordered by `(time, seq)`. */
export class EventQueue<T extends QueueEntry> {
  // Invariant: for every i > 0, heap[parent(i)] is not after heap[i] in (time, seq) order.
  private readonly heap: T[] = [];
  private nextSeq = 0;
  // Below every sequence number push hands out, and rising: see pushAhead.
  private nextAheadSeq = -Number.MAX_SAFE_INTEGER;

  /** Number of entries waiting. */
  get size(): number {
    return this.heap.length;
  }

  /** Adds `entry`, stamping it with the next sequence number. */
  push(entry: T): void {
    entry.seq = this.nextSeq++;
    this.siftUp(entry);
  }

  /**
   * Adds `entry` ahead of every entry already pushed for the same time (in the order of
   * `pushAhead` calls among themselves): for events that were due earlier and waited, such as a
   * paused node's, which must not fall behind events scheduled while they waited.
   */
  pushAhead(entry: T): void {
    entry.seq = this.nextAheadSeq++;
    this.siftUp(entry);
  }

  private siftUp(entry: T): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(entry);
    // Sift up: move the hole towards the root while the parent is later than the entry.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (p.time < entry.time || (p.time === entry.time && p.seq < entry.seq)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  /** The earliest entry, without removing it. */
  peek(): T | undefined {
    return this.heap[0];
  }

  /** Removes and returns the earliest entry, or `undefined` when the queue is empty. */
  pop(): T | undefined {
    const heap = this.heap;
    const n = heap.length;
    if (n === 0) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (n === 1) return top;
    // Sift down: move the hole from the root towards the leaves, then drop `last` into it.
    const size = n - 1;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      let c = heap[child]!;
      const right = child + 1;
      if (right < size) {
        const r = heap[right]!;
        if (r.time < c.time || (r.time === c.time && r.seq < c.seq)) {
          child = right;
          c = r;
        }
      }
      if (last.time < c.time || (last.time === c.time && last.seq < c.seq)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
    return top;
  }

  /** Every waiting entry, in no particular order (for inspection and debugging). */
  entries(): readonly T[] {
    return this.heap;
  }
}
