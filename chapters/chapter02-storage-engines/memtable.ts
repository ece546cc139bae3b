/**
 * Exercise 2.1: the memtable, the LSM-tree's in-memory write buffer: a skip list ordered by key.
 * See the notes, "2.1 The memtable".
 *
 * A skip list is a sorted linked list with express lanes: every node is on level 0, and each
 * level above holds a random quarter of the nodes of the level below. A search runs along the
 * top level, drops down when the next key is too big, and reaches any key in O(log n) expected
 * steps, with no rebalancing: an insert only links one node into a few lists.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { Random } from '../../shared/random.js';
import type { ScanBounds, Stored, StoredEntry } from './entry.js';

const TODO = { exercise: '2.1 The memtable', file: 'chapter02-storage-engines/memtable.ts', section: '2.1 The memtable' };

/** A sorted map from key to {@link Stored} (a value or a tombstone), as a skip list. */
export class Memtable {
  /** `random` draws node heights; a seeded one makes the structure reproducible. */
  constructor(random: Random) {
    void random;
  }

  /** Number of distinct keys (tombstones included). */
  get size(): number {
    throw new NotImplementedError(TODO);
  }

  /** Approximate memory used: key and value bytes plus a fixed overhead per entry. */
  get sizeBytes(): number {
    throw new NotImplementedError(TODO);
  }

  /**
   * Sets `key` to `value` (`null` records a tombstone), replacing what the memtable held for it.
   * Stores the arrays given, without copying: the caller hands over ownership.
   */
  put(key: Uint8Array, value: Stored): void {
    throw new NotImplementedError(TODO);
  }

  /**
   * What the memtable holds for `key`: a value, `null` for a tombstone, or `undefined` when the
   * key is not in the memtable at all (older layers must be asked).
   */
  get(key: Uint8Array): Stored | undefined {
    throw new NotImplementedError(TODO);
  }

  /** Entries within `bounds` in key order (descending when `bounds.reverse`), tombstones included. */
  entries(bounds?: ScanBounds): IterableIterator<StoredEntry> {
    throw new NotImplementedError(TODO);
  }
}
