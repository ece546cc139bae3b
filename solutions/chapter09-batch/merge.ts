/**
 * Exercise 9.1, part 3: the k-way merge. Spill runs on the map side and map outputs on the
 * reduce side are each sorted by key; merging k of them with a binary heap of their heads
 * costs about log2(k) key comparisons per record and reads every input once, front to back.
 * @module
 */

import { compareKeys, type Json, type KeyValue } from './records.js';

/** Counts the merge's work, so a test can check that it is a heap merge. */
export interface MergeStats {
  /** Calls of {@link compareKeys} made by the merge. */
  comparisons: number;
}

interface Head {
  readonly kv: KeyValue;
  readonly source: number;
  readonly rest: Iterator<KeyValue>;
}

/**
 * Merges `sources`, each sorted by key, into one sequence sorted by key. Equal keys come out in
 * source order (all of source 0's, then source 1's, …) and, within a source, in their order
 * there: the merge is stable. Pulls from each source lazily, one record at a time.
 */
export function* mergeSorted(sources: readonly Iterable<KeyValue>[], stats?: MergeStats): Generator<KeyValue> {
  const heap: Head[] = [];
  const less = (a: Head, b: Head): boolean => {
    if (stats) stats.comparisons++;
    const c = compareKeys(a.kv.key, b.kv.key);
    return c < 0 || (c === 0 && a.source < b.source);
  };
  const push = (head: Head): void => {
    heap.push(head);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const siftDown = (): void => {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && less(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && less(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  };
  sources.forEach((source, index) => {
    const rest = source[Symbol.iterator]();
    const first = rest.next();
    if (!first.done) push({ kv: first.value, source: index, rest });
  });
  while (heap.length > 0) {
    const top = heap[0]!;
    yield top.kv;
    const next = top.rest.next();
    if (next.done) {
      const last = heap.pop()!;
      if (heap.length === 0) return;
      heap[0] = last;
    } else {
      heap[0] = { kv: next.value, source: top.source, rest: top.rest };
    }
    siftDown();
  }
}

/** Consecutive records with equal keys of a key-sorted sequence, as one group each. */
export function* groupByKey(sorted: Iterable<KeyValue>): Generator<{ key: string; values: Json[] }> {
  let current: { key: string; values: Json[] } | undefined;
  for (const kv of sorted) {
    if (current !== undefined && current.key === kv.key) {
      current.values.push(kv.value);
      continue;
    }
    if (current !== undefined) yield current;
    current = { key: kv.key, values: [kv.value] };
  }
  if (current !== undefined) yield current;
}
