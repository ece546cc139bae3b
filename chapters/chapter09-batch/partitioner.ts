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

import { NotImplementedError, UsageError } from '../../shared/errors.js';

const PARTITIONER = { exercise: '9.1 A MapReduce engine: the partitioner', file: 'chapter09-batch/partitioner.ts', section: 'The partitioner' };

/**
 * 32-bit FNV-1a of the UTF-8 bytes of `text`, as an unsigned integer: start from 0x811c9dc5;
 * for each byte, xor it in, then multiply by 0x01000193 modulo 2^32 (`Math.imul`).
 */
export function fnv1a32(text: string): number {
  throw new NotImplementedError(PARTITIONER);
}

/**
 * The reduce partition of `key`: `fnv1a32(key) mod partitions`, in `[0, partitions)`. A
 * `partitions` that is not a positive integer is a `UsageError`.
 */
export function partitionFor(key: string, partitions: number): number {
  throw new NotImplementedError(PARTITIONER);
}
