import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { BloomFilter, hashKey } from '@impl/chapter02-storage-engines/bloom-filter.js';

const SECTION = '2.4 Bloom filters';

describe('2.4 Bloom filters', () => {
  it('never answers "absent" for a key that was added (no false negatives)', () => {
    checkProperty(
      fc.property(fc.array(fc.uint8Array({ maxLength: 20 }), { maxLength: 200 }), fc.integer({ min: 1, max: 16 }), (keys, bitsPerKey) => {
        const filter = BloomFilter.create(keys.length, bitsPerKey);
        for (const k of keys) filter.add(k);
        for (const k of keys) expect(filter.mayContain(k), because('a Bloom filter has no false negatives', SECTION)).toBe(true);
      }),
    );
  });

  it('uses k = round(bits per key × ln 2) probes: 7 at 10 bits per key', () => {
    expect(BloomFilter.create(1000, 10).hashCount).toBe(7);
    expect(BloomFilter.create(1000, 10).bitCount).toBeGreaterThanOrEqual(10_000);
  });

  it('at 10 bits per key the false-positive rate is within 20% of (1 − e^(−kn/m))^k', () => {
    const random = new Random(42);
    const n = 10_000;
    const filter = BloomFilter.create(n, 10);
    for (let i = 0; i < n; i++) filter.add(random.bytes(16));
    const probes = 100_000;
    let falsePositives = 0;
    for (let i = 0; i < probes; i++) {
      // A fresh random 16-byte key equals an added one with probability about 2^-114: absent.
      if (filter.mayContain(random.bytes(16))) falsePositives++;
    }
    const { hashCount: k, bitCount: m } = filter;
    const theory = (1 - Math.exp((-k * n) / m)) ** k;
    const measured = falsePositives / probes;
    const why =
      measured < theory
        ? 'far fewer false positives than theory: do some probes land outside [0, m), for example at negative positions from `| 0`?'
        : 'more false positives than theory: the k probes must be independent, (h1 + i·h2) mod m';
    expect(Math.abs(measured - theory) / theory, because(`measured ${measured.toFixed(5)} vs theory ${theory.toFixed(5)}: ${why}`, SECTION)).toBeLessThan(0.2);
  });

  it('adding a key by its hash (addHash) sets exactly the bits that adding the key sets', () => {
    const random = new Random(9);
    const keys = Array.from({ length: 300 }, () => random.bytes(12));
    const byKey = BloomFilter.create(keys.length, 10);
    const byHash = BloomFilter.create(keys.length, 10);
    for (const k of keys) byKey.add(k);
    for (const k of keys) byHash.addHash(hashKey(k));
    expect(byHash.toBytes(), because('addHash(hashKey(key)) must equal add(key): table writers build filters from hashes', SECTION)).toEqual(byKey.toBytes());
  });

  it('survives a round trip through its bytes', () => {
    const filter = BloomFilter.create(100, 10);
    const random = new Random(3);
    const keys = Array.from({ length: 100 }, () => random.bytes(8));
    for (const k of keys) filter.add(k);
    const copy = BloomFilter.fromBytes(filter.toBytes());
    expect(copy.hashCount).toBe(filter.hashCount);
    for (const k of keys) expect(copy.mayContain(k)).toBe(true);
    const absent = Array.from({ length: 1000 }, () => random.bytes(8));
    expect(absent.map((k) => copy.mayContain(k))).toEqual(absent.map((k) => filter.mayContain(k)));
  });
});
