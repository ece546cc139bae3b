import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../shared/bytes.js';
import { CorruptionError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { encodeFrame, FRAME_HEADER_BYTES, scanFrames, writeFrameHeader } from '@impl/chapter02-storage-engines/log-record.js';
import { b, s, zeroTailLengths } from './helpers.js';

const SECTION = '1.1 Log records';

function log(...payloads: string[]): Uint8Array {
  return concatBytes(...payloads.map((p) => encodeFrame(b(p))));
}

describe('1.1 log records', () => {
  it('a frame is a 12-byte header and the payload, and scanning returns each payload with its offset', () => {
    expect(encodeFrame(b('hello')).length).toBe(FRAME_HEADER_BYTES + 5);
    const scan = scanFrames(log('one', '', 'three'), 'x.log');
    expect(scan.frames.map((f) => s(f.payload))).toEqual(['one', '', 'three']);
    expect(scan.frames.map((f) => f.offset)).toEqual([0, 15, 27]);
    expect(scan.validBytes).toBe(32 + 12);
    expect(scan.tornBytes).toBe(0);
  });

  it('a header written in place in front of a payload gives the bytes of encodeFrame, wherever in the buffer', () => {
    const payload = b('framed in place');
    const frameBytes = FRAME_HEADER_BYTES + payload.length;
    const buffer = new Uint8Array(7 + frameBytes + 5).fill(0xaa);
    buffer.set(payload, 7 + FRAME_HEADER_BYTES);
    writeFrameHeader(buffer.subarray(2), 5, payload.length); // a view that starts inside its buffer, too
    expect(
      buffer.subarray(7, 7 + frameBytes),
      because('writeFrameHeader(buffer, at, n) frames the n bytes at at + 12 exactly as encodeFrame would; here buffer is a view starting 2 bytes into its ArrayBuffer, so a DataView must use its byteOffset', SECTION),
    ).toEqual(encodeFrame(payload));
    expect([...buffer.subarray(0, 7), ...buffer.subarray(7 + frameBytes)], because('bytes outside the frame are left alone', SECTION)).toEqual(
      new Array(12).fill(0xaa),
    );
  });

  it('a torn tail (any strict prefix of the last frame) is reported, not raised', () => {
    const whole = log('first', 'second record');
    const firstEnd = FRAME_HEADER_BYTES + 5;
    for (let cut = firstEnd; cut < whole.length; cut++) {
      const scan = scanFrames(whole.subarray(0, cut), 'x.log');
      expect(scan.frames.map((f) => s(f.payload)), because('complete frames before a torn one are kept', SECTION)).toEqual(['first']);
      expect(scan.validBytes).toBe(firstEnd);
      expect(scan.tornBytes, because('the torn bytes are counted so recovery can cut them off', SECTION)).toBe(cut - firstEnd);
    }
  });

  it('a flipped byte anywhere in a complete frame raises a CorruptionError naming file and frame offset', () => {
    const whole = log('alpha', 'beta');
    const secondAt = FRAME_HEADER_BYTES + 5;
    for (let i = 0; i < whole.length; i++) {
      const bad = whole.slice();
      bad[i]! ^= 0x10;
      let error: unknown;
      try {
        scanFrames(bad, 'db/000001.log');
      } catch (e) {
        error = e;
      }
      expect(error, because(`flipping byte ${i} is corruption, not a torn tail`, SECTION)).toBeInstanceOf(CorruptionError);
      const c = error as CorruptionError;
      expect(c.file).toBe('db/000001.log');
      expect(c.offset, because('the error names the offset of the damaged frame', SECTION)).toBe(i < secondAt ? 0 : secondAt);
    }
  });

  it('an all-zero tail after the last frame is torn, whatever its length (a crash grew the file, its blocks did not land)', () => {
    const whole = log('first', 'second record');
    for (const zeros of zeroTailLengths(whole.length)) {
      const scan = scanFrames(concatBytes(whole, new Uint8Array(zeros)), 'x.log');
      const why = `${zeros} zero bytes after the last frame are a zero-filled tail: torn, not corruption, and not records`;
      expect(scan.frames.map((f) => s(f.payload)), because(why, SECTION)).toEqual(['first', 'second record']);
      expect(scan.validBytes, because(why, SECTION)).toBe(whole.length);
      expect(scan.tornBytes, because(`${why}; tornBytes counts them so recovery cuts them off`, SECTION)).toBe(zeros);
    }
    const onlyZeros = scanFrames(new Uint8Array(4096), 'x.log');
    expect(onlyZeros, because('a log of nothing but zeros has no frame: all of it is a torn tail', SECTION)).toEqual({ frames: [], validBytes: 0, tornBytes: 4096 });
  });

  it('zero bytes followed by a frame are a hole in the log: a CorruptionError at the first zero, never skipped', () => {
    const first = log('first');
    for (const zeros of [1, FRAME_HEADER_BYTES, 100, 4096]) {
      let error: unknown;
      try {
        scanFrames(concatBytes(first, new Uint8Array(zeros), log('after the hole')), 'db/000001.log');
      } catch (e) {
        error = e;
      }
      expect(error, because(`${zeros} zero bytes with a frame after them: data landed after a hole, so the hole is not a torn tail`, SECTION)).toBeInstanceOf(
        CorruptionError,
      );
      expect((error as CorruptionError).offset, because('the error names the offset where the zeros start', SECTION)).toBe(first.length);
    }
  });

  it('scanning a view that starts inside a larger buffer reads the same frames', () => {
    const whole = log('one', 'two');
    const backing = new Uint8Array(whole.length + 3);
    backing.set(whole, 3);
    const scan = scanFrames(backing.subarray(3), 'x.log');
    expect(
      scan.frames.map((f) => s(f.payload)),
      because('bytes may be a view 3 bytes into its ArrayBuffer: a DataView must use its byteOffset', SECTION),
    ).toEqual(['one', 'two']);
  });

  it('an empty log has no frames and nothing torn', () => {
    expect(scanFrames(new Uint8Array(0), 'x')).toEqual({ frames: [], validBytes: 0, tornBytes: 0 });
  });
});
