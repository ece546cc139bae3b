/**
 * Exercise 5.1: a partition map of key ranges. Each partition owns one contiguous half-open range
 * `[start, end)` of byte keys, in `compareBytes` order; no two ranges share a key. The map may
 * leave gaps (a cluster that stores only one table's keys); a key in a gap belongs to nobody.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { KeyRange } from '../../shared/kv.js';

/** One partition's range: `start` inclusive (the empty key is the first key), `end` exclusive (`undefined`: no upper bound). */
export interface PartitionRange {
  readonly id: string;
  readonly start: Uint8Array;
  readonly end: Uint8Array | undefined;
}

const MAP = { exercise: '5.1 Key-range partitioning', file: 'chapter05-partitioning/key-range-map.ts', section: '5.1 Key-range partitioning' };

/** An immutable, validated set of non-overlapping key ranges, kept in key order. */
export class KeyRangeMap {
  /** The ranges sorted by `start` (copies: later changes to the caller's arrays do not reach the map). */
  readonly ranges: readonly PartitionRange[] = [];

  /**
   * Validates and sorts `ranges` (given in any order). Throws `OverlappingRangesError` naming
   * the partitions when a range is empty or backwards (`end <= start`), or when two ranges share
   * a key (ranges that only touch, `[a, k)` and `[k, z)`, are fine), and a `UsageError` when two
   * partitions have the same id.
   */
  constructor(ranges: readonly PartitionRange[]) {
    throw new NotImplementedError(MAP);
  }

  /**
   * The partition whose range holds `key`. A key in a gap is a `KeyOutsideRangesError` whose
   * `before` and `after` name the partitions on either side of the gap (`undefined` at the ends).
   */
  locate(key: Uint8Array): PartitionRange {
    throw new NotImplementedError(MAP);
  }

  /** The partitions whose ranges share at least one key with `range` (direction and limit ignored), in key order. */
  overlapping(range: KeyRange): PartitionRange[] {
    throw new NotImplementedError(MAP);
  }
}
