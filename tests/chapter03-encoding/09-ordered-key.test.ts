import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes, startsWith } from '../../shared/bytes.js';
import { DecodeError, UsageError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { compareKeys, encodeKey, type KeyPart } from '../../shared/tuple-key.js';
import { decodeOrderedKey, encodeOrderedKey } from '@impl/chapter03-encoding/ordered-key.js';

const NOTES = '3.7 Order-preserving keys';
const sign = (n: number) => Math.sign(n);

const scalar: fc.Arbitrary<KeyPart> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.integer({ min: -1000, max: 1000 }).map(BigInt),
  fc.double({ noNaN: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
  fc.integer({ min: -5, max: 5 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom('', '\u0000', 'a\u0000b', 'a', 'ab'),
  fc.uint8Array({ maxLength: 4 }),
  fc.constantFrom(Uint8Array.of(0), Uint8Array.of(0, 0xff), Uint8Array.of(0xff)),
);
const part: fc.Arbitrary<KeyPart> = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) });
const tuple = fc.array(part, { maxLength: 4 });

describe('3.7 order-preserving keys', () => {
  it('encodes every tuple exactly as shared/tuple-key.ts does', () => {
    checkProperty(
      fc.property(tuple, (t) => {
        expect([...encodeOrderedKey(t)], because('the format is the one the notes describe, byte for byte', NOTES)).toEqual([...encodeKey(t)]);
      }),
      { numRuns: 300 },
    );
  });

  it('bytewise order of encodings equals tuple order', () => {
    checkProperty(
      fc.property(tuple, tuple, (a, b) => {
        const bytes = sign(compareBytes(encodeOrderedKey(a), encodeOrderedKey(b)));
        expect(bytes, because('comparing encodings must agree with comparing the tuples', NOTES)).toBe(sign(compareKeys(a, b)));
      }),
      { numRuns: 500 },
    );
  });

  it('decoding an encoding gives the tuple back', () => {
    checkProperty(
      fc.property(tuple, (t) => {
        expect(decodeOrderedKey(encodeOrderedKey(t))).toEqual(t);
      }),
    );
  });

  it('a tuple encodes to a byte prefix of every longer tuple that starts with it', () => {
    checkProperty(
      fc.property(tuple, tuple, (a, b) => {
        expect(startsWith(encodeOrderedKey([...a, ...b]), encodeOrderedKey(a)), because('prefix scans find all keys under a prefix', NOTES)).toBe(true);
      }),
    );
  });

  it('numbers sort numerically: negatives first, -0 equal to 0, infinities at the ends', () => {
    const values = [3, -1, 0.5, -1e300, 0, -0.25, Infinity, -Infinity, 2 ** 53, -(2 ** -1074)];
    const sorted = values.map((n) => encodeOrderedKey([n])).sort(compareBytes).map((k) => decodeOrderedKey(k)[0]);
    expect(sorted, because('negative floats must sort before positive ones, larger magnitudes lower', NOTES)).toEqual([-Infinity, -1e300, -1, -0.25, -(2 ** -1074), 0, 0.5, 3, 2 ** 53, Infinity]);
    expect([...encodeOrderedKey([-0])]).toEqual([...encodeOrderedKey([0])]);
  });

  it('bigints sort numerically across the whole int64 range', () => {
    const values = [5n, -1n, 0n, -(2n ** 63n), 2n ** 63n - 1n, -2n, 256n];
    const sorted = values.map((n) => encodeOrderedKey([n])).sort(compareBytes).map((k) => decodeOrderedKey(k)[0]);
    expect(sorted, because('two\'s complement puts negatives last; the sign bit must be flipped', NOTES)).toEqual([-(2n ** 63n), -2n, -1n, 0n, 5n, 256n, 2n ** 63n - 1n]);
  });

  it('strings: a prefix sorts first, and an embedded 0x00 does not end the string', () => {
    const values = ['b', 'a\u0000', 'a', 'a\u0000\u0000', 'ab', ''];
    const sorted = values.map((s) => encodeOrderedKey([s, 1n])).sort(compareBytes).map((k) => decodeOrderedKey(k)[0]);
    expect(sorted).toEqual(['', 'a', 'a\u0000', 'a\u0000\u0000', 'ab', 'b']);
  });

  it('types order null < false < true < bigint < number < string < bytes < tuple', () => {
    const parts: KeyPart[] = [[1n], Uint8Array.of(0), 'a', 1.5, 7n, true, false, null];
    const sorted = parts.map((p) => encodeOrderedKey([p])).sort(compareBytes).map((k) => decodeOrderedKey(k)[0]);
    expect(sorted).toEqual([null, false, true, 7n, 1.5, 'a', Uint8Array.of(0), [1n]]);
  });

  it('NaN and bigints outside int64 are usage errors', () => {
    expect(() => encodeOrderedKey([Number.NaN])).toThrow(UsageError);
    expect(() => encodeOrderedKey([2n ** 63n])).toThrow(UsageError);
    expect(() => encodeOrderedKey([-(2n ** 63n) - 1n])).toThrow(UsageError);
  });

  it('malformed keys are DecodeErrors naming the offset', () => {
    const cases: Array<[number[], number]> = [
      [[0x99], 0],
      [[0x05, 0x20, 1, 2], 2],
      [[0x30, 0x61], 2],
      [[0x40, 0x05], 2],
      [[0x30, 0xc3, 0x28, 0x00], 1],
    ];
    for (const [bytes, offset] of cases) {
      try {
        decodeOrderedKey(Uint8Array.from(bytes));
        expect.unreachable(`decoding ${bytes.join(',')} must fail`);
      } catch (error) {
        expect(error, because('a malformed key is a DecodeError', NOTES)).toBeInstanceOf(DecodeError);
        expect((error as DecodeError).offset, because(`the offset of the problem in ${bytes.join(',')}`, NOTES)).toBe(offset);
      }
    }
  });
});
