/**
 * Exercise 1.1: the checksummed frame every log record is written in (the Bitcask log and the
 * LSM-tree's write-ahead log). See the notes, "1.1 Log records".
 *
 * Format (all integers unsigned 32-bit little-endian):
 *
 * ```text
 * frame := length:u32  lengthCrc:u32  payloadCrc:u32  payload[length]
 *          lengthCrc  = crc32c(the 4 bytes of length)
 *          payloadCrc = crc32c(payload)
 * ```
 *
 * Why two checksums: after a crash the last frame may be *torn* (only a prefix of it reached the
 * disk). A torn frame is an expected event and is dropped; a frame whose bytes changed is
 * corruption and must be reported. With the length checked on its own the reader can tell them
 * apart: a complete header with a wrong `lengthCrc`, or a complete frame with a wrong `payloadCrc`,
 * can only be corruption (a tear keeps a prefix of the real bytes, it never changes them), while a
 * frame that runs past the end of the file after a valid header is a torn tail.
 *
 * Zero bytes: a crash can leave a file longer than the data that reached it (its length grew, the
 * blocks holding the new bytes did not land), and the missing bytes read as zeros. No frame is all
 * zeros (the checksum of a zero length is not zero), so a tail that is all zero bytes after the
 * last complete frame is a torn tail too. Zeros followed by any non-zero byte are not: a hole in
 * the middle of a log, before data that did land, is reported as corruption.
 * @module
 */

import { crc32c } from '../../shared/checksum.js';
import { CorruptionError } from '../../shared/errors.js';

/** Bytes before the payload: length, checksum of the length, checksum of the payload. */
export const FRAME_HEADER_BYTES = 4 + 4 + 4;

/** One complete, verified frame found in a log. */
export interface Frame {
  /** Offset of the frame's first header byte in the file. */
  readonly offset: number;
  /** The payload (a view into the scanned bytes; copy it to keep it). */
  readonly payload: Uint8Array;
}

/** What {@link scanFrames} found. */
export interface FrameScan {
  /** Every complete frame, in file order. */
  readonly frames: Frame[];
  /** Length of the valid prefix: the end of the last complete frame. */
  readonly validBytes: number;
  /** Bytes after `validBytes`: a torn frame to drop (0 when the log ended cleanly). */
  readonly tornBytes: number;
}

/** Frames `payload`: header then payload, ready to append to a log. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  out.set(payload, FRAME_HEADER_BYTES);
  writeFrameHeader(out, 0, payload.length);
  return out;
}

/**
 * Frames a payload in place: writes the header at `at` for the `payloadLength` bytes already at
 * `at + FRAME_HEADER_BYTES`. A writer that encodes records straight into one reused buffer
 * (the write-ahead log) frames them without copying.
 */
export function writeFrameHeader(buffer: Uint8Array, at: number, payloadLength: number): void {
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const start = at + FRAME_HEADER_BYTES;
  view.setUint32(at, payloadLength, true);
  view.setUint32(at + 4, crc32c(buffer, at, at + 4), true);
  view.setUint32(at + 8, crc32c(buffer, start, start + payloadLength), true);
}

/**
 * Reads every frame of a log's bytes. A torn tail (an incomplete header, a valid header whose
 * payload runs past the end, or nothing but zero bytes after the last frame) is reported in
 * `tornBytes`, not raised. A header or payload whose checksum fails, with any non-zero byte from
 * there to the end, raises a `CorruptionError` naming `file` and the frame's offset.
 */
export function scanFrames(bytes: Uint8Array, file: string): FrameScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: Frame[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + FRAME_HEADER_BYTES > bytes.length) break; // torn inside the header
    const length = view.getUint32(at, true);
    const start = at + FRAME_HEADER_BYTES;
    if (view.getUint32(at + 4, true) !== crc32c(bytes, at, at + 4)) {
      if (isZero(bytes, at, bytes.length)) break; // zero-filled blocks past the last frame: torn
      const detail = isZero(bytes, at, start)
        ? 'zero bytes where a record should start, and data after them: a hole in the log, not a torn tail'
        : 'the checksum of the record length does not match';
      throw new CorruptionError(file, at, detail);
    }
    if (start + length > bytes.length) break; // torn inside the payload
    if (view.getUint32(at + 8, true) !== crc32c(bytes, start, start + length)) {
      throw new CorruptionError(file, at, 'the checksum of the record payload does not match');
    }
    frames.push({ offset: at, payload: bytes.subarray(start, start + length) });
    at = start + length;
  }
  return { frames, validBytes: at, tornBytes: bytes.length - at };
}

/** True when every byte of `bytes` in `[from, to)` is zero. */
function isZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}
