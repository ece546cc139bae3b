/**
 * Exercise 9.1, part 2: the partitioner, which decides which reduce task gets a key.
 *
 * Every map task must send a key to the same partition, or that key's values are split between
 * reducers and reduced twice. So the hash must be a fixed function of the key's bytes alone:
 * not JavaScript's object identity, not a per-process random seed, not anything the task
 * knows about itself. This one is 32-bit FNV-1a over the key's UTF-8 bytes (offset basis
 * 0x811c9dc5, prime 0x01000193), taken modulo the number of partitions.
 * @module
 */

import { UsageError } from '../../shared/errors.js';

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/** 32-bit FNV-1a of the UTF-8 bytes of `text`, as an unsigned integer. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** The reduce partition of `key`: `fnv1a32(key) mod partitions`, in `[0, partitions)`. */
export function partitionFor(key: string, partitions: number): number {
  if (!Number.isInteger(partitions) || partitions < 1) throw new UsageError(`partitions must be a positive integer, not ${partitions}`);
  return fnv1a32(key) % partitions;
}
