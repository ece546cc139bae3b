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

  it('a frame with a sector the crash never wrote (all zeros) ends the log: it and every frame after it are reported, not raised', () => {
    // Five frames of 300 bytes: frame 1 spans sectors 0 and 1, frame 3 spans sectors 1 and 2.
    const payloads = ['a', 'b', 'c', 'd', 'e'].map((c) => c.repeat(300 - FRAME_HEADER_BYTES));
    const whole = log(...payloads);
    const cases: Array<[string, number, number, number]> = [
      // what was lost, from, to, the frame it damages
      ['sector 1, which holds the end of frame 1 and the header of frame 2', 512, 1024, 1],
      ['sector 2, inside the payload of frame 3', 1024, 1536, 3],
      ['the end of sector 0 after byte 300, where frame 1 starts: a sector whose synced part ends mid-way', 300, 512, 1],
      ['sector 1 from byte 600, inside the header of frame 2', 600, 1024, 2],
    ];
    for (const [what, from, to, frame] of cases) {
      const bytes = whole.slice();
      bytes.fill(0, from, to);
      let scan;
      try {
        scan = scanFrames(bytes, 'x.log');
      } catch (error) {
        throw new Error(because(`losing ${what} raised ${String(error)}: a checksum that fails over a zeroed sector is a write the crash lost, not corruption`, SECTION));
      }
      expect(scan.frames.map((f) => s(f.payload)), because(`losing ${what}: the frames before it are kept, and none after it, though later ones are intact (they were not synced either)`, SECTION)).toEqual(payloads.slice(0, frame));
      expect(scan.validBytes).toBe(300 * frame);
      expect(scan.tornBytes, because('everything from the damaged frame on is reported, so recovery can cut it off', SECTION)).toBe(whole.length - 300 * frame);
    }
  });

  it('zeros that fill no sector piece of a frame are corruption: a crash loses whole sectors', () => {
    const whole = log('a'.repeat(600), 'b'.repeat(600));
    for (const [from, to] of [[100, 108], [520, 1000], [700, 1023]]) {
      const bytes = whole.slice();
      bytes.fill(0, from, to);
      expect(() => scanFrames(bytes, 'x.log'), because(`zeroing bytes ${from} to ${to} does not zero any sector the frame lies in: that is damage, not a lost write`, SECTION)).toThrow(CorruptionError);
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
