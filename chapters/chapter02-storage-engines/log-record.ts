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

import { NotImplementedError } from '../../shared/errors.js';

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

/**
 * Frames `payload`: the 12-byte header (length, crc32c of the length bytes, crc32c of the payload)
 * followed by the payload. Use `crc32c` from `shared/checksum.ts`.
 */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  throw new NotImplementedError({ exercise: '1.1 Log records', file: 'chapter02-storage-engines/log-record.ts', section: '1.1 Log records' });
}

/**
 * Frames a payload in place: writes the 12-byte header at `at` for the `payloadLength` bytes
 * already at `at + FRAME_HEADER_BYTES`, so that the bytes from `at` equal
 * `encodeFrame(payload)`. The write-ahead log (exercise 2.2) uses it to encode records into one
 * reused buffer without copying. `encodeFrame` can be written with it.
 */
export function writeFrameHeader(buffer: Uint8Array, at: number, payloadLength: number): void {
  throw new NotImplementedError({ exercise: '1.1 Log records', file: 'chapter02-storage-engines/log-record.ts', section: '1.1 Log records' });
}

/**
 * Reads every frame of a log's bytes, in order. Must make true: a torn tail (fewer than 12 header
 * bytes left, a valid header whose payload runs past the end, or only zero bytes from a frame
 * boundary to the end) is reported in `tornBytes` and never raised; a header whose length
 * checksum fails, or a complete payload whose checksum fails, raises a `CorruptionError` naming
 * `file` and the offset of that frame, unless every byte from that frame on is zero.
 */
export function scanFrames(bytes: Uint8Array, file: string): FrameScan {
  throw new NotImplementedError({ exercise: '1.1 Log records', file: 'chapter02-storage-engines/log-record.ts', section: '1.1 Log records' });
}
