/**
 * Exercise 5.1: a key-range partitioned store. One {@link OrderedKV} per partition, a
 * `KeyRangeMap` saying which partition owns which keys, automatic splits of partitions
 * that grow past a threshold and merges of neighbours that shrink, and scans that cross
 * partitions in key order. The whole thing is itself an `OrderedKV`.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { BatchOp, Entry, KeyRange, OrderedKV } from '../../shared/kv.js';
import type { PartitionRange } from './key-range-map.js';

/** What the store says about one partition. */
export interface PartitionInfo extends PartitionRange {
  /** How many keys the partition holds. */
  readonly keys: number;
}

/** How the store partitions its keys. */
export interface RangePartitionOptions {
  /** A partition holding more keys than this splits in two at its median key. At least 2. */
  readonly splitAboveKeys: number;
  /**
   * Two adjacent partitions holding this many keys or fewer between them merge into one
   * (checked after deletes). Default `Math.floor(splitAboveKeys / 4)`; at most `splitAboveKeys`.
   */
  readonly mergeAtMostKeys?: number;
  /** Makes the store of a new partition. Default: a `MemoryKV`. */
  readonly newStore?: () => OrderedKV;
  /** The partitions to start with. Default: one partition `p0` owning every key. */
  readonly ranges?: readonly PartitionRange[];
}

const KV = { exercise: '5.1 Key-range partitioning', file: 'chapter05-partitioning/range-partitioned-kv.ts', section: '5.1 Key-range partitioning' };

/**
 * A store whose keys are spread over partitions by key range. It keeps every rule of
 * `OrderedKV` (`shared/kv.ts`) across partitions, and these of its own:
 *
 * - each partition's store holds exactly the keys of its range, and each key is in one store;
 * - after any write no partition holds more than `splitAboveKeys` keys: a split at the median
 *   key leaves `[start, median)` in place and gives `[median, end)` to a new partition (the
 *   median key moves, and is deleted from the old store);
 * - after a delete, adjacent partitions holding at most `mergeAtMostKeys` keys together merge,
 *   and the store given up is left empty;
 * - a write whose key is outside every range is a `KeyOutsideRangesError` and a batch holding
 *   one changes nothing; invalid options are a `UsageError`.
 */
export class RangePartitionedKV implements OrderedKV {
  constructor(options: RangePartitionOptions) {
    throw new NotImplementedError(KV);
  }

  /** Every partition, in key order. */
  partitions(): PartitionInfo[] {
    throw new NotImplementedError(KV);
  }

  /** The partition that owns `key` (`KeyOutsideRangesError` if none does). */
  partitionOf(key: Uint8Array): PartitionInfo {
    throw new NotImplementedError(KV);
  }

  /** The partitions a scan of `range` reads, in key order: its cost in partitions touched. */
  partitionsFor(range: KeyRange = {}): PartitionInfo[] {
    throw new NotImplementedError(KV);
  }

  get(key: Uint8Array): Uint8Array | undefined {
    throw new NotImplementedError(KV);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    throw new NotImplementedError(KV);
  }

  delete(key: Uint8Array): void {
    throw new NotImplementedError(KV);
  }

  /** Routes every key first, so a key outside every range fails the batch before anything changes. */
  batch(ops: readonly BatchOp[]): void {
    throw new NotImplementedError(KV);
  }

  /** Reads the partitions of `range` one after another (last first when reversed), keeping to the limit. */
  scan(range: KeyRange = {}): IterableIterator<Entry> {
    throw new NotImplementedError(KV);
  }
}
