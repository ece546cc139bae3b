/**
 * A map whose values are CRDTs (for example item → PN-Counter for a shopping cart). Merging two
 * maps merges the values key by key; a key present on one side only is kept as is. The map is a
 * CRDT because each value is one: the laws hold key by key.
 *
 * Keys cannot be removed here: a removed key would come back from any replica that still has
 * it. Removal needs the OR-Set's trick (tags and tombstones on the keys); see the stretch tasks.
 * @module
 */

import { compareReplicaIds } from './replica-id.js';

/** What the map needs of its values: a merge that is commutative, associative and idempotent. */
export interface Mergeable<T> {
  merge(other: T): T;
  state(): unknown;
}

/** An immutable map from string keys to CRDT values of one type. */
export class CrdtMap<V extends Mergeable<V>> {
  private readonly entries: ReadonlyMap<string, V>;

  /** A map holding `entries` (default: empty). */
  constructor(entries: ReadonlyMap<string, V> = new Map()) {
    this.entries = new Map(entries);
  }

  /** The value under `key`, if any. */
  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /**
   * The map after replacing the value under `key` with `change(current)`. `change` must derive
   * its result from `current` by the value's own operations (an increment, an add), never build
   * an unrelated value, or the map would lose what `current` held.
   */
  update(key: string, change: (current: V | undefined) => V): CrdtMap<V> {
    const next = new Map(this.entries);
    next.set(key, change(this.entries.get(key)));
    return new CrdtMap(next);
  }

  /** The keys, sorted. */
  keys(): string[] {
    return [...this.entries.keys()].sort(compareReplicaIds);
  }

  /** Key by key: both values merged when both sides have the key, else the one value. */
  merge(other: CrdtMap<V>): CrdtMap<V> {
    const next = new Map(this.entries);
    for (const key of other.keys()) {
      const theirs = other.get(key)!;
      const mine = next.get(key);
      next.set(key, mine === undefined ? theirs : mine.merge(theirs));
    }
    return new CrdtMap(next);
  }

  /** The canonical state: each value's state, under sorted keys. */
  state(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of this.keys()) out[key] = this.entries.get(key)!.state();
    return out;
  }
}
