/**
 * The payload of one log record: a batch of puts and deletes, applied atomically. Both the
 * Bitcask log (exercise 1) and the LSM-tree's write-ahead log (exercise 2.2) store batches in
 * this format, inside the checksummed frames of `log-record.ts`. A single `put` is a batch of one.
 *
 * Format, all integers unsigned 32-bit little-endian:
 *
 * ```text
 * batch   := count:u32  op × count
 * op      := 0x01 keyLength:u32 key valueLength:u32 value     (put)
 *          | 0x02 keyLength:u32 key                           (delete: a tombstone)
 * ```
 *
 * This file is given: it is the same in `chapters/` and `solutions/`.
 * @module
 */

import { CorruptionError } from '../../shared/errors.js';
import type { BatchOp } from '../../shared/kv.js';

/** Op type byte of a put. */
export const OP_PUT = 0x01;
/** Op type byte of a delete (a tombstone). */
export const OP_DELETE = 0x02;

/** Bytes of the batch payload of `ops`. */
export function batchBytes(ops: readonly BatchOp[]): number {
  let size = 4;
  for (const op of ops) size += 1 + 4 + op.key.length + (op.type === 'put' ? 4 + op.value.length : 0);
  return size;
}

/** Encodes `ops` as one batch payload. */
export function encodeBatch(ops: readonly BatchOp[]): Uint8Array {
  const out = new Uint8Array(batchBytes(ops));
  encodeBatchInto(ops, out, 0);
  return out;
}

/**
 * Encodes `ops` as one batch payload into `out` at `at`, which must have room for
 * `batchBytes(ops)` bytes; returns the offset just after it. Writers that reuse one buffer
 * (the write-ahead log) encode with no allocation at all.
 */
export function encodeBatchInto(ops: readonly BatchOp[], out: Uint8Array, at: number): number {
  let i = writeU32(out, at, ops.length);
  for (const op of ops) {
    out[i++] = op.type === 'put' ? OP_PUT : OP_DELETE;
    i = writeU32(out, i, op.key.length);
    out.set(op.key, i);
    i += op.key.length;
    if (op.type === 'put') {
      i = writeU32(out, i, op.value.length);
      out.set(op.value, i);
      i += op.value.length;
    }
  }
  return i;
}

/** Writes `value` as an unsigned 32-bit little-endian integer at `at`; returns `at + 4`. */
function writeU32(out: Uint8Array, at: number, value: number): number {
  out[at] = value;
  out[at + 1] = value >>> 8;
  out[at + 2] = value >>> 16;
  out[at + 3] = value >>> 24;
  return at + 4;
}

/**
 * Decodes a batch payload. The bytes passed a checksum, so a malformed batch means a bug or
 * corruption the checksum missed: it raises a `CorruptionError` naming `file` and the payload's
 * `offset` in it. Keys and values are copies, never views of `payload`.
 */
export function decodeBatch(payload: Uint8Array, file: string, offset: number): BatchOp[] {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const fail = (detail: string): never => {
    throw new CorruptionError(file, offset, `malformed batch: ${detail}`);
  };
  const u32 = (at: number): number => (at + 4 <= payload.length ? view.getUint32(at, true) : fail('truncated length'));
  const bytes = (at: number, length: number): Uint8Array =>
    at + length <= payload.length ? payload.slice(at, at + length) : fail('length runs past the record');
  const count = u32(0);
  const ops: BatchOp[] = [];
  let at = 4;
  for (let i = 0; i < count; i++) {
    const type = payload[at++];
    const key = bytes(at + 4, u32(at));
    at += 4 + key.length;
    if (type === OP_PUT) {
      const value = bytes(at + 4, u32(at));
      at += 4 + value.length;
      ops.push({ type: 'put', key, value });
    } else if (type === OP_DELETE) {
      ops.push({ type: 'delete', key });
    } else {
      fail(`unknown op type ${String(type)}`);
    }
  }
  if (at !== payload.length) fail('bytes left over after the last op');
  return ops;
}
