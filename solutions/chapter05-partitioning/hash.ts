/**
 * Exercise 5.2: the hash every hash-partitioning scheme of this chapter uses. It must be stable:
 * the same bytes give the same number on every machine, in every process, forever, because a
 * key's hash decides where it is stored. (JavaScript has no such built-in for strings, and a
 * language's own string hashing is often randomised per process.)
 *
 * The hash is 64-bit FNV-1a over the key's bytes (strings as UTF-8), finished by MurmurHash3's
 * 64-bit finaliser `fmix64`. FNV-1a alone has weak low bits: its last step multiplies by an odd
 * prime, so bit 0 of the result is only the XOR of bit 0 of every byte, and `hash mod 2^k`
 * depends only on the low k bits of the bytes. The finaliser mixes every bit into every other, so
 * `hash mod N` is even for any N.
 * @module
 */

import { utf8 } from '../../shared/bytes.js';

const MASK64 = (1n << 64n) - 1n;
/** FNV-1a 64-bit parameters (Fowler, Noll, Vo). */
export const FNV64_OFFSET_BASIS = 0xcbf29ce484222325n;
export const FNV64_PRIME = 0x100000001b3n;

/** 64-bit FNV-1a of `bytes`: for each byte, XOR it in, then multiply by the prime, modulo 2^64. */
export function fnv1a64(bytes: Uint8Array): bigint {
  let h = FNV64_OFFSET_BASIS;
  for (const byte of bytes) {
    h ^= BigInt(byte);
    h = (h * FNV64_PRIME) & MASK64;
  }
  return h;
}

/** MurmurHash3's 64-bit finaliser: a bijection on 64-bit values that mixes every bit. */
export function fmix64(value: bigint): bigint {
  let k = value & MASK64;
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK64;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK64;
  k ^= k >> 33n;
  return k;
}

/** The chapter's key hash, in `[0, 2^64)`: `fmix64(fnv1a64(bytes))`, strings as UTF-8. */
export function hashKey(key: Uint8Array | string): bigint {
  return fmix64(fnv1a64(typeof key === 'string' ? utf8(key) : key));
}
