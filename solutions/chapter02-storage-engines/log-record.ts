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

import { crc32c } from '../../shared/checksum.js';
import { CorruptionError } from '../../shared/errors.js';
import { SECTOR_BYTES } from '../../shared/fs/file-system.js';

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
  /** Bytes after `validBytes`: a torn or lost tail to drop (0 when the log ended cleanly). */
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
 * Reads every frame of a log's bytes (the whole file: `bytes[i]` is the byte at offset `i`). The
 * tail a crash damaged is reported in `tornBytes`, not raised: an incomplete header, a valid header
 * whose payload runs past the end, or a frame whose checksum fails where a sector is all zeros
 * (see `lostSector` below). Any other header or payload whose checksum fails raises a
 * `CorruptionError` naming `file` and the frame's offset.
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
      if (lostSector(bytes, at, start)) break; // the header never reached the disk
      throw new CorruptionError(file, at, 'the checksum of the record length does not match');
    }
    if (start + length > bytes.length) break; // torn inside the payload
    if (view.getUint32(at + 8, true) !== crc32c(bytes, start, start + length)) {
      if (lostSector(bytes, at, start + length)) break; // part of the frame never reached the disk
      throw new CorruptionError(file, at, 'the checksum of the record payload does not match');
    }
    frames.push({ offset: at, payload: bytes.subarray(start, start + length) });
    at = start + length;
  }
  return { frames, validBytes: at, tornBytes: bytes.length - at };
}

/**
 * True when, in one of the sectors that `bytes[from, to)` lies in, that range is all zeros: what a
 * sector the crash never wrote looks like. The range is cut at every multiple of
 * {@link SECTOR_BYTES}, and each piece is tested on its own.
 */
function lostSector(bytes: Uint8Array, from: number, to: number): boolean {
  for (let piece = from; piece < to; ) {
    const end = Math.min(to, (Math.floor(piece / SECTOR_BYTES) + 1) * SECTOR_BYTES);
    let zeros = true;
    for (let i = piece; i < end && zeros; i++) zeros = bytes[i] === 0;
    if (zeros) return true;
    piece = end;
  }
  return false;
}
