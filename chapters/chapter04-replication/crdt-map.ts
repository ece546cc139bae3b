/**
 * A map whose values are CRDTs (for example item → PN-Counter for a shopping cart). Merging two
 * maps merges the values key by key; a key present on one side only is kept as is. The map is a
 * CRDT because each value is one: the laws hold key by key.
 *
 * Keys cannot be removed here: a removed key would come back from any replica that still has
 * it. Removal needs the OR-Set's trick (tags and tombstones on the keys); see the stretch tasks.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';

const exercise = {
  exercise: '3.5 A map of CRDTs',
  file: 'chapter04-replication/crdt-map.ts',
  section: '3.5 A map of CRDTs',
};

/** What the map needs of its values: a merge that is commutative, associative and idempotent. */
export interface Mergeable<T> {
  merge(other: T): T;
  state(): unknown;
}

/** An immutable map from string keys to CRDT values of one type. */
export class CrdtMap<V extends Mergeable<V>> {
  private readonly entries: ReadonlyMap<string, V>;

  /** A map holding `entries` (default: empty). Given. */
  constructor(entries: ReadonlyMap<string, V> = new Map()) {
    this.entries = new Map(entries);
  }

  /** The value under `key`, if any. */
  get(key: string): V | undefined {
    void key;
    void this.entries;
    throw new NotImplementedError(exercise);
  }

  /**
   * The map after replacing the value under `key` with `change(current)`; `this` is unchanged.
   * `change` must derive its result from `current` by the value's own operations.
   */
  update(key: string, change: (current: V | undefined) => V): CrdtMap<V> {
    void key;
    void change;
    throw new NotImplementedError(exercise);
  }

  /** The keys, sorted. */
  keys(): string[] {
    throw new NotImplementedError(exercise);
  }

  /** Key by key: both values merged when both sides have the key, else the one value. */
  merge(other: CrdtMap<V>): CrdtMap<V> {
    void other;
    throw new NotImplementedError(exercise);
  }

  /** The canonical state: each value's `state()`, under sorted keys. */
  state(): Record<string, unknown> {
    throw new NotImplementedError(exercise);
  }
}
