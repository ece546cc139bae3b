/**
 * Exercise 5.4: a participant's copy of the partition map. Clients and storage nodes each hold
 * one; only the coordinator makes new versions. A copy only ever moves forward: a map older than
 * the one held is a `MapVersionError`, so a message delayed by the network can never roll a node
 * back to an owner it has since learned is out of date.
 * @module
 */

import { UsageError } from '../../shared/errors.js';
import type { NodeId } from '../../shared/sim/index.js';
import { MapVersionError, UnknownPartitionError } from './errors.js';
import type { PartitionMap } from './routing-messages.js';

/** Checks that `map` is a map: a positive integer version, at least one partition. */
function checkMap(map: PartitionMap, where: string): void {
  if (!Number.isInteger(map.version) || map.version < 1) throw new UsageError(`${where}: a map version is a positive integer, got ${map.version}`);
  if (map.owners.length === 0) throw new UsageError(`${where}: a map has at least one partition`);
}

/** One participant's copy of the partition map. */
export class PartitionMapCache {
  private current: PartitionMap;

  /** A copy holding `initial`; `UsageError` for a version below 1 or no partitions. */
  constructor(initial: PartitionMap) {
    checkMap(initial, 'PartitionMapCache');
    this.current = { version: initial.version, owners: [...initial.owners] };
  }

  /** The version held. */
  get version(): number {
    return this.current.version;
  }

  /** The map held. */
  get map(): PartitionMap {
    return this.current;
  }

  /** The number of partitions. */
  get partitions(): number {
    return this.current.owners.length;
  }

  /** The owner of `partition` in the map held; `UnknownPartitionError` outside `[0, partitions)`. */
  ownerOf(partition: number): NodeId {
    const owner = Number.isInteger(partition) ? this.current.owners[partition] : undefined;
    if (owner === undefined) throw new UnknownPartitionError(String(partition), `PartitionMapCache.ownerOf: the map has ${this.partitions} partitions`);
    return owner;
  }

  /**
   * Installs `next` if it is newer and returns true; returns false for the version already held.
   * An older version is a `MapVersionError` naming `where`, and changes nothing.
   */
  install(next: PartitionMap, where: string): boolean {
    checkMap(next, where);
    if (next.version < this.current.version) throw new MapVersionError(where, this.current.version, next.version);
    if (next.version === this.current.version) return false;
    this.current = { version: next.version, owners: [...next.owners] };
    return true;
  }
}
