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
 * Why two checksums: after a crash the frames written since the last fsync may be damaged. That
 * is an expected event and they are dropped; a frame whose bytes changed is corruption and must be
 * reported. With the length checked on its own the reader can tell them apart. A crash damages a
 * log in two ways: it *tears* it (only a prefix reached the disk: a frame runs past the end of the
 * file after a valid header), or it *loses sectors* (a power cut writes the dirty sectors in any
 * order, and a sector it never wrote reads as zeros). So a frame whose checksum fails is a lost
 * write when one of the sectors it lies in is all zeros there, and corruption otherwise: a flipped
 * bit changes bytes, it does not zero a sector. Either way of losing stops the scan: every frame
 * after a lost one was written later, so it was not synced either.
 *
 * The same rule covers a file that a crash grew without its data (its length reached the disk, its
 * blocks did not, and they read as zeros): no frame header is all zeros (the checksum of a zero
 * length is not zero), so the first zero header is a lost write and the all-zero tail is cut off.
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
 * Reads every frame of a log's bytes, in order (the whole file: `bytes[i]` is the byte at offset
 * `i`). Must make true: a damaged tail is reported in `tornBytes` and never raised, and the scan
 * stops there. It is torn (fewer than 12 header bytes left, or a valid header whose payload runs
 * past the end) or lost: a header whose length checksum fails while its 12 bytes are all zeros in
 * one of the sectors they lie in, or a payload whose checksum fails while the frame's bytes are
 * all zeros in one of its sectors (cut the range at every multiple of `SECTOR_BYTES`, from
 * `shared/fs/file-system.ts`, and test each piece). Any other header whose length checksum fails,
 * or complete payload whose checksum fails, raises a `CorruptionError` naming `file` and the
 * offset of that frame.
 */
export function scanFrames(bytes: Uint8Array, file: string): FrameScan {
  throw new NotImplementedError({ exercise: '1.1 Log records', file: 'chapter02-storage-engines/log-record.ts', section: '1.1 Log records' });
}
