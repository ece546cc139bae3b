/**
 * Exercise 5.1: salting keys against a hot spot. With key-range partitioning, keys that only grow
 * (timestamps, sequence numbers) all land in the last partition. Prefixing each key with a small
 * bucket number spreads them over `buckets` parts of the key space; the price is that a range
 * scan must now read every bucket and merge the results back into key order.
 *
 * Format: a salted key is one byte, the bucket (0 to 255), followed by the original key.
 * @module
 */

import { compareBytes, concatBytes, prefixEnd } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import type { Entry, KeyRange, OrderedKV } from '../../shared/kv.js';

/** The largest number of buckets: a bucket is one byte. */
export const MAX_SALT_BUCKETS = 256;

function checkBuckets(buckets: number, where: string): void {
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_SALT_BUCKETS) {
    throw new UsageError(`${where}: buckets must be an integer in [1, ${MAX_SALT_BUCKETS}], got ${buckets}`);
  }
}

/** `key` stored in `bucket`: the bucket byte, then the key. `UsageError` for a bucket outside `[0, 255]`. */
export function saltKey(bucket: number, key: Uint8Array): Uint8Array {
  if (!Number.isInteger(bucket) || bucket < 0 || bucket >= MAX_SALT_BUCKETS) {
    throw new UsageError(`saltKey: bucket must be an integer in [0, ${MAX_SALT_BUCKETS - 1}], got ${bucket}`);
  }
  return concatBytes(Uint8Array.of(bucket), key);
}

/** The original key of a salted key (drops the bucket byte). */
export function unsaltKey(salted: Uint8Array): Uint8Array {
  if (salted.length === 0) throw new UsageError('unsaltKey: an empty key has no bucket byte');
  return salted.slice(1);
}

/** The `buckets` salted ranges that together hold exactly the keys of `range` (direction and limit ignored). */
export function saltedRanges(range: KeyRange, buckets: number): KeyRange[] {
  checkBuckets(buckets, 'saltedRanges');
  const out: KeyRange[] = [];
  for (let b = 0; b < buckets; b++) {
    const prefix = Uint8Array.of(b);
    const start = saltKey(b, range.start ?? new Uint8Array(0));
    const end = range.end === undefined ? prefixEnd(prefix) : saltKey(b, range.end);
    out.push(end === undefined ? { start } : { start, end });
  }
  return out;
}

/**
 * Scans `range` of the original keys over a store of salted keys: reads every bucket and merges
 * them, so the entries come out with their original keys, in ascending key order, each once.
 */
export function scanSalted(kv: OrderedKV, range: KeyRange, buckets: number): Entry[] {
  const runs = saltedRanges(range, buckets).map((r) => [...kv.scan(r)]);
  const at = runs.map(() => 0);
  const out: Entry[] = [];
  for (;;) {
    // A k-way merge: take the smallest head among the buckets' sorted runs.
    let best = -1;
    for (let b = 0; b < runs.length; b++) {
      const head = runs[b]![at[b]!];
      if (head === undefined) continue;
      if (best < 0 || compareBytes(unsaltKey(head.key), unsaltKey(runs[best]![at[best]!]!.key)) < 0) best = b;
    }
    if (best < 0) return out;
    const entry = runs[best]![at[best]!]!;
    at[best] = at[best]! + 1;
    out.push({ key: unsaltKey(entry.key), value: entry.value });
  }
}
