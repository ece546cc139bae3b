/**
 * Exercise 5.4: a participant's copy of the partition map. Clients and storage nodes each hold
 * one; only the coordinator makes new versions. A copy only ever moves forward: a map older than
 * the one held is a `MapVersionError`, so a message delayed by the network can never roll a node
 * back to an owner it has since learned is out of date.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { NodeId } from '../../shared/sim/index.js';
import type { PartitionMap } from './routing-messages.js';

const MAP = { exercise: '5.4 Request routing', file: 'chapter05-partitioning/partition-map.ts', section: 'Request routing' };

/** One participant's copy of the partition map. */
export class PartitionMapCache {
  /** A copy holding `initial`; `UsageError` for a version below 1 or no partitions. */
  constructor(initial: PartitionMap) {
    throw new NotImplementedError(MAP);
  }

  /** The version held. */
  get version(): number {
    throw new NotImplementedError(MAP);
  }

  /** The map held. */
  get map(): PartitionMap {
    throw new NotImplementedError(MAP);
  }

  /** The number of partitions. */
  get partitions(): number {
    throw new NotImplementedError(MAP);
  }

  /** The owner of `partition` in the map held; `UnknownPartitionError` outside `[0, partitions)`. */
  ownerOf(partition: number): NodeId {
    throw new NotImplementedError(MAP);
  }

  /**
   * Installs `next` if it is newer and returns true; returns false for the version already held.
   * An older version is a `MapVersionError` (from `errors.ts`) naming `where`, and changes nothing.
   */
  install(next: PartitionMap, where: string): boolean {
    throw new NotImplementedError(MAP);
  }
}
