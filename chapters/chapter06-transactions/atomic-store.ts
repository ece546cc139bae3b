/**
 * Exercise 6.1: atomic multi-key commits on a durable store.
 *
 * A transaction's writes reach the disk as several records, one per operation, followed by a
 * **commit record**; then the log is fsynced. The commit record is the commit point: recovery
 * applies a transaction's operations only if its commit record is there, so a crash at any I/O
 * call of a commit leaves all of it or none of it.
 *
 * Format of `dir/txn.log`, a sequence of frames: `length:u32 crc32c(payload):u32 payload`
 * (little-endian; `length` is the payload's, never 0). The payload's first byte is its type:
 *
 * | type | payload after the type byte |
 * |---|---|
 * | `0x01` put | `txn:u32 keyLength:u32 key valueLength:u32 value` |
 * | `0x02` delete | `txn:u32 keyLength:u32 key` |
 * | `0x03` commit | `txn:u32 count:u32` (how many operations the transaction wrote) |
 *
 * Fsync policy: every commit fsyncs before it returns, so a commit that returned survives any
 * crash. Recovery reads frames until the first that is cut short or fails its checksum (a crash
 * tore it, or left a sector of it unwritten), truncates the log there and fsyncs the cut.
 * @module
 */

import { NotImplementedError, UsageError } from '../../shared/errors.js';
import type { FileHandle, FileSystem } from '../../shared/fs/file-system.js';
import type { BatchOp, DurableKV, Entry, KeyRange } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';

const ATOMIC = { exercise: '6.1 Atomic commits', file: 'chapter06-transactions/atomic-store.ts', section: '6.1 Atomic commits' };

/** Frame header: payload length, payload checksum. */
export const FRAME_HEADER_BYTES = 4 + 4;
/** Record types, the first byte of a payload. */
export const RecordType = { put: 0x01, delete: 0x02, commit: 0x03 } as const;

/** How an {@link AtomicStore} is opened. */
export interface AtomicStoreOptions {
  /** The directory of the log; created if absent. */
  readonly dir: string;
}

/**
 * A durable ordered store whose every `batch` is a transaction: after a crash at any point, a
 * batch is visible whole or not at all, and a batch that returned is never lost. `put` and
 * `delete` are one-operation batches. Reads come from memory.
 */
export class AtomicStore implements DurableKV {
  private readonly memory = new MemoryKV();
  private readonly log: FileHandle;
  private closed = false;

  /** Opens (or creates) the store in `options.dir`, recovering every committed transaction. */
  constructor(fs: FileSystem, options: AtomicStoreOptions) {
    fs.mkdir(options.dir);
    const path = `${options.dir}/txn.log`;
    const existed = fs.exists(path);
    this.log = fs.open(path, 'create');
    if (!existed) fs.syncDir(options.dir); // the log's name must survive before any commit relies on it
    this.recover();
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.checkOpen();
    return this.memory.get(key);
  }

  scan(range?: KeyRange): IterableIterator<Entry> {
    this.checkOpen();
    return this.memory.scan(range);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.batch([{ type: 'put', key, value }]);
  }

  delete(key: Uint8Array): void {
    this.batch([{ type: 'delete', key }]);
  }

  /**
   * Commits `ops` as one transaction: one record per operation, then the commit record, then an
   * fsync; only then does memory change. A crash anywhere before the commit record is durable
   * loses the whole transaction.
   */
  batch(ops: readonly BatchOp[]): void {
    throw new NotImplementedError(ATOMIC);
  }

  /** Every commit is already durable when it returns; nothing to do. */
  sync(): void {
    this.checkOpen();
  }

  close(): void {
    if (this.closed) return;
    this.log.close();
    this.closed = true;
  }

  /** Replays committed transactions, drops the rest, and cuts a damaged tail off the log. */
  private recover(): void {
    throw new NotImplementedError(ATOMIC);
  }

  private checkOpen(): void {
    if (this.closed) throw new UsageError('AtomicStore: the store is closed');
  }
}
