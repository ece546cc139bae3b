/**
 * Exercise 2.6: compaction, which merges SSTables to bound how many a read must consult and to
 * reclaim the space of overwritten and deleted keys. See the notes, "2.6 Compaction".
 *
 * Policy: size-tiered. A table's *tier* is how many times bigger than a freshly flushed table it
 * is, on a log scale of base `fanIn`: tier = round(log_fanIn(size / baseBytes)), at least 0. When
 * `fanIn` tables in a row (in age order) share a tier, they are merged into one table, which then
 * belongs to the next tier up. Only tables adjacent in age are ever merged, so "newer table wins"
 * stays true of the merged result.
 * @module
 */

import type { StoredEntry } from './entry.js';
import { mergeSorted } from './merging-iterator.js';

/** What the policy needs to know about one table. */
export interface TableSize {
  readonly sizeBytes: number;
}

/** Tuning of the size-tiered policy. */
export interface TieringOptions {
  /** Size of a freshly flushed table (tier 0). */
  readonly baseBytes: number;
  /** How many tables of one tier are merged at once (at least 2). */
  readonly fanIn: number;
}

/** The tables `[start, end)` of the newest-first list to merge into one. */
export interface CompactionPick {
  readonly start: number;
  readonly end: number;
}

/** The tier of a table of `sizeBytes` (see the module comment). */
export function tierOf(sizeBytes: number, options: TieringOptions): number {
  if (sizeBytes <= options.baseBytes) return 0;
  return Math.max(0, Math.round(Math.log(sizeBytes / options.baseBytes) / Math.log(options.fanIn)));
}

/**
 * The newest run of adjacent tables (in the newest-first list `tables`) that share a tier and
 * number at least `fanIn`, or `undefined` when no run is long enough.
 */
export function pickCompaction(tables: readonly TableSize[], options: TieringOptions): CompactionPick | undefined {
  let start = 0;
  for (let i = 1; i <= tables.length; i++) {
    const sameTier = i < tables.length && tierOf(tables[i]!.sizeBytes, options) === tierOf(tables[start]!.sizeBytes, options);
    if (sameTier) continue;
    if (i - start >= options.fanIn) return { start, end: i };
    start = i;
  }
  return undefined;
}

/**
 * The entries of the merged table: for each key, only the newest version among `sources`
 * (newest first). Tombstones are kept unless `dropTombstones`, which is safe only when no table
 * older than the sources exists: a tombstone must outlive every older version it hides.
 */
export function* compactEntries(sources: ReadonlyArray<Iterable<StoredEntry>>, dropTombstones: boolean): IterableIterator<StoredEntry> {
  for (const entry of mergeSorted(sources)) {
    if (entry.value === null && dropTombstones) continue;
    yield entry;
  }
}
