/**
 * Exercise 2.2: the write-ahead log. Every write reaches the log before the memtable, so that
 * after a crash the memtable can be rebuilt by replaying it. See the notes, "2.2 The write-ahead
 * log".
 *
 * Format: a sequence of `log-record.ts` frames, each holding one `write-batch.ts` batch. One
 * batch is one frame, so a batch survives a crash whole or not at all.
 * @module
 */

import type { FileHandle, FileSystem } from '../../shared/fs/file-system.js';
import type { BatchOp } from '../../shared/kv.js';
import { FRAME_HEADER_BYTES, scanFrames, writeFrameHeader } from './log-record.js';
import type { SyncPolicy } from './sync-policy.js';
import { batchBytes, decodeBatch, encodeBatchInto } from './write-batch.js';

/**
 * Appends batches to a log file under a {@link SyncPolicy}.
 *
 * Under `'none'` records may wait in an in-memory buffer of up to `bufferBytes` before they are
 * written to the file in one call: one system call per buffer instead of one per write. Those
 * records are lost if the process dies before the buffer is written, so `bufferBytes` bounds
 * what a process crash can lose (0 writes every record at once). Under `'every-write'` there is
 * no buffer: each record is written and fsynced before `append` returns.
 */
export class WalWriter {
  private readonly file: FileHandle;
  private readonly syncPolicy: SyncPolicy;
  private readonly bufferBytes: number;
  // Records not yet written: the first `pending` bytes of one buffer, reused for every write.
  private buffer = new Uint8Array(0);
  private pending = 0;
  // Where the next write goes. Tracked here rather than asking the file its size on every
  // append: one system call per write instead of two.
  private offset: number;

  /** Writes to `file` (opened writable; records are appended) under `syncPolicy`. */
  constructor(file: FileHandle, syncPolicy: SyncPolicy, bufferBytes = 0) {
    this.file = file;
    this.syncPolicy = syncPolicy;
    this.bufferBytes = syncPolicy === 'every-write' ? 0 : bufferBytes;
    this.offset = file.size();
  }

  /**
   * Appends `ops` as one record. Under `'every-write'` the record is written and fsynced before
   * this returns; under `'none'` it is written now, or when the buffer fills, and fsynced by
   * {@link WalWriter.sync}.
   */
  append(ops: readonly BatchOp[]): void {
    // Encoded straight into the buffer, framed in place: no allocation per record.
    const payloadBytes = batchBytes(ops);
    this.reserve(FRAME_HEADER_BYTES + payloadBytes);
    const at = this.pending;
    encodeBatchInto(ops, this.buffer, at + FRAME_HEADER_BYTES);
    writeFrameHeader(this.buffer, at, payloadBytes);
    this.pending += FRAME_HEADER_BYTES + payloadBytes;
    if (this.pending >= this.bufferBytes) this.writeBuffer();
    if (this.syncPolicy === 'every-write') this.file.sync();
  }

  /** Writes any buffered records and makes every appended record durable. */
  sync(): void {
    this.writeBuffer();
    this.file.sync();
  }

  /** Syncs and closes the file. */
  close(): void {
    this.sync();
    this.file.close();
  }

  private reserve(bytes: number): void {
    if (this.pending + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(2 * this.buffer.length, this.pending + bytes, 4096));
    grown.set(this.buffer.subarray(0, this.pending));
    this.buffer = grown;
  }

  private writeBuffer(): void {
    if (this.pending === 0) return;
    this.file.write(this.offset, this.buffer.subarray(0, this.pending));
    this.offset += this.pending;
    this.pending = 0;
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
  const file = fs.open(path, 'readwrite');
  try {
    const scan = scanFrames(file.read(0, file.size()), path);
    const batches = scan.frames.map((f) => decodeBatch(f.payload, path, f.offset));
    if (scan.tornBytes > 0) {
      file.truncate(scan.validBytes);
      file.sync();
    }
    return { batches, droppedBytes: scan.tornBytes };
  } finally {
    file.close();
  }
}
