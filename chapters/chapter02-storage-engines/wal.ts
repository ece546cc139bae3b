/**
 * Exercise 2.2: the write-ahead log. Every write reaches the log before the memtable, so that
 * after a crash the memtable can be rebuilt by replaying it. See the notes, "2.2 The write-ahead
 * log".
 *
 * Format: a sequence of `log-record.ts` frames, each holding one `write-batch.ts` batch. One
 * batch is one frame, so a batch survives a crash whole or not at all.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { FileHandle, FileSystem } from '../../shared/fs/file-system.js';
import type { BatchOp } from '../../shared/kv.js';
import type { SyncPolicy } from './sync-policy.js';

const TODO = { exercise: '2.2 The write-ahead log', file: 'chapter02-storage-engines/wal.ts', section: '2.2 The write-ahead log' };

/**
 * Appends batches to a log file under a {@link SyncPolicy}.
 *
 * Under `'none'` records may wait in an in-memory buffer of up to `bufferBytes` before they are
 * written to the file in one call (0 writes every record at once). Under `'every-write'` there is
 * no buffer: each record is written and fsynced before `append` returns.
 */
export class WalWriter {
  /** Writes to `file` (opened writable; records are appended) under `syncPolicy`. */
  constructor(file: FileHandle, syncPolicy: SyncPolicy, bufferBytes = 0) {
    void file;
    void syncPolicy;
    void bufferBytes;
  }

  /**
   * Appends `ops` as one record. Under `'every-write'` the record is written and fsynced before
   * this returns; under `'none'` it is written now, or when the buffer fills, and fsynced by
   * {@link WalWriter.sync}.
   */
  append(ops: readonly BatchOp[]): void {
    throw new NotImplementedError(TODO);
  }

  /** Writes any buffered records and makes every appended record durable. */
  sync(): void {
    throw new NotImplementedError(TODO);
  }

  /** Syncs and closes the file. */
  close(): void {
    throw new NotImplementedError(TODO);
  }
}

/** What {@link replayWal} recovered. */
export interface WalReplay {
  /** Every complete batch, in the order it was written. */
  readonly batches: BatchOp[][];
  /** Bytes of a torn tail (a torn record or zero bytes) that were dropped and cut off the file. */
  readonly droppedBytes: number;
}

/**
 * Reads every batch of the log at `path`. A torn tail (a torn last record, or nothing but zero
 * bytes after the last record: see `scanFrames`) is dropped and cut off the file (so that new
 * records are not appended after garbage), and the cut is synced. A record whose checksum fails
 * raises a `CorruptionError` naming the file and the record's offset.
 */
export function replayWal(fs: FileSystem, path: string): WalReplay {
  throw new NotImplementedError(TODO);
}
