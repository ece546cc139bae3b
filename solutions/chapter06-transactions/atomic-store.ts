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

import { crc32c } from '../../shared/checksum.js';
import { UsageError } from '../../shared/errors.js';
import type { FileHandle, FileSystem } from '../../shared/fs/file-system.js';
import type { BatchOp, DurableKV, Entry, KeyRange } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';

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
  private nextTxn = 1;
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
    this.checkOpen();
    if (ops.length === 0) return;
    const txn = this.nextTxn++;
    for (const op of ops) this.log.append(frame(encodeOp(txn, op)));
    this.log.append(frame(encodeCommit(txn, ops.length)));
    this.log.sync();
    this.memory.batch(ops);
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
    const bytes = this.log.read(0, this.log.size());
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const pending = new Map<number, BatchOp[]>();
    let at = 0;
    for (;;) {
      if (at + FRAME_HEADER_BYTES > bytes.length) break;
      const length = view.getUint32(at, true);
      const end = at + FRAME_HEADER_BYTES + length;
      if (length === 0 || end > bytes.length) break;
      const payload = bytes.subarray(at + FRAME_HEADER_BYTES, end);
      if (crc32c(payload) !== view.getUint32(at + 4, true)) break;
      const record = decodeRecord(payload);
      if (record === undefined) break;
      this.nextTxn = Math.max(this.nextTxn, record.txn + 1);
      if (record.type === 'commit') {
        const ops = pending.get(record.txn) ?? [];
        pending.delete(record.txn);
        if (ops.length === record.count) this.memory.batch(ops);
      } else {
        const ops = pending.get(record.txn) ?? [];
        ops.push(record.op);
        pending.set(record.txn, ops);
      }
      at = end;
    }
    if (at < bytes.length) {
      this.log.truncate(at);
      this.log.sync();
    }
  }

  private checkOpen(): void {
    if (this.closed) throw new UsageError('AtomicStore: the store is closed');
  }
}

type LogRecord =
  | { readonly type: 'op'; readonly txn: number; readonly op: BatchOp }
  | { readonly type: 'commit'; readonly txn: number; readonly count: number };

function frame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length, true);
  view.setUint32(4, crc32c(payload), true);
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

function encodeOp(txn: number, op: BatchOp): Uint8Array {
  const value = op.type === 'put' ? op.value : undefined;
  const out = new Uint8Array(1 + 4 + 4 + op.key.length + (value === undefined ? 0 : 4 + value.length));
  const view = new DataView(out.buffer);
  out[0] = value === undefined ? RecordType.delete : RecordType.put;
  view.setUint32(1, txn, true);
  view.setUint32(5, op.key.length, true);
  out.set(op.key, 9);
  if (value !== undefined) {
    view.setUint32(9 + op.key.length, value.length, true);
    out.set(value, 13 + op.key.length);
  }
  return out;
}

function encodeCommit(txn: number, count: number): Uint8Array {
  const out = new Uint8Array(9);
  const view = new DataView(out.buffer);
  out[0] = RecordType.commit;
  view.setUint32(1, txn, true);
  view.setUint32(5, count, true);
  return out;
}

/** The record in a payload whose checksum held, or `undefined` if it makes no sense. */
function decodeRecord(payload: Uint8Array): LogRecord | undefined {
  if (payload.length < 9) return undefined;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const txn = view.getUint32(1, true);
  if (payload[0] === RecordType.commit) return payload.length === 9 ? { type: 'commit', txn, count: view.getUint32(5, true) } : undefined;
  const keyLength = view.getUint32(5, true);
  if (9 + keyLength > payload.length) return undefined;
  const key = payload.slice(9, 9 + keyLength);
  if (payload[0] === RecordType.delete) return 9 + keyLength === payload.length ? { type: 'op', txn, op: { type: 'delete', key } } : undefined;
  if (payload[0] !== RecordType.put || 13 + keyLength > payload.length) return undefined;
  const valueLength = view.getUint32(9 + keyLength, true);
  if (13 + keyLength + valueLength !== payload.length) return undefined;
  return { type: 'op', txn, op: { type: 'put', key, value: payload.slice(13 + keyLength) } };
}
