/**
 * Exercise 9.2: joins in batch jobs. Three ways to join two inputs on their keys, each written
 * the way it runs as a job: records are routed to reducers (or to mappers that hold a copy of the
 * small side), and the tests count what each reducer receives.
 *
 * All three compute the same inner join: one output row for every pair of a left and a right
 * record with equal keys. The two reduce-side joins emit a key's rows left-major (left records
 * in input order, each with the right records in input order); the broadcast join emits them in
 * the order of the side it streams. Across keys the order is not specified, and the tests
 * compare rows as a multiset.
 * @module
 */

import { NotImplementedError, UsageError } from '../../shared/errors.js';
import { partitionFor } from './partitioner.js';
import { compareKeys, type Json, type KeyValue } from './records.js';

/** One output row of a join. */
export interface JoinedRow {
  readonly key: string;
  readonly left: Json;
  readonly right: Json;
}

/** A reduce-side join's result, with the load of each reducer. */
export interface ReduceSideJoin {
  readonly rows: JoinedRow[];
  /** Records (left and right together) each reducer received. */
  readonly reducerInputs: number[];
}

/** A broadcast join's result: which side was copied to every mapper, and how big it was. */
export interface BroadcastJoin {
  readonly rows: JoinedRow[];
  readonly broadcastSide: 'left' | 'right';
  /** Records held in each mapper's hash table. */
  readonly broadcastRecords: number;
}

const SORT_MERGE = { exercise: '9.2 Joins: sort-merge and broadcast', file: 'chapter09-batch/joins.ts', section: 'Reduce-side sort-merge join' };
const BROADCAST = { exercise: '9.2 Joins: sort-merge and broadcast', file: 'chapter09-batch/joins.ts', section: 'Broadcast hash join' };
const SKEW = { exercise: '9.2 Joins: skew', file: 'chapter09-batch/joins.ts', section: 'Skew: one hot key' };

/**
 * The reduce-side sort-merge join. Map: tag each record with its side and send it to
 * `partitionFor(key, partitions)`. Each reducer sorts what it got by (key, side, position), the
 * secondary sort that puts a key's left records before its right ones, and joins one key at a
 * time holding only that key's left records in memory.
 */
export function sortMergeJoin(left: readonly KeyValue[], right: readonly KeyValue[], partitions: number): ReduceSideJoin {
  throw new NotImplementedError(SORT_MERGE);
}

/**
 * The broadcast hash join: the smaller input (fewer records; either one on a tie) is loaded
 * into a hash table in every mapper, and the larger one streams past it, split among mappers
 * as it would be in a job. No shuffle, no sort; the small side must fit in memory.
 */
export function broadcastHashJoin(left: readonly KeyValue[], right: readonly KeyValue[]): BroadcastJoin {
  throw new NotImplementedError(BROADCAST);
}

/**
 * Keys that hold at least `minShare` (a fraction in (0, 1]) of `records`, sorted. A job would
 * count a sample; the tests' inputs are small enough to count all of them.
 */
export function findHotKeys(records: readonly KeyValue[], minShare: number): string[] {
  throw new NotImplementedError(SKEW);
}

/** How to spread the hot keys of a skewed join. */
export interface SkewOptions {
  readonly partitions: number;
  /** Keys of the left (skewed) side to split. */
  readonly hotKeys: readonly string[];
  /** How many reducers share each hot key, at most `partitions`. */
  readonly splits: number;
}

/**
 * A sort-merge join that survives a hot key on the left side. Left records of a hot key go to
 * one of `splits` reducers in turn (reducer `(partitionFor(key) + i) mod partitions` for the
 * i-th such record, i taken modulo `splits`); right records of that key are copied to all of
 * those reducers, so each left record still meets every right record of its key. Other keys go
 * where {@link sortMergeJoin} sends them.
 */
export function skewedJoin(left: readonly KeyValue[], right: readonly KeyValue[], options: SkewOptions): ReduceSideJoin {
  throw new NotImplementedError(SKEW);
}
