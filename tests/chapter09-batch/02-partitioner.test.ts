import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { fnv1a32, partitionFor } from '@impl/chapter09-batch/partitioner.js';

const NOTES = 'The partitioner';

describe('9.1 A MapReduce engine: the partitioner', () => {
  it.each<[string, number]>([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('fnv1a32(%j) is the published FNV-1a test value', (text, expected) => {
    expect(fnv1a32(text), because('32-bit FNV-1a: xor each byte in, multiply by 0x01000193, from 0x811c9dc5', NOTES)).toBe(expected);
  });

  it('hashes the UTF-8 bytes, not UTF-16 code units', () => {
    // "é" is 0xc3 0xa9 in UTF-8; hashing the code unit 0xe9 instead gives another value.
    let expected = 0x811c9dc5;
    for (const byte of [0xc3, 0xa9]) expected = Math.imul(expected ^ byte, 0x01000193);
    expect(fnv1a32('é'), because('the hash is of the key\'s UTF-8 bytes, so every language\'s workers agree', NOTES)).toBe(expected >>> 0);
  });

  it('a key\'s partition depends on the key and the partition count only, and is in range (property)', () => {
    checkProperty(
      fc.property(fc.string(), fc.integer({ min: 1, max: 64 }), (key, partitions) => {
        const p = partitionFor(key, partitions);
        expect(p).toBe(fnv1a32(key) % partitions);
        expect(p >= 0 && p < partitions && Number.isInteger(p), because('a partition is an integer in [0, partitions)', NOTES)).toBe(true);
      }),
    );
  });

  it('spreads keys over partitions roughly evenly', () => {
    const counts = new Array<number>(8).fill(0);
    for (let i = 0; i < 8000; i++) counts[partitionFor(`user:${i}`, 8)]!++;
    for (const n of counts) expect(n, because('a good hash gives each of 8 partitions about 1000 of 8000 keys', NOTES)).toBeGreaterThan(800);
  });

  it('a partition count below 1 is a UsageError', () => {
    expect(() => partitionFor('k', 0)).toThrow(UsageError);
  });
});
