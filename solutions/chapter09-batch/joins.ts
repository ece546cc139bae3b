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

import { UsageError } from '../../shared/errors.js';
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

interface Tagged {
  readonly kv: KeyValue;
  readonly side: 0 | 1;
  readonly seq: number;
}

/**
 * The reduce-side sort-merge join. Map: tag each record with its side and send it to
 * `partitionFor(key, partitions)`. Each reducer sorts what it got by (key, side, position), the
 * secondary sort that puts a key's left records before its right ones, and joins one key at a
 * time holding only that key's left records in memory.
 */
export function sortMergeJoin(left: readonly KeyValue[], right: readonly KeyValue[], partitions: number): ReduceSideJoin {
  checkPartitions(partitions);
  const reducers: Tagged[][] = Array.from({ length: partitions }, () => []);
  left.forEach((kv, seq) => reducers[partitionFor(kv.key, partitions)]!.push({ kv, side: 0, seq }));
  right.forEach((kv, seq) => reducers[partitionFor(kv.key, partitions)]!.push({ kv, side: 1, seq }));
  return { rows: reducers.flatMap(joinSorted), reducerInputs: reducers.map((r) => r.length) };
}

/**
 * The broadcast hash join: the smaller input (fewer records; either one on a tie) is loaded
 * into a hash table in every mapper, and the larger one streams past it, split among mappers
 * as it would be in a job. No shuffle, no sort; the small side must fit in memory.
 */
export function broadcastHashJoin(left: readonly KeyValue[], right: readonly KeyValue[]): BroadcastJoin {
  const broadcastSide = left.length <= right.length ? 'left' : 'right';
  const small = broadcastSide === 'left' ? left : right;
  const big = broadcastSide === 'left' ? right : left;
  const table = new Map<string, Json[]>();
  for (const kv of small) {
    const values = table.get(kv.key);
    if (values === undefined) table.set(kv.key, [kv.value]);
    else values.push(kv.value);
  }
  const rows: JoinedRow[] = [];
  for (const kv of big) {
    for (const value of table.get(kv.key) ?? []) {
      rows.push(broadcastSide === 'left' ? { key: kv.key, left: value, right: kv.value } : { key: kv.key, left: kv.value, right: value });
    }
  }
  return { rows, broadcastSide, broadcastRecords: small.length };
}

/**
 * Keys that hold at least `minShare` (a fraction in (0, 1]) of `records`, sorted. A job would
 * count a sample; the tests' inputs are small enough to count all of them.
 */
export function findHotKeys(records: readonly KeyValue[], minShare: number): string[] {
  if (!(minShare > 0 && minShare <= 1)) throw new UsageError(`minShare must be in (0, 1], not ${minShare}`);
  const counts = new Map<string, number>();
  for (const kv of records) counts.set(kv.key, (counts.get(kv.key) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, n]) => n >= minShare * records.length)
    .map(([key]) => key)
    .sort(compareKeys);
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
  const { partitions, splits } = options;
  checkPartitions(partitions);
  if (!Number.isInteger(splits) || splits < 1 || splits > partitions) throw new UsageError(`splits must be an integer in [1, ${partitions}], not ${splits}`);
  const hot = new Set(options.hotKeys);
  const reducers: Tagged[][] = Array.from({ length: partitions }, () => []);
  const turns = new Map<string, number>();
  left.forEach((kv, seq) => {
    const home = partitionFor(kv.key, partitions);
    if (!hot.has(kv.key)) {
      reducers[home]!.push({ kv, side: 0, seq });
      return;
    }
    const turn = turns.get(kv.key) ?? 0;
    turns.set(kv.key, turn + 1);
    reducers[(home + (turn % splits)) % partitions]!.push({ kv, side: 0, seq });
  });
  right.forEach((kv, seq) => {
    const home = partitionFor(kv.key, partitions);
    const copies = hot.has(kv.key) ? splits : 1;
    for (let i = 0; i < copies; i++) reducers[(home + i) % partitions]!.push({ kv, side: 1, seq });
  });
  return { rows: reducers.flatMap(joinSorted), reducerInputs: reducers.map((r) => r.length) };
}

/** One reducer: secondary sort, then join each key's left records with its right records. */
function joinSorted(input: readonly Tagged[]): JoinedRow[] {
  const sorted = [...input].sort((a, b) => compareKeys(a.kv.key, b.kv.key) || a.side - b.side || a.seq - b.seq);
  const rows: JoinedRow[] = [];
  let i = 0;
  while (i < sorted.length) {
    const key = sorted[i]!.kv.key;
    const lefts: Json[] = [];
    while (i < sorted.length && sorted[i]!.kv.key === key && sorted[i]!.side === 0) lefts.push(sorted[i++]!.kv.value);
    const rights: Json[] = [];
    while (i < sorted.length && sorted[i]!.kv.key === key) rights.push(sorted[i++]!.kv.value);
    for (const l of lefts) for (const r of rights) rows.push({ key, left: l, right: r });
  }
  return rows;
}

function checkPartitions(partitions: number): void {
  if (!Number.isInteger(partitions) || partitions < 1) throw new UsageError(`partitions must be a positive integer, not ${partitions}`);
}
