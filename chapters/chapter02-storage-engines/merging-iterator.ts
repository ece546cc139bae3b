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

import { NotImplementedError } from '../../shared/errors.js';
import type { StoredEntry } from './entry.js';

/**
 * Merges `sources` (each sorted ascending, or descending when `reverse`; newest source first)
 * into one stream in the same order that holds, for each key, the entry of the newest source
 * that has it, tombstones included (the caller decides what a tombstone means to it).
 */
export function mergeSorted(sources: ReadonlyArray<Iterable<StoredEntry>>, reverse = false): IterableIterator<StoredEntry> {
  throw new NotImplementedError({ exercise: '2.5 The read path', file: 'chapter02-storage-engines/merging-iterator.ts', section: '2.5 The read path' });
}
