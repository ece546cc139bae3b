/**
 * Exercise 5.2: the simplest hash partitioning, `hash(key) mod N`. Even, and wrong as soon as N
 * changes: a key stays put only if its hash gives the same remainder mod N and mod N + 1, which
 * happens for about one key in N + 1. Almost everything moves.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';

/** The node that holds `key` among `nodes`: `nodes[hashKey(key) mod nodes.length]`; `UsageError` with no nodes. */
export function modNOwner(key: Uint8Array | string, nodes: readonly string[]): string {
  throw new NotImplementedError({ exercise: '5.2 Hash partitioning', file: 'chapter05-partitioning/hash-mod-n.ts', section: 'Hash mod N' });
}
