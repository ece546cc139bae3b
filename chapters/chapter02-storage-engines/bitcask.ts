/**
 * Exercises 1.2 and 1.3: a Bitcask-style store. Every write is appended to a log; an in-memory
 * hash index maps each live key to the record that holds its newest value. See the notes,
 * "1.2 The hash index and recovery" and "1.3 Segments and merging".
 *
 * On disk, in the store's directory:
 *
 * ```text
 * NNNNNN.log      a segment: log records (log-record.ts frames holding write-batch.ts batches),
 *                 appended in order; only the newest segment is written to
 * NNNNNN.merged   the result of a merge: one put per live key of every segment numbered <= NNNNNN;
 *                 once it exists, those segments (and older merged files) are ignored
 * merge.tmp       a merge in progress; deleted on open
 * ```
 *
 * Recovery loads the newest `.merged` file, then replays every segment numbered after it, oldest
 * first. Only the newest segment may end in a torn tail (a torn record, or zero bytes: see
 * `scanFrames`), which is dropped (and cut off the file); a torn tail in an older segment means
 * data was lost in the middle: `CorruptionError`.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { FileSystem } from '../../shared/fs/file-system.js';
import type { BatchOp, DurableKV, Entry, KeyRange } from '../../shared/kv.js';
import type { SyncPolicy } from './sync-policy.js';

/** How a {@link Bitcask} store is laid out and when it syncs. */
export interface BitcaskOptions {
  /** Directory of the store, relative to the file system's root; created if missing. */
  readonly dir: string;
  /** See `sync-policy.ts`; default `'none'`. */
  readonly syncPolicy?: SyncPolicy;
  /** The active segment is closed and a new one started once it reaches this size (default 1 MiB). */
  readonly segmentBytes?: number;
  /** Merge automatically once this many closed segments exist (default 8; 0 never merges). */
  readonly mergeAfterSegments?: number;
}

const INDEX = { exercise: '1.2 The hash index and recovery', file: 'chapter02-storage-engines/bitcask.ts', section: '1.2 The hash index and recovery' };
const SEGMENTS = { exercise: '1.3 Segments and merging', file: 'chapter02-storage-engines/bitcask.ts', section: '1.3 Segments and merging' };

/**
 * A log-structured store with an in-memory hash index; see the module comment. Must make true:
 * each write is one frame appended to the active segment (fsynced first under `'every-write'`);
 * the index maps every live key to the frame holding its newest value; reopening rebuilds the
 * index by scanning the files; a read verifies the frame's checksums before returning a value.
 */
export class Bitcask implements DurableKV {
  /** Opens (or creates) the store in `options.dir`, rebuilding the index by scanning the files. */
  constructor(fs: FileSystem, options: BitcaskOptions) {
    void fs;
    void options;
    throw new NotImplementedError(INDEX);
  }

  /** Number of segment files (closed and active), for tests of rotation and merging. */
  get segmentCount(): number {
    throw new NotImplementedError(SEGMENTS);
  }

  /** The newest value of `key`, read from its frame on disk, or `undefined`. */
  get(key: Uint8Array): Uint8Array | undefined {
    throw new NotImplementedError(INDEX);
  }

  /** Appends a put record and points the index at it. */
  put(key: Uint8Array, value: Uint8Array): void {
    throw new NotImplementedError(INDEX);
  }

  /** Appends a tombstone and removes the key from the index. */
  delete(key: Uint8Array): void {
    throw new NotImplementedError(INDEX);
  }

  /** Appends all of `ops` as one record (atomic), then updates the index. */
  batch(ops: readonly BatchOp[]): void {
    throw new NotImplementedError(INDEX);
  }

  /** The live entries in `range`, sorted (the hash index has no order: sort the keys). */
  scan(range?: KeyRange): IterableIterator<Entry> {
    throw new NotImplementedError(INDEX);
  }

  /** Fsyncs the active segment. */
  sync(): void {
    throw new NotImplementedError(INDEX);
  }

  /** Syncs and closes every file; later calls throw a `UsageError`. */
  close(): void {
    throw new NotImplementedError(INDEX);
  }

  /**
   * Rewrites every closed segment into one merged file holding only the live keys they hold, then
   * deletes them. Crash-safe: the merged file is complete and durable before its name appears.
   */
  merge(): void {
    throw new NotImplementedError(SEGMENTS);
  }
}
