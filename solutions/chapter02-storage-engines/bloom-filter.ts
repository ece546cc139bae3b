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
 * `position_i = (h1 + i·h2) mod m` (on the low 31 bits of the sum), as good as k independent
 * hashes and far cheaper.
 *
 * Serialized form (what an SSTable stores): `bits[ceil(m/8)]  k:u8`, with m = 8·bits.length.
 * @module
 */

import { UsageError } from '../../shared/errors.js';

/** A set of keys with one-sided error: no false negatives, rare false positives. */
export class BloomFilter {
  /** Number of bits, m. */
  readonly bitCount: number;
  /** Number of probes per key, k. */
  readonly hashCount: number;
  private readonly bits: Uint8Array;

  private constructor(bits: Uint8Array, hashCount: number) {
    this.bits = bits;
    this.bitCount = bits.length * 8;
    this.hashCount = hashCount;
  }

  /** An empty filter sized for `keyCount` keys at `bitsPerKey` bits each, with the best k. */
  static create(keyCount: number, bitsPerKey: number): BloomFilter {
    if (!(bitsPerKey > 0) || !Number.isInteger(keyCount) || keyCount < 0) {
      throw new UsageError(`BloomFilter.create: need keyCount >= 0 and bitsPerKey > 0, got ${keyCount} and ${bitsPerKey}`);
    }
    const bytes = Math.max(8, Math.ceil((keyCount * bitsPerKey) / 8));
    const k = Math.min(30, Math.max(1, Math.round(bitsPerKey * Math.LN2)));
    return new BloomFilter(new Uint8Array(bytes), k);
  }

  /** Rebuilds a filter from {@link BloomFilter.toBytes}; a `UsageError` if malformed. */
  static fromBytes(bytes: Uint8Array): BloomFilter {
    const k = bytes[bytes.length - 1];
    if (bytes.length < 2 || k === undefined || k < 1 || k > 30) {
      throw new UsageError(`BloomFilter.fromBytes: not a serialized filter (${bytes.length} bytes)`);
    }
    return new BloomFilter(bytes.slice(0, bytes.length - 1), k);
  }

  /** Adds `key`: afterwards `mayContain(key)` is true. */
  add(key: Uint8Array): void {
    this.addHash(hashKey(key));
  }

  /**
   * {@link BloomFilter.add} for a key hashed with {@link hashKey}: a table writer hashes each key
   * as it arrives, while its bytes are still in the CPU's cache, and keeps two numbers per key
   * instead of the key until the filter is built.
   */
  addHash(hash: KeyHash): void {
    const { h1, h2 } = hash;
    const m = this.bitCount;
    for (let i = 0; i < this.hashCount; i++) {
      // 31 bits of h1 + i·h2: a non-negative 32-bit integer, so `%` stays an integer division
      // (an unsigned value above 2^31 would make it a floating-point one, several times slower).
      const at = ((h1 + Math.imul(i, h2)) & 0x7fffffff) % m;
      this.bits[at >>> 3]! |= 1 << (at & 7);
    }
  }

  /** False only if `key` was certainly never added. */
  mayContain(key: Uint8Array): boolean {
    return this.mayContainHash(hashKey(key));
  }

  /**
   * {@link BloomFilter.mayContain} for a key hashed once with {@link hashKey}: a read that asks
   * several tables' filters about one key hashes it once.
   */
  mayContainHash(hash: KeyHash): boolean {
    const { h1, h2 } = hash;
    const m = this.bitCount;
    for (let i = 0; i < this.hashCount; i++) {
      const at = ((h1 + Math.imul(i, h2)) & 0x7fffffff) % m;
      if ((this.bits[at >>> 3]! & (1 << (at & 7))) === 0) return false;
    }
    return true;
  }

  /** The filter's bytes: the bit array, then k. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.bits.length + 1);
    out.set(this.bits);
    out[this.bits.length] = this.hashCount;
    return out;
  }
}

/** The two hashes that place a key's probes: probe i is at (h1 + i·h2) mod m. */
export interface KeyHash {
  readonly h1: number;
  readonly h2: number;
}

/** Hashes `key` for {@link BloomFilter.mayContainHash}: two independent MurmurHash3 seeds. */
export function hashKey(key: Uint8Array): KeyHash {
  // h2 is the step between probes, made odd so that the probes never all coincide.
  return { h1: murmur3(key, 0x9747b28c), h2: murmur3(key, 0x5bd1e995) | 1 };
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
