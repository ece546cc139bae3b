/**
 * An observed-remove set (OR-Set) of strings.
 *
 * Every add attaches a fresh, globally unique tag to the element. A remove deletes only the tags
 * its replica has observed, and remembers them as tombstones, so a merge with a replica that
 * still holds those tags does not bring the element back. An add that the remove did not observe
 * (a concurrent add) carries a tag the remove never saw, so it survives: adds win over concurrent
 * removes.
 * @module
 */

import { NotImplementedError, UsageError } from '../../shared/errors.js';
import { compareReplicaIds, type ReplicaId } from './replica-id.js';

const exercise = { exercise: '3.4 OR-Set', file: 'chapter04-replication/or-set.ts', section: '3.4 OR-Set' };

/** The state an OR-Set ships: live tags per element, and every removed tag. */
export interface OrSetState {
  /** Element → its live add tags, sorted. Elements with no live tag are absent. */
  readonly elements: Readonly<Record<string, readonly string[]>>;
  /** Every tag ever removed, sorted. */
  readonly tombstones: readonly string[];
}

/** The unique tag of the `counter`-th add made by `replica`: `"<replica>#<counter>"`. Given. */
export function makeTag(replica: ReplicaId, counter: number): string {
  return `${replica}#${counter}`;
}

/** Splits a tag made by {@link makeTag}. Throws a `UsageError` for anything else. Given. */
export function parseTag(tag: string): { replica: ReplicaId; counter: number } {
  const at = tag.lastIndexOf('#');
  const counter = Number(tag.slice(at + 1));
  if (at < 0 || !Number.isSafeInteger(counter) || counter < 1) {
    throw new UsageError(`OR-Set tag "${tag}" is not of the form "<replica>#<counter>"`);
  }
  return { replica: tag.slice(0, at), counter };
}

/** An immutable observed-remove set. */
export class OrSet {
  // Invariant: no live tag is also a tombstone; no element maps to an empty tag set.
  private readonly live: ReadonlyMap<string, ReadonlySet<string>>;
  private readonly removed: ReadonlySet<string>;

  /** A set holding `state` (default: empty). Given: it drops live tags that are tombstones. */
  constructor(state: OrSetState = { elements: {}, tombstones: [] }) {
    const removed = new Set(state.tombstones);
    const live = new Map<string, Set<string>>();
    for (const [element, tags] of Object.entries(state.elements)) {
      const kept = new Set(tags.filter((t) => !removed.has(t)));
      if (kept.size > 0) live.set(element, kept);
    }
    this.live = live;
    this.removed = removed;
  }

  /**
   * The set after `replica` adds `element` under a fresh tag: `makeTag(replica, n)` where `n` is
   * one more than the largest counter of any tag of `replica` this state knows, live or removed.
   */
  add(element: string, replica: ReplicaId): OrSet {
    void element;
    void replica;
    throw new NotImplementedError(exercise);
  }

  /** The set after removing `element`: every tag of it observed here becomes a tombstone. */
  remove(element: string): OrSet {
    void element;
    throw new NotImplementedError(exercise);
  }

  /** True when `element` has at least one live tag. */
  has(element: string): boolean {
    void element;
    throw new NotImplementedError(exercise);
  }

  /** The elements, sorted. */
  values(): string[] {
    throw new NotImplementedError(exercise);
  }

  /** Union of tags and of tombstones; a tag removed on either side stays removed. */
  merge(other: OrSet): OrSet {
    void other;
    throw new NotImplementedError(exercise);
  }

  /** The canonical state: elements, tags and tombstones sorted, without duplicates. Given. */
  state(): OrSetState {
    const elements: Record<string, readonly string[]> = {};
    for (const element of [...this.live.keys()].sort(compareReplicaIds)) {
      elements[element] = [...this.live.get(element)!].sort(compareReplicaIds);
    }
    return { elements, tombstones: [...this.removed].sort(compareReplicaIds) };
  }
}
