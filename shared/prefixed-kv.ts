/**
 * A view of the keys under one prefix of an ordered store, itself an ordered store. A replica
 * keeps several key spaces in its one store (its data, the hints it holds for other replicas,
 * its log) by giving each a prefix; each part of the code sees only its own keys, without the
 * prefix.
 * @module
 */

import { concatBytes, prefixEnd } from './bytes.js';
import type { BatchOp, Entry, KeyRange, OrderedKV } from './kv.js';

/** The keys of `inner` that start with `prefix`, with the prefix removed. */
export class PrefixedKV implements OrderedKV {
  private readonly inner: OrderedKV;
  private readonly prefix: Uint8Array;

  constructor(inner: OrderedKV, prefix: Uint8Array) {
    this.inner = inner;
    this.prefix = prefix.slice();
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.inner.get(this.outer(key));
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.inner.put(this.outer(key), value);
  }

  delete(key: Uint8Array): void {
    this.inner.delete(this.outer(key));
  }

  batch(ops: readonly BatchOp[]): void {
    this.inner.batch(ops.map((op) => ({ ...op, key: this.outer(op.key) })));
  }

  *scan(range: KeyRange = {}): IterableIterator<Entry> {
    const start = this.outer(range.start ?? new Uint8Array(0));
    const end = range.end === undefined ? prefixEnd(this.prefix) : this.outer(range.end);
    const inner: KeyRange = {
      start,
      ...(end !== undefined && { end }),
      ...(range.reverse !== undefined && { reverse: range.reverse }),
      ...(range.limit !== undefined && { limit: range.limit }),
    };
    for (const entry of this.inner.scan(inner)) {
      yield { key: entry.key.subarray(this.prefix.length), value: entry.value };
    }
  }

  private outer(key: Uint8Array): Uint8Array {
    return concatBytes(this.prefix, key);
  }
}
