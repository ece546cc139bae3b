/**
 * Types shared by the parts of the LSM-tree (exercise 2). Given: the same in `chapters/` and
 * `solutions/`.
 * @module
 */

/**
 * What a layer of the LSM-tree (the memtable or one SSTable) knows about a key: its newest value
 * in that layer, or `null`, a *tombstone*, meaning "deleted here; ignore every older layer".
 */
export type Stored = Uint8Array | null;

/** A key and what one layer stores for it. */
export interface StoredEntry {
  readonly key: Uint8Array;
  readonly value: Stored;
}

/** Bounds and direction of an internal scan: `[start, end)`, either bound optional. */
export interface ScanBounds {
  readonly start?: Uint8Array | undefined;
  readonly end?: Uint8Array | undefined;
  readonly reverse?: boolean | undefined;
}
