/**
 * A least-recently-used cache of decoded SSTable blocks, bounded in bytes. Given: the same in
 * `chapters/` and `solutions/`.
 *
 * Reads that hit the cache cost no I/O and no checksum: a block is verified once, when it is
 * read from the file, and cached blocks are never modified. A JavaScript `Map` iterates in
 * insertion order, so re-inserting an entry on every hit makes the first entry the least
 * recently used one: the one to evict.
 * @module
 */

/** An LRU map from a block's (table id, offset) to a value of a known size. */
export class BlockCache<T> {
  /** Capacity in bytes. */
  readonly capacityBytes: number;
  private readonly entries = new Map<number, { value: T; sizeBytes: number }>();
  private usedBytes = 0;
  private nextTableId = 1;
  /** Lookups that found their block. */
  hits = 0;
  /** Lookups that did not. */
  misses = 0;

  /** A cache holding at most `capacityBytes` (0 disables caching). */
  constructor(capacityBytes: number) {
    this.capacityBytes = capacityBytes;
  }

  /** A fresh id for a table, so that keys of different tables never collide (offsets < 4 GiB). */
  newTableId(): number {
    return this.nextTableId++;
  }

  /** The cached value, marking it most recently used. */
  get(tableId: number, offset: number): T | undefined {
    const key = tableId * 2 ** 32 + offset; // one number: cheaper than a string key
    const hit = this.entries.get(key);
    if (hit === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  /** Caches `value`, evicting least recently used entries to stay within capacity. */
  set(tableId: number, offset: number, value: T, sizeBytes: number): void {
    if (sizeBytes > this.capacityBytes) return;
    const key = tableId * 2 ** 32 + offset; // one number: cheaper than a string key
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.usedBytes -= old.sizeBytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { value, sizeBytes });
    this.usedBytes += sizeBytes;
    while (this.usedBytes > this.capacityBytes) {
      const oldest = this.entries.keys().next().value!; // the first key is the least recently used
      this.usedBytes -= this.entries.get(oldest)!.sizeBytes;
      this.entries.delete(oldest);
    }
  }
}
