import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes, startsWith } from '../../shared/bytes.js';
import { DecodeError, UsageError } from '../../shared/errors.js';
import { checkProperty } from '../../shared/testing/property.js';
import { compareKeys, decodeKey, encodeKey, type KeyPart } from '../../shared/tuple-key.js';

const scalar: fc.Arbitrary<KeyPart> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.double({ noNaN: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
  fc.string({ unit: 'binary' }),
  fc.uint8Array({ maxLength: 4 }),
);
const part: fc.Arbitrary<KeyPart> = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
const tuple = fc.array(part, { maxLength: 4 });
const sign = (n: number) => Math.sign(n);

describe('order-preserving tuple keys', () => {
  it('bytewise order of encodings equals tuple order', () => {
    checkProperty(
      fc.property(tuple, tuple, (a, b) => {
        expect(sign(compareBytes(encodeKey(a), encodeKey(b)))).toBe(sign(compareKeys(a, b)));
      }),
      { numRuns: 500 },
    );
  });

  it('decode(encode(t)) gives t back', () => {
    checkProperty(
      fc.property(tuple, (t) => {
        expect(decodeKey(encodeKey(t))).toEqual(t);
      }),
    );
  });

  it('a tuple encodes to a byte prefix of every longer tuple that starts with it', () => {
    checkProperty(
      fc.property(tuple, tuple, (a, b) => {
        expect(startsWith(encodeKey([...a, ...b]), encodeKey(a))).toBe(true);
      }),
    );
  });

  it('negative numbers sort before positive ones, and -0 equals 0', () => {
    const keys = [3, -1, 0.5, -1e300, 0, -0.25].map((n) => encodeKey([n]));
    const sorted = [...keys].sort(compareBytes).map((k) => decodeKey(k)[0]);
    expect(sorted).toEqual([-1e300, -1, -0.25, 0, 0.5, 3]);
    expect(encodeKey([-0])).toEqual(encodeKey([0]));
  });

  it('NaN and out-of-range bigints are rejected with a usage error', () => {
    expect(() => encodeKey([NaN])).toThrow(UsageError);
    expect(() => encodeKey([2n ** 63n])).toThrow(UsageError);
  });

  it('malformed bytes raise a DecodeError naming the offset', () => {
    expect(() => decodeKey(Uint8Array.of(0x30, 0x61))).toThrow(DecodeError);
    try {
      decodeKey(Uint8Array.of(0x05, 0x99));
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).offset).toBe(1);
    }
  });
});
