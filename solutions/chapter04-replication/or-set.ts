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

import { UsageError } from '../../shared/errors.js';
import { compareReplicaIds, type ReplicaId } from './replica-id.js';

/** The state an OR-Set ships: live tags per element, and every removed tag. */
export interface OrSetState {
  /** Element → its live add tags, sorted. Elements with no live tag are absent. */
  readonly elements: Readonly<Record<string, readonly string[]>>;
  /** Every tag ever removed, sorted. */
  readonly tombstones: readonly string[];
}

/** The unique tag of the `counter`-th add made by `replica`: `"<replica>#<counter>"`. */
export function makeTag(replica: ReplicaId, counter: number): string {
  return `${replica}#${counter}`;
}

/** Splits a tag made by {@link makeTag}. Throws a `UsageError` for anything else. */
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

  /** A set holding `state` (default: empty). */
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
   * The set after `replica` adds `element` under a fresh tag. The tag's counter is one more than
   * the largest counter of any tag of `replica` this state knows, live or removed: a replica's
   * own tags are never forgotten, so its counters never repeat.
   */
  add(element: string, replica: ReplicaId): OrSet {
    let highest = 0;
    const consider = (tag: string) => {
      const parsed = parseTag(tag);
      if (parsed.replica === replica && parsed.counter > highest) highest = parsed.counter;
    };
    for (const tags of this.live.values()) tags.forEach(consider);
    this.removed.forEach(consider);
    const state = this.state();
    const tags = [...(state.elements[element] ?? []), makeTag(replica, highest + 1)];
    return new OrSet({ elements: { ...state.elements, [element]: tags }, tombstones: state.tombstones });
  }

  /** The set after removing `element`: its observed tags become tombstones. */
  remove(element: string): OrSet {
    const state = this.state();
    const observed = state.elements[element] ?? [];
    const elements = { ...state.elements };
    delete elements[element];
    return new OrSet({ elements, tombstones: [...state.tombstones, ...observed] });
  }

  /** True when `element` has at least one live tag. */
  has(element: string): boolean {
    return this.live.has(element);
  }

  /** The elements, sorted. */
  values(): string[] {
    return [...this.live.keys()].sort(compareReplicaIds);
  }

  /** Union of tags and of tombstones; a tag removed on either side stays removed. */
  merge(other: OrSet): OrSet {
    const mine = this.state();
    const theirs = other.state();
    const elements: Record<string, string[]> = {};
    for (const side of [mine, theirs]) {
      for (const [element, tags] of Object.entries(side.elements)) {
        elements[element] = [...(elements[element] ?? []), ...tags];
      }
    }
    return new OrSet({ elements, tombstones: [...mine.tombstones, ...theirs.tombstones] });
  }

  /** The canonical state: elements, tags and tombstones sorted, without duplicates. */
  state(): OrSetState {
    const elements: Record<string, readonly string[]> = {};
    for (const element of [...this.live.keys()].sort(compareReplicaIds)) {
      elements[element] = [...this.live.get(element)!].sort(compareReplicaIds);
    }
    return { elements, tombstones: [...this.removed].sort(compareReplicaIds) };
  }
}
