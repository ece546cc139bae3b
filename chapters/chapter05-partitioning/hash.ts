/**
 * Exercise 5.2: the hash every hash-partitioning scheme of this chapter uses. It must be stable:
 * the same bytes give the same number on every machine, in every process, forever, because a
 * key's hash decides where it is stored. (JavaScript has no such built-in for strings, and a
 * language's own string hashing is often randomised per process.)
 *
 * The hash is 64-bit FNV-1a over the key's bytes (strings as UTF-8), finished by MurmurHash3's
 * 64-bit finaliser `fmix64`. See the notes, "A stable hash", for why FNV-1a alone is not enough.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';

/** FNV-1a 64-bit parameters (Fowler, Noll, Vo). */
export const FNV64_OFFSET_BASIS = 0xcbf29ce484222325n;
export const FNV64_PRIME = 0x100000001b3n;

const HASH = { exercise: '5.2 Hash partitioning', file: 'chapter05-partitioning/hash.ts', section: 'A stable hash' };

/** 64-bit FNV-1a of `bytes`: start at the offset basis; for each byte, XOR it in, then multiply by the prime, modulo 2^64. */
export function fnv1a64(bytes: Uint8Array): bigint {
  throw new NotImplementedError(HASH);
}

/**
 * MurmurHash3's 64-bit finaliser, all arithmetic modulo 2^64: `k ^= k >> 33; k *= 0xff51afd7ed558ccd;
 * k ^= k >> 33; k *= 0xc4ceb9fe1a85ec53; k ^= k >> 33`.
 */
export function fmix64(value: bigint): bigint {
  throw new NotImplementedError(HASH);
}

/** The chapter's key hash, in `[0, 2^64)`: `fmix64(fnv1a64(bytes))`, strings as UTF-8. */
export function hashKey(key: Uint8Array | string): bigint {
  throw new NotImplementedError(HASH);
}
