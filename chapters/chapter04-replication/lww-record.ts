/**
 * The stored form of a last-write-wins record: what `LwwLeader` (last-write-wins.ts) keeps under each key of
 * its ordered store. A delete is stored as a tombstone, not removed, so that an older write
 * arriving later cannot bring the key back.
 *
 * Format (all integers big-endian):
 *
 * | bytes | field                                             |
 * |-------|---------------------------------------------------|
 * | 1     | kind: `0x01` value, `0x00` tombstone              |
 * | 8     | timestamp, IEEE 754 float64                       |
 * | 2     | length `n` of the replica id in UTF-8 bytes       |
 * | n     | replica id                                        |
 * | rest  | the value (absent for a tombstone)                |
 * @module
 */

import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { DecodeError } from '../../shared/errors.js';
import type { LwwStamp } from './lww-register.js';

/** One stored version: a value, or a tombstone (`value` undefined), with its stamp. */
export interface LwwRecord {
  readonly value: Uint8Array | undefined;
  readonly stamp: LwwStamp;
}

const HEADER_BYTES = 1 + 8 + 2; // kind, timestamp, replica-id length

/** Encodes a record in the format above. */
export function encodeLwwRecord(record: LwwRecord): Uint8Array {
  const replica = utf8(record.stamp.replica);
  const value = record.value ?? new Uint8Array(0);
  const out = new Uint8Array(HEADER_BYTES + replica.length + value.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, record.value === undefined ? 0 : 1);
  view.setFloat64(1, record.stamp.timestamp);
  view.setUint16(9, replica.length);
  out.set(replica, HEADER_BYTES);
  out.set(value, HEADER_BYTES + replica.length);
  return out;
}

/** Decodes a record; throws a `DecodeError` naming the offset if the bytes are not one. */
export function decodeLwwRecord(bytes: Uint8Array): LwwRecord {
  if (bytes.length < HEADER_BYTES) throw new DecodeError(bytes.length, `a ${HEADER_BYTES}-byte record header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = view.getUint8(0);
  if (kind > 1) throw new DecodeError(0, 'kind 0x00 or 0x01', `found 0x${kind.toString(16)}`);
  const timestamp = view.getFloat64(1);
  const length = view.getUint16(9);
  if (HEADER_BYTES + length > bytes.length) throw new DecodeError(9, `a replica id of ${length} bytes`, 'record is truncated');
  const replica = fromUtf8(bytes.subarray(HEADER_BYTES, HEADER_BYTES + length));
  const value = kind === 1 ? bytes.slice(HEADER_BYTES + length) : undefined;
  return { value, stamp: { timestamp, replica } };
}
