import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, utf8 } from '../../shared/bytes.js';
import { crc32c, crc32cUpdate } from '../../shared/checksum.js';
import { checkProperty } from '../../shared/testing/property.js';

/** The textbook bit-at-a-time CRC-32C, the oracle for the table-driven one. */
function slowCrc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

describe('CRC-32C', () => {
  it('matches the published check values (RFC 3720 B.4)', () => {
    expect(crc32c(utf8('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('equals the bit-at-a-time definition on random inputs, whole or in pieces', () => {
    checkProperty(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        expect(crc32c(a)).toBe(slowCrc32c(a));
        expect(crc32cUpdate(crc32cUpdate(0, a), b)).toBe(crc32c(concatBytes(a, b)));
      }),
    );
  });

  it('equals the definition on long inputs at every alignment: views that start mid-buffer and odd ranges', () => {
    checkProperty(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.nat(), fc.nat(), fc.nat(7), (bytes, x, y, shift) => {
        const backing = new Uint8Array(bytes.length + shift);
        backing.set(bytes, shift);
        const view = backing.subarray(shift); // byteOffset = shift: word reads must not assume alignment
        const start = x % bytes.length;
        const end = start + (y % (bytes.length - start + 1));
        expect(crc32c(view, start, end)).toBe(slowCrc32c(bytes.slice(start, end)));
      }),
    );
  });

  it('a sub-range gives the checksum of those bytes alone', () => {
    const data = utf8('xx123456789yy');
    expect(crc32c(data, 2, 11)).toBe(0xe3069283);
  });
});
