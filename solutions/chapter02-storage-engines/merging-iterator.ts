/**
 * Exercise 2.5, part 1: the merging iterator, which turns several sorted sources into one sorted
 * stream with one entry per key. Range scans and compaction both run on it. See the notes,
 * "2.5 The read path".
 *
 * A binary min-heap holds the current entry of each source, ordered by key and, for equal keys,
 * by source index: sources are given newest first, so the first entry popped for a key is its
 * newest version, and the older versions of that key are skipped. Each step costs O(log s) for s
 * sources.
 * @module
 */

import { compareBytes } from '../../shared/bytes.js';
import type { StoredEntry } from './entry.js';

interface Cursor {
  readonly source: number;
  readonly iterator: Iterator<StoredEntry>;
  entry: StoredEntry;
}

/**
 * Merges `sources` (each sorted ascending, or descending when `reverse`; newest source first)
 * into one stream in the same order that holds, for each key, the entry of the newest source
 * that has it, tombstones included (the caller decides what a tombstone means to it).
 */
export function* mergeSorted(sources: ReadonlyArray<Iterable<StoredEntry>>, reverse = false): IterableIterator<StoredEntry> {
  const direction = reverse ? -1 : 1;
  // a comes before b: smaller key (larger when reversed), then the newer source.
  const before = (a: Cursor, b: Cursor): boolean => {
    const d = compareBytes(a.entry.key, b.entry.key) * direction;
    return d < 0 || (d === 0 && a.source < b.source);
  };
  const heap: Cursor[] = [];
  sources.forEach((source, i) => {
    const iterator = source[Symbol.iterator]();
    const first = iterator.next();
    if (!first.done) push(heap, { source: i, iterator, entry: first.value }, before);
  });
  let last: Uint8Array | undefined;
  while (heap.length > 0) {
    const top = heap[0]!;
    const { entry } = top;
    const next = top.iterator.next();
    if (next.done) pop(heap, before);
    else {
      top.entry = next.value;
      siftDown(heap, 0, before);
    }
    if (last !== undefined && compareBytes(last, entry.key) === 0) continue; // an older version
    last = entry.key;
    yield entry;
  }
}

function push(heap: Cursor[], cursor: Cursor, before: (a: Cursor, b: Cursor) => boolean): void {
  heap.push(cursor);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function pop(heap: Cursor[], before: (a: Cursor, b: Cursor) => boolean): void {
  const last = heap.pop()!;
  if (heap.length === 0) return;
  heap[0] = last;
  siftDown(heap, 0, before);
}

function siftDown(heap: Cursor[], start: number, before: (a: Cursor, b: Cursor) => boolean): void {
  let i = start;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let best = i;
    if (l < heap.length && before(heap[l]!, heap[best]!)) best = l;
    if (r < heap.length && before(heap[r]!, heap[best]!)) best = r;
    if (best === i) return;
    [heap[i], heap[best]] = [heap[best]!, heap[i]!];
    i = best;
  }
}
