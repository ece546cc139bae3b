/**
 * Exercise 5.1: salting keys against a hot spot. With key-range partitioning, keys that only grow
 * (timestamps, sequence numbers) all land in the last partition. Prefixing each key with a small
 * bucket number spreads them over `buckets` parts of the key space; the price is that a range
 * scan must now read every bucket and merge the results back into key order.
 *
 * Format: a salted key is one byte, the bucket (0 to 255), followed by the original key.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { Entry, KeyRange, OrderedKV } from '../../shared/kv.js';

/** The largest number of buckets: a bucket is one byte. */
export const MAX_SALT_BUCKETS = 256;

const SALT = { exercise: '5.1 Key-range partitioning', file: 'chapter05-partitioning/salting.ts', section: 'Hot spots and salting' };

/** `key` stored in `bucket`: the bucket byte, then the key. `UsageError` for a bucket outside `[0, 255]`. */
export function saltKey(bucket: number, key: Uint8Array): Uint8Array {
  throw new NotImplementedError(SALT);
}

/** The original key of a salted key (drops the bucket byte); `UsageError` for an empty key. */
export function unsaltKey(salted: Uint8Array): Uint8Array {
  throw new NotImplementedError(SALT);
}

/**
 * The `buckets` salted ranges that together hold exactly the keys of `range` (direction and
 * limit ignored), one per bucket. `UsageError` unless `buckets` is an integer in `[1, 256]`.
 */
export function saltedRanges(range: KeyRange, buckets: number): KeyRange[] {
  throw new NotImplementedError(SALT);
}

/**
 * Scans `range` of the original keys over a store of salted keys: reads every bucket and merges
 * them, so the entries come out with their original keys, in ascending key order, each once.
 */
export function scanSalted(kv: OrderedKV, range: KeyRange, buckets: number): Entry[] {
  throw new NotImplementedError(SALT);
}
