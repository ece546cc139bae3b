/**
 * An in-memory {@link OrderedKV}: a sorted array searched by binary search.
 *
 * It is the reference store that chapter tests plug in, so chapter 06 can be done before
 * chapter 02. It keeps every rule of the interface, including copying bytes in and out and
 * failing a scan whose store was modified while it was being iterated. Inserts cost O(n); fine for tests, not for benchmarks.
 * @module
 */

import { compareBytes } from './bytes.js';
import { UsageError } from './errors.js';
import type { BatchOp, Entry, KeyRange, OrderedKV } from './kv.js';

/** A sorted-array ordered key-value store. */
export class MemoryKV implements OrderedKV {
  // Invariant: keys[i] < keys[i + 1] bytewise; values[i] belongs to keys[i].
  private readonly keys: Uint8Array[] = [];
  private readonly values: Uint8Array[] = [];
  // Bumped by every write; a scan that sees it change fails instead of yielding garbage.
  private version = 0;

  /** Number of keys stored. */
  get size(): number {
    return this.keys.length;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    const i = this.search(key);
    return i >= 0 ? this.values[i]!.slice() : undefined;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.version++;
    this.putUnchecked(key, value);
  }

  delete(key: Uint8Array): void {
    this.version++;
    this.deleteUnchecked(key);
  }

  batch(ops: readonly BatchOp[]): void {
    this.version++;
    // In memory nothing can crash half-way, so applying in order is atomic.
    for (const op of ops) {
      if (op.type === 'put') this.putUnchecked(op.key, op.value);
      else this.deleteUnchecked(op.key);
    }
  }

  *scan(range: KeyRange = {}): IterableIterator<Entry> {
    const lo = range.start === undefined ? 0 : this.lowerBound(range.start);
    const hi = range.end === undefined ? this.keys.length : this.lowerBound(range.end);
    const limit = range.limit ?? Infinity;
    const version = this.version;
    const step = range.reverse ? -1 : 1;
    let i = range.reverse ? hi - 1 : lo;
    for (let yielded = 0; yielded < limit && i >= lo && i < hi; yielded++, i += step) {
      yield { key: this.keys[i]!.slice(), value: this.values[i]!.slice() };
      if (this.version !== version) {
        throw new UsageError(
          'MemoryKV: the store was modified during a scan; collect the scan first with [...kv.scan()]',
        );
      }
    }
  }

  private putUnchecked(key: Uint8Array, value: Uint8Array): void {
    const i = this.search(key);
    if (i >= 0) {
      this.values[i] = value.slice();
    } else {
      const at = -i - 1;
      this.keys.splice(at, 0, key.slice());
      this.values.splice(at, 0, value.slice());
    }
  }

  private deleteUnchecked(key: Uint8Array): void {
    const i = this.search(key);
    if (i >= 0) {
      this.keys.splice(i, 1);
      this.values.splice(i, 1);
    }
  }

  /** Index of `key`, or `-(insertion point) - 1` when absent. */
  private search(key: Uint8Array): number {
    const at = this.lowerBound(key);
    if (at < this.keys.length && compareBytes(this.keys[at]!, key) === 0) return at;
    return -at - 1;
  }

  /** First index whose key is `>= key`. */
  private lowerBound(key: Uint8Array): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareBytes(this.keys[mid]!, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
