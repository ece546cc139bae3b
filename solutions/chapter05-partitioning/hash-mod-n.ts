/**
 * Exercise 5.2: the simplest hash partitioning, `hash(key) mod N`. Even, and wrong as soon as N
 * changes: a key stays put only if its hash gives the same remainder mod N and mod N + 1, which
 * happens for about one key in N + 1. Almost everything moves.
 * @module
 */

import { UsageError } from '../../shared/errors.js';
import { hashKey } from './hash.js';

/** The node that holds `key` among `nodes`: `nodes[hashKey(key) mod nodes.length]`. */
export function modNOwner(key: Uint8Array | string, nodes: readonly string[]): string {
  if (nodes.length === 0) throw new UsageError('modNOwner: there are no nodes to own the key');
  return nodes[Number(hashKey(key) % BigInt(nodes.length))]!;
}
