/**
 * The ordered key-value interface: the seam every layer of the mini-database is built on.
 *
 * Chapter 01 maps tables, documents and graphs onto it; chapter 02's engines implement it on
 * files; chapters 04–08 replicate, partition and transact over it. Decisions, and why:
 *
 * - **Keys and values are bytes** (`Uint8Array`), and keys order by unsigned bytewise comparison
 *   ({@link compareBytes}). That is what real engines (LevelDB, RocksDB, FoundationDB) do, so a
 *   layer that works here works on any of them. Higher layers turn typed keys into bytes with an
 *   order-preserving encoding (`shared/tuple-key.ts`, built from scratch in chapter 03).
 * - **Synchronous.** Every method returns its result directly, never a `Promise`. The simulator is
 *   single-threaded and deterministic; with synchronous file I/O a crash can be injected between
 *   any two writes and the outcome is exact. Async would add interleavings that no test controls.
 * - **Ranges are half-open**: `start` inclusive, `end` exclusive, either may be omitted.
 *   Half-open ranges compose (split `[a, c)` into `[a, b)` and `[b, c)` with no overlap) and make
 *   prefix scans easy with {@link prefixEnd}.
 * - **A batch is atomic**: after a crash either every operation in it is visible or none is.
 *   Within a batch, later operations on the same key win.
 * - **Stored bytes are copied** on the way in and out: a caller mutating an array it passed to
 *   `put`, or got from `get`, never changes the store.
 * - Modifying the store while iterating a `scan` is a usage error: the write throws a
 *   `UsageError`, or the scan does at its next step, rather than skip or repeat entries. Collect
 *   the results first (`[...kv.scan(range)]`) if you need to write while reading. A scan that
 *   has finished, or that a `break` left, is over: writing after it is fine.
 *
 * `shared/testing/kv-contract.ts` tests these rules; every store runs it.
 * @module
 */

import { compareBytes, prefixEnd } from './bytes.js';

export { compareBytes, prefixEnd };

/** A half-open key range `[start, end)` with optional direction and limit. */
export interface KeyRange {
  /** Inclusive lower bound; omitted means "from the first key". */
  readonly start?: Uint8Array;
  /** Exclusive upper bound; omitted means "to the last key". */
  readonly end?: Uint8Array;
  /** Yield keys in descending order (still within `[start, end)`). */
  readonly reverse?: boolean;
  /** Stop after this many entries. */
  readonly limit?: number;
}

/** One key-value pair yielded by a scan. */
export interface Entry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/** One operation of an atomic batch. */
export type BatchOp =
  | { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly type: 'delete'; readonly key: Uint8Array };

/** An ordered key-value store. See the module comment for the rules every implementation keeps. */
export interface OrderedKV {
  /** The value stored under `key`, or `undefined` if there is none. */
  get(key: Uint8Array): Uint8Array | undefined;
  /** Stores `value` under `key`, replacing any previous value. */
  put(key: Uint8Array, value: Uint8Array): void;
  /** Removes `key`. Deleting an absent key is not an error. */
  delete(key: Uint8Array): void;
  /** The entries whose keys fall in `range`, in key order (descending if `range.reverse`). */
  scan(range?: KeyRange): IterableIterator<Entry>;
  /** Applies every operation, atomically. */
  batch(ops: readonly BatchOp[]): void;
}

/**
 * A store that owns durable resources (files): chapter 02's engines implement this, and so does
 * `shared/durable-memory-kv.ts`, the store nodes of the distributed chapters keep their state in.
 */
export interface DurableKV extends OrderedKV {
  /** Makes every acknowledged write durable (an fsync of whatever the engine has buffered). */
  sync(): void;
  /** Releases files. Closing again does nothing; any other later call throws a `UsageError`. */
  close(): void;
}

/** True when `key` falls inside `range`'s bounds (ignores `reverse` and `limit`). */
export function inRange(key: Uint8Array, range: KeyRange): boolean {
  if (range.start !== undefined && compareBytes(key, range.start) < 0) return false;
  if (range.end !== undefined && compareBytes(key, range.end) >= 0) return false;
  return true;
}

/** The range holding exactly the keys that start with `prefix`. */
export function prefixRange(prefix: Uint8Array): KeyRange {
  const end = prefixEnd(prefix);
  return end === undefined ? { start: prefix } : { start: prefix, end };
}
