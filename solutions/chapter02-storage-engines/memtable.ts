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

import { compareBytes } from '../../shared/bytes.js';
import type { Random } from '../../shared/random.js';
import type { ScanBounds, Stored, StoredEntry } from './entry.js';

/** Levels of the skip list: 4^12 = 16M keys before the top level gets crowded. */
const MAX_LEVEL = 12;
/** Rough bookkeeping cost of one entry, counted in {@link Memtable.sizeBytes}. */
const ENTRY_OVERHEAD_BYTES = 32;

class Node {
  readonly key: Uint8Array;
  value: Stored;
  readonly next: Array<Node | undefined>;

  constructor(key: Uint8Array, value: Stored, level: number) {
    this.key = key;
    this.value = value;
    this.next = new Array<Node | undefined>(level);
  }
}

/** A sorted map from key to {@link Stored} (a value or a tombstone), as a skip list. */
export class Memtable {
  private readonly random: Random;
  // head.next[i] is the first node on level i; the head holds no key.
  private readonly head = new Node(new Uint8Array(0), null, MAX_LEVEL);
  // Scratch space for put: update[i] is the last node before the new key on level i.
  private readonly update = new Array<Node>(MAX_LEVEL);
  private level = 1;
  private count = 0;
  private bytes = 0;

  /** `random` draws node heights; a seeded one makes the structure reproducible. */
  constructor(random: Random) {
    this.random = random;
  }

  /** Number of distinct keys (tombstones included). */
  get size(): number {
    return this.count;
  }

  /** Approximate memory used: key and value bytes plus a fixed overhead per entry. */
  get sizeBytes(): number {
    return this.bytes;
  }

  /**
   * Sets `key` to `value` (`null` records a tombstone), replacing what the memtable held for it.
   * Stores the arrays given, without copying: the caller hands over ownership.
   */
  put(key: Uint8Array, value: Stored): void {
    const update = this.update;
    let node = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = node.next[i];
      while (next !== undefined && compareBytes(next.key, key) < 0) {
        node = next;
        next = node.next[i];
      }
      update[i] = node;
    }
    const found = node.next[0];
    if (found !== undefined && compareBytes(found.key, key) === 0) {
      this.bytes += (value?.length ?? 0) - (found.value?.length ?? 0);
      found.value = value;
      return;
    }
    const height = this.randomHeight();
    for (let i = this.level; i < height; i++) update[i] = this.head;
    this.level = Math.max(this.level, height);
    const fresh = new Node(key, value, height);
    for (let i = 0; i < height; i++) {
      fresh.next[i] = update[i]!.next[i];
      update[i]!.next[i] = fresh;
    }
    this.count++;
    this.bytes += key.length + (value?.length ?? 0) + ENTRY_OVERHEAD_BYTES;
  }

  /**
   * What the memtable holds for `key`: a value, `null` for a tombstone, or `undefined` when the
   * key is not in the memtable at all (older layers must be asked).
   */
  get(key: Uint8Array): Stored | undefined {
    const node = this.seekGreaterOrEqual(key);
    return node !== undefined && compareBytes(node.key, key) === 0 ? node.value : undefined;
  }

  /** Entries within `bounds` in key order (descending when `bounds.reverse`), tombstones included. */
  *entries(bounds: ScanBounds = {}): IterableIterator<StoredEntry> {
    const { start, end } = bounds;
    if (!bounds.reverse) {
      let node = start === undefined ? this.head.next[0] : this.seekGreaterOrEqual(start);
      while (node !== undefined && (end === undefined || compareBytes(node.key, end) < 0)) {
        yield node;
        node = node.next[0];
      }
      return;
    }
    // Nodes link forwards only; each backward step is a fresh O(log n) search for the last
    // node before the current key.
    let node = end === undefined ? this.last() : this.seekLess(end);
    while (node !== undefined && (start === undefined || compareBytes(node.key, start) >= 0)) {
      yield node;
      node = this.seekLess(node.key);
    }
  }

  private randomHeight(): number {
    let height = 1;
    while (height < MAX_LEVEL && (this.random.nextU32() & 3) === 0) height++;
    return height;
  }

  /** The first node whose key is >= `key`. */
  private seekGreaterOrEqual(key: Uint8Array): Node | undefined {
    let node = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = node.next[i];
      while (next !== undefined && compareBytes(next.key, key) < 0) {
        node = next;
        next = node.next[i];
      }
    }
    return node.next[0];
  }

  /** The last node whose key is < `key`. */
  private seekLess(key: Uint8Array): Node | undefined {
    let node = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      let next = node.next[i];
      while (next !== undefined && compareBytes(next.key, key) < 0) {
        node = next;
        next = node.next[i];
      }
    }
    return node === this.head ? undefined : node;
  }

  private last(): Node | undefined {
    let node = this.head;
    for (let i = this.level - 1; i >= 0; i--) {
      while (node.next[i] !== undefined) node = node.next[i]!;
    }
    return node === this.head ? undefined : node;
  }
}
