import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, UsageError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { ByteReader, ByteWriter } from '@impl/chapter03-encoding/byte-io.js';
import {
  readVarint,
  readVarint32,
  readVarintBig,
  writeVarint,
  writeVarintBig,
  zigzagDecode,
  zigzagDecodeBig,
  zigzagEncode,
  zigzagEncodeBig,
} from '@impl/chapter03-encoding/varint.js';

const NOTES = '3.1 Varints and zigzag';

/** The oracle: LEB128 written the slow, obvious way with bigints. */
function leb128(value: bigint): number[] {
  const out: number[] = [];
  do {
    let byte = Number(value & 0x7fn);
    value >>= 7n;
    if (value > 0n) byte |= 0x80;
    out.push(byte);
  } while (value > 0n);
  return out;
}

function written(write: (w: ByteWriter) => void): number[] {
  const w = new ByteWriter(1); // start tiny so that growing is exercised
  write(w);
  return [...w.finish()];
}

function decodeErrorAt(run: () => unknown): DecodeError {
  try {
    run();
  } catch (error) {
    expect(error, because('malformed input raises a DecodeError', NOTES)).toBeInstanceOf(DecodeError);
    return error as DecodeError;
  }
  throw new Error('expected a DecodeError, but decoding succeeded');
}

describe('3.1 varints', () => {
  const boundaries: Array<[number, number[]]> = [
    [0, [0x00]],
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [300, [0xac, 0x02]],
    [16383, [0xff, 0x7f]],
    [16384, [0x80, 0x80, 0x01]],
    [2 ** 31 - 1, [0xff, 0xff, 0xff, 0xff, 0x07]],
    [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
    [2 ** 32 - 1, [0xff, 0xff, 0xff, 0xff, 0x0f]],
    [2 ** 32, [0x80, 0x80, 0x80, 0x80, 0x10]],
    [2 ** 53, leb128(2n ** 53n)],
  ];

  it.each(boundaries)('%d is written as its 7-bit groups, low group first, and read back', (value, bytes) => {
    expect(written((w) => writeVarint(w, value)), because('a varint holds 7 bits per byte, low bits first, high bit = "more follows"', NOTES)).toEqual(bytes);
    const r = new ByteReader(Uint8Array.from(bytes));
    expect(readVarint(r)).toBe(value);
    expect(r.pos, because('reading a varint consumes exactly its bytes', NOTES)).toBe(bytes.length);
  });

  it('bigint varints cover all 64 bits: 2^63 - 1, 2^63 and 2^64 - 1', () => {
    for (const value of [0n, 127n, 128n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n]) {
      const bytes = written((w) => writeVarintBig(w, value));
      expect(bytes, because('writeVarintBig writes the same LEB128 bytes as the number version', NOTES)).toEqual(leb128(value));
      expect(readVarintBig(new ByteReader(Uint8Array.from(bytes)))).toBe(value);
    }
    expect(written((w) => writeVarintBig(w, 2n ** 64n - 1n))).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it('readVarint gives a number up to 2^53 and a bigint above it', () => {
    expect(readVarint(new ByteReader(Uint8Array.from(leb128(2n ** 53n))))).toBe(2 ** 53);
    expect(readVarint(new ByteReader(Uint8Array.from(leb128(2n ** 53n + 1n)))), because('above 2^53 a double is no longer exact, so the value comes back as a bigint', NOTES)).toBe(2n ** 53n + 1n);
    expect(readVarint(new ByteReader(Uint8Array.from(leb128(2n ** 64n - 1n))))).toBe(2n ** 64n - 1n);
  });

  it('any integer in [0, 2^53] round-trips, in the fewest bytes', () => {
    checkProperty(
      fc.property(fc.integer({ min: 0, max: 2 ** 53 }), (value) => {
        const bytes = written((w) => writeVarint(w, value));
        expect(bytes).toEqual(leb128(BigInt(value)));
        expect(readVarint(new ByteReader(Uint8Array.from(bytes)))).toBe(value);
      }),
    );
  });

  it('any bigint in [0, 2^64) round-trips', () => {
    checkProperty(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (value) => {
        const bytes = written((w) => writeVarintBig(w, value));
        expect(bytes).toEqual(leb128(value));
        expect(readVarintBig(new ByteReader(Uint8Array.from(bytes)))).toBe(value);
      }),
    );
  });

  it('varints read back to back, each consuming only its own bytes', () => {
    const w = new ByteWriter();
    const values = [5, 300, 0, 2 ** 40, 127, 128];
    for (const v of values) writeVarint(w, v);
    const r = new ByteReader(w.finish());
    expect(values.map(() => readVarint(r))).toEqual(values);
    expect(r.atEnd()).toBe(true);
  });

  it('readVarint32 keeps the low 32 bits of a 10-byte sign-extended varint', () => {
    const minusOne = written((w) => writeVarintBig(w, 2n ** 64n - 1n));
    expect(readVarint32(new ByteReader(Uint8Array.from(minusOne))) | 0, because('Protocol Buffers writes int32 -1 as ten bytes; its low 32 bits are 0xffffffff', NOTES)).toBe(-1);
    expect(readVarint32(new ByteReader(Uint8Array.of(0xac, 0x02)))).toBe(300);
  });

  it('writing a negative, fractional or too large number is a usage error', () => {
    for (const bad of [-1, 1.5, 2 ** 53 + 2, Number.NaN]) {
      expect(() => writeVarint(new ByteWriter(), bad), because('only integers in [0, 2^53] have an exact varint', NOTES)).toThrow(UsageError);
    }
    expect(() => writeVarintBig(new ByteWriter(), -1n)).toThrow(UsageError);
    expect(() => writeVarintBig(new ByteWriter(), 2n ** 64n)).toThrow(UsageError);
  });

  it('a truncated varint is a DecodeError at its first byte', () => {
    const bytes = Uint8Array.of(0x01, 0x80, 0x80);
    const r = new ByteReader(bytes);
    expect(readVarint(r)).toBe(1);
    expect(decodeErrorAt(() => readVarint(r)).offset, because('the error names the offset where the varint starts', NOTES)).toBe(1);
    expect(decodeErrorAt(() => readVarintBig(new ByteReader(bytes, 1))).offset).toBe(1);
    expect(decodeErrorAt(() => readVarint32(new ByteReader(bytes, 1))).offset).toBe(1);
    expect(decodeErrorAt(() => readVarint(new ByteReader(new Uint8Array(0)))).offset).toBe(0);
  });

  it('a varint longer than 10 bytes, or over 64 bits, is a DecodeError', () => {
    const eleven = Uint8Array.of(0x00, ...new Array<number>(10).fill(0x80), 0x01);
    for (const read of [readVarint, readVarintBig, readVarint32]) {
      expect(decodeErrorAt(() => read(new ByteReader(eleven, 1))).offset, because('a 64-bit varint has at most 10 bytes', NOTES)).toBe(1);
    }
    const overflow = Uint8Array.of(...new Array<number>(9).fill(0xff), 0x02);
    expect(decodeErrorAt(() => readVarintBig(new ByteReader(overflow))).offset, because('the 10th byte carries only bit 63', NOTES)).toBe(0);
  });
});

describe('3.1 zigzag', () => {
  const table: Array<[number, number]> = [
    [0, 0],
    [-1, 1],
    [1, 2],
    [-2, 3],
    [63, 126],
    [-64, 127],
    [64, 128],
    [127, 254],
    [128, 256],
    [2 ** 31 - 1, 2 ** 32 - 2],
    [-(2 ** 31), 2 ** 32 - 1],
    [2 ** 31, 2 ** 32],
    [-(2 ** 31) - 1, 2 ** 32 + 1],
    [2 ** 52, 2 ** 53],
    [-(2 ** 52), 2 ** 53 - 1],
  ];

  it.each(table)('zigzag(%d) = %d and back', (n, z) => {
    expect(zigzagEncode(n), because('zigzag interleaves: 0, -1, 1, -2, 2, … become 0, 1, 2, 3, 4, …', NOTES)).toBe(z);
    expect(zigzagDecode(z)).toBe(n);
  });

  it('the bigint variant reaches 2^63 - 1 and -2^63', () => {
    const table64: Array<[bigint, bigint]> = [
      [0n, 0n],
      [-1n, 1n],
      [1n, 2n],
      [-(2n ** 31n), 2n ** 32n - 1n],
      [2n ** 53n, 2n ** 54n],
      [-(2n ** 53n), 2n ** 54n - 1n],
      [2n ** 63n - 1n, 2n ** 64n - 2n],
      [-(2n ** 63n), 2n ** 64n - 1n],
    ];
    for (const [n, z] of table64) {
      expect(zigzagEncodeBig(n), because(`zigzag(${n}) is ${z}`, NOTES)).toBe(z);
      expect(zigzagDecodeBig(z)).toBe(n);
    }
  });

  it('zigzag and its inverse agree on every integer in range, number and bigint alike', () => {
    checkProperty(
      fc.property(fc.integer({ min: -(2 ** 52), max: 2 ** 52 }), (n) => {
        const z = zigzagEncode(n);
        expect(z).toBe(n >= 0 ? 2 * n : -2 * n - 1);
        expect(zigzagDecode(z)).toBe(n);
        expect(zigzagEncodeBig(BigInt(n))).toBe(BigInt(z));
      }),
    );
    checkProperty(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (n) => {
        expect(zigzagDecodeBig(zigzagEncodeBig(n))).toBe(n);
      }),
    );
  });

  it('small negative numbers get short varints once zigzagged', () => {
    const bytes = written((w) => writeVarint(w, zigzagEncode(-64)));
    expect(bytes, because('-64 zigzags to 127, one byte; as a sign-extended varint it would take ten', NOTES)).toEqual([0x7f]);
  });

  it('values outside the range are usage errors', () => {
    expect(() => zigzagEncode(2 ** 53)).toThrow(UsageError);
    expect(() => zigzagEncode(0.5)).toThrow(UsageError);
    expect(() => zigzagEncodeBig(2n ** 63n)).toThrow(UsageError);
    expect(() => zigzagDecodeBig(-1n)).toThrow(UsageError);
  });
});
