/**
 * The errors of chapter 05. Each says what was wrong and where: which key, which partitions,
 * which node, which map versions. Bad input never changes what is stored.
 * @module
 */

import { showBytes } from '../../shared/bytes.js';

function showEnd(end: Uint8Array | undefined): string {
  return end === undefined ? '+∞' : `"${showBytes(end)}"`;
}

/** Renders a half-open key range for messages: `["a", "m")`, `["m", +∞)`. */
export function showRange(start: Uint8Array, end: Uint8Array | undefined): string {
  return `["${showBytes(start)}", ${showEnd(end)})`;
}

/** A key falls in no partition of the map (the map covers only part of the key space). */
export class KeyOutsideRangesError extends Error {
  override readonly name = 'KeyOutsideRangesError';
  readonly key: Uint8Array;
  /** The partition just before the gap the key fell into, if any. */
  readonly before: string | undefined;
  /** The partition just after that gap, if any. */
  readonly after: string | undefined;

  constructor(key: Uint8Array, before: string | undefined, after: string | undefined) {
    super(
      `key "${showBytes(key)}" is outside every partition range` +
        ` (it falls after ${before ?? 'no partition'} and before ${after ?? 'no partition'})`,
    );
    this.key = key.slice();
    this.before = before;
    this.after = after;
  }
}

/** Two partitions of a map claim some of the same keys, or a range is empty or backwards. */
export class OverlappingRangesError extends Error {
  override readonly name = 'OverlappingRangesError';
  /** The partitions involved: two for an overlap, one for an empty range. */
  readonly partitions: readonly string[];

  constructor(partitions: readonly string[], detail: string) {
    super(`partition ranges overlap or are empty: ${partitions.join(' and ')}: ${detail}`);
    this.partitions = [...partitions];
  }
}

/** An operation named a partition that does not exist. */
export class UnknownPartitionError extends Error {
  override readonly name = 'UnknownPartitionError';
  readonly partition: string;

  constructor(partition: string, where: string) {
    super(`${where}: unknown partition ${JSON.stringify(partition)}`);
    this.partition = partition;
  }
}

/** An operation named a node that is not a member of the cluster (or is already one). */
export class UnknownNodeError extends Error {
  override readonly name = 'UnknownNodeError';
  readonly node: string;

  constructor(node: string, where: string) {
    super(`${where}: unknown node ${JSON.stringify(node)}`);
    this.node = node;
  }
}

/** A partition map arrived whose version is older than one already seen: maps never go back. */
export class MapVersionError extends Error {
  override readonly name = 'MapVersionError';
  /** The version already held. */
  readonly current: number;
  /** The older version offered. */
  readonly offered: number;

  constructor(where: string, current: number, offered: number) {
    super(`${where}: partition map version went backwards: holding version ${current}, offered version ${offered}`);
    this.current = current;
    this.offered = offered;
  }
}
