/**
 * Exercise 5.1: a partition map of key ranges. Each partition owns one contiguous half-open range
 * `[start, end)` of byte keys, in `compareBytes` order; no two ranges share a key. The map may
 * leave gaps (a cluster that stores only one table's keys); a key in a gap belongs to nobody.
 * @module
 */

import { compareBytes } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import type { KeyRange } from '../../shared/kv.js';
import { KeyOutsideRangesError, OverlappingRangesError, showRange } from './errors.js';

/** One partition's range: `start` inclusive (the empty key is the first key), `end` exclusive (`undefined`: no upper bound). */
export interface PartitionRange {
  readonly id: string;
  readonly start: Uint8Array;
  readonly end: Uint8Array | undefined;
}

/** `a < b` where `undefined` stands for +∞. */
function endBefore(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined) return false;
  if (b === undefined) return true;
  return compareBytes(a, b) < 0;
}

/** An immutable, validated set of non-overlapping key ranges, kept in key order. */
export class KeyRangeMap {
  /** The ranges sorted by `start`. */
  readonly ranges: readonly PartitionRange[];

  /**
   * Validates and sorts `ranges` (given in any order). Throws `OverlappingRangesError` naming
   * the partitions when a range is empty or backwards, or when two ranges share a key, and a
   * `UsageError` when two partitions have the same id.
   */
  constructor(ranges: readonly PartitionRange[]) {
    const ids = new Set<string>();
    for (const r of ranges) {
      if (ids.has(r.id)) throw new UsageError(`KeyRangeMap: partition id ${JSON.stringify(r.id)} is used twice`);
      ids.add(r.id);
      if (r.end !== undefined && compareBytes(r.start, r.end) >= 0) {
        throw new OverlappingRangesError([r.id], `range ${showRange(r.start, r.end)} is empty`);
      }
    }
    const sorted = ranges
      .map((r) => ({ id: r.id, start: r.start.slice(), end: r.end?.slice() }))
      .sort((a, b) => compareBytes(a.start, b.start));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const next = sorted[i]!;
      // Half-open: prev may end exactly where next starts; ending later means a shared key.
      if (prev.end === undefined || compareBytes(prev.end, next.start) > 0) {
        throw new OverlappingRangesError(
          [prev.id, next.id],
          `${prev.id} ${showRange(prev.start, prev.end)} and ${next.id} ${showRange(next.start, next.end)} share the keys ${showRange(next.start, prev.end)}`,
        );
      }
    }
    this.ranges = sorted;
  }

  /** The partition whose range holds `key`; `KeyOutsideRangesError` when it falls in a gap. */
  locate(key: Uint8Array): PartitionRange {
    // The last range whose start is <= key is the only candidate.
    let lo = 0;
    let hi = this.ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.ranges[mid]!.start, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const candidate = lo > 0 ? this.ranges[lo - 1] : undefined;
    if (candidate !== undefined && (candidate.end === undefined || compareBytes(key, candidate.end) < 0)) return candidate;
    throw new KeyOutsideRangesError(key, candidate?.id, this.ranges[lo]?.id);
  }

  /** The partitions whose ranges share at least one key with `range`, in key order. */
  overlapping(range: KeyRange): PartitionRange[] {
    return this.ranges.filter(
      (r) =>
        (range.end === undefined || compareBytes(r.start, range.end) < 0) &&
        (range.start === undefined || endBefore(range.start, r.end)) &&
        (range.start === undefined || range.end === undefined || compareBytes(range.start, range.end) < 0),
    );
  }
}
