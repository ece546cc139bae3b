/**
 * Exercise 9.1, part 3: the k-way merge. Spill runs on the map side and map outputs on the
 * reduce side are each sorted by key; merging k of them with a binary heap of their heads
 * costs about log2(k) key comparisons per record and reads every input once, front to back.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { compareKeys, type Json, type KeyValue } from './records.js';

/** Counts the merge's work, so a test can check that it is a heap merge. */
export interface MergeStats {
  /** Calls of {@link compareKeys} made by the merge. */
  comparisons: number;
}

const MERGE = { exercise: '9.1 A MapReduce engine: sorting, spilling and merging', file: 'chapter09-batch/merge.ts', section: 'Sorting, spilling and merging' };

/**
 * Merges `sources`, each sorted by key ({@link compareKeys}), into one sequence sorted by key.
 * Equal keys come out in source order (all of source 0's, then source 1's, …) and, within a
 * source, in their order there: the merge is stable. Pulls from each source lazily, holding one
 * record per source, and keeps the heads in a binary heap, so it makes O(log k) comparisons per
 * record; each comparison of two keys adds 1 to `stats.comparisons` when `stats` is given.
 */
export function* mergeSorted(sources: readonly Iterable<KeyValue>[], stats?: MergeStats): Generator<KeyValue> {
  throw new NotImplementedError(MERGE);
}

/** Consecutive records with equal keys of a key-sorted sequence, as one group each, values in order. */
export function* groupByKey(sorted: Iterable<KeyValue>): Generator<{ key: string; values: Json[] }> {
  throw new NotImplementedError(MERGE);
}
