/**
 * Multi-leader replication with last-write-wins conflict resolution.
 *
 * Every leader accepts writes, stamps them with its own clock and its id, and ships them to the
 * other leaders, which apply them in whatever order they arrive. Each key keeps only the write
 * with the largest stamp. All leaders converge, whatever the delivery order, but every other
 * write to the key is discarded without anyone being told: concurrent writes, and writes made
 * later in real time by a leader whose clock is behind.
 * @module
 */

import type { OrderedKV } from '../../shared/kv.js';
import { compareStamps, type LwwStamp } from './lww-register.js';
import { decodeLwwRecord, encodeLwwRecord } from './lww-record.js';
import type { ReplicaId } from './replica-id.js';

/** A write as shipped between leaders: `value` undefined means a delete. */
export interface LwwWrite {
  readonly key: Uint8Array;
  readonly value: Uint8Array | undefined;
  readonly stamp: LwwStamp;
}

/**
 * What became of a write at one leader: stored; thrown away because the key holds a newer stamp;
 * or already held (the same stamp arrived before).
 */
export type LwwOutcome = 'applied' | 'discarded' | 'duplicate';

/** One leader of a multi-leader, last-write-wins store, keeping its records in `kv`. */
export class LwwLeader {
  /** This leader's replica id, the tie-breaker in its stamps. */
  readonly id: ReplicaId;
  private readonly kv: OrderedKV;

  constructor(id: ReplicaId, kv: OrderedKV) {
    this.id = id;
    this.kv = kv;
  }

  /**
   * A local write stamped with `timestamp` (this leader's clock). Returns the write to ship to
   * the other leaders; it is applied here by the same rule as a remote write, so it too can be
   * discarded if this key already holds a newer stamp.
   */
  put(key: Uint8Array, value: Uint8Array, timestamp: number): LwwWrite {
    const write: LwwWrite = { key, value, stamp: { timestamp, replica: this.id } };
    this.apply(write);
    return write;
  }

  /** A local delete, stored as a tombstone; otherwise like {@link put}. */
  delete(key: Uint8Array, timestamp: number): LwwWrite {
    const write: LwwWrite = { key, value: undefined, stamp: { timestamp, replica: this.id } };
    this.apply(write);
    return write;
  }

  /** The live value under `key`, or `undefined` if absent or deleted. */
  get(key: Uint8Array): Uint8Array | undefined {
    const stored = this.kv.get(key);
    return stored === undefined ? undefined : decodeLwwRecord(stored).value;
  }

  /**
   * Applies a write from any leader: stored if its stamp is newer than the stored one,
   * discarded if the stored stamp is newer, a duplicate if it is the same stamp.
   */
  apply(write: LwwWrite): LwwOutcome {
    const stored = this.kv.get(write.key);
    if (stored !== undefined) {
      const order = compareStamps(write.stamp, decodeLwwRecord(stored).stamp);
      if (order < 0) return 'discarded';
      if (order === 0) return 'duplicate';
    }
    this.kv.put(write.key, encodeLwwRecord({ value: write.value, stamp: write.stamp }));
    return 'applied';
  }
}
