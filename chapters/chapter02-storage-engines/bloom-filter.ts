/**
 * Exercise 2.4: a Bloom filter, so that a read can skip every SSTable that cannot hold its key.
 * See the notes, "2.4 Bloom filters".
 *
 * `m` bits, `k` probe positions per key. `add` sets the k bits of a key; `mayContain` answers
 * "maybe" only if all k are set. A key that was added always answers "maybe" (no false
 * negatives); an absent key answers "maybe" with probability about (1 − e^(−kn/m))^k, smallest
 * when k = (m/n)·ln 2: 0.8% at 10 bits per key with k = 7.
 *
 * The k positions come from two 32-bit hashes by double hashing (Kirsch and Mitzenmacher, 2006):
 * `position_i = (h1 + i·h2) mod m`, as good as k independent hashes and far cheaper.
 *
 * Serialized form (what an SSTable stores): `bits[ceil(m/8)]  k:u8`, with m = 8·bits.length.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';

const TODO = { exercise: '2.4 Bloom filters', file: 'chapter02-storage-engines/bloom-filter.ts', section: '2.4 Bloom filters' };

/** A set of keys with one-sided error: no false negatives, rare false positives. */
export class BloomFilter {
  /** Number of bits, m. */
  readonly bitCount: number;
  /** Number of probes per key, k. */
  readonly hashCount: number;

  private constructor(bits: Uint8Array, hashCount: number) {
    this.bitCount = bits.length * 8;
    this.hashCount = hashCount;
  }

  /**
   * An empty filter sized for `keyCount` keys at `bitsPerKey` bits each (at least 64 bits), with
   * k = round(bitsPerKey × ln 2) probes.
   */
  static create(keyCount: number, bitsPerKey: number): BloomFilter {
    throw new NotImplementedError(TODO);
  }

  /** Rebuilds a filter from {@link BloomFilter.toBytes}; a `UsageError` if malformed. */
  static fromBytes(bytes: Uint8Array): BloomFilter {
    throw new NotImplementedError(TODO);
  }

  /** Adds `key`: afterwards `mayContain(key)` is true. Probe i is at (h1 + i·h2) mod m. */
  add(key: Uint8Array): void {
    throw new NotImplementedError(TODO);
  }

  /**
   * {@link BloomFilter.add} for a key hashed with {@link hashKey}: sets exactly the bits `add`
   * would. A table writer hashes each key as it arrives and keeps only the two numbers.
   */
  addHash(hash: KeyHash): void {
    throw new NotImplementedError(TODO);
  }

  /** False only if `key` was certainly never added. */
  mayContain(key: Uint8Array): boolean {
    throw new NotImplementedError(TODO);
  }

  /**
   * {@link BloomFilter.mayContain} for a key hashed once with {@link hashKey}: a read that asks
   * several tables' filters about one key hashes it once.
   */
  mayContainHash(hash: KeyHash): boolean {
    throw new NotImplementedError(TODO);
  }

  /** The filter's bytes: the bit array, then k. */
  toBytes(): Uint8Array {
    throw new NotImplementedError(TODO);
  }
}

/** The two hashes that place a key's probes: probe i is at (h1 + i·h2) mod m. */
export interface KeyHash {
  readonly h1: number;
  readonly h2: number;
}

/**
 * Hashes `key` for {@link BloomFilter.mayContainHash}: two independent hashes (two seeds of
 * {@link murmur3}), with `h2` odd so that the probes never all coincide.
 */
export function hashKey(key: Uint8Array): KeyHash {
  throw new NotImplementedError(TODO);
}

/** MurmurHash3 (x86, 32-bit) of `key` with `seed`: fast, and well mixed in every output bit. */
export function murmur3(key: Uint8Array, seed: number): number {
  let h = seed >>> 0;
  const n = key.length;
  const blocks = n & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = key[i]! | (key[i + 1]! << 8) | (key[i + 2]! << 16) | (key[i + 3]! << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = n & 3;
  if (tail > 0) {
    let k = key[blocks]!;
    if (tail > 1) k |= key[blocks + 1]! << 8;
    if (tail > 2) k |= key[blocks + 2]! << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
