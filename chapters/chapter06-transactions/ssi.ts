/**
 * Exercise 6.4: serializable snapshot isolation (SSI), after Cahill, Röhm and Fekete (2008).
 *
 * Snapshot isolation lets a transaction read a value that a concurrent transaction overwrites:
 * a **rw-antidependency** `R → W` ("R read something W then wrote, and R did not see W's write").
 * Every cycle in the dependency graph of a history that snapshot isolation allows contains two
 * such edges in a row, `T_in → T_pivot → T_out`, all three concurrent. SSI tracks the rw-edges
 * and aborts a transaction (reason `'serialization-failure'`) before such a *dangerous
 * structure* can commit. The tracking, over the hooks of {@link SnapshotEngine}:
 *
 * - **read side**: when `R` reads a key (or scans a range) and skips versions its snapshot cannot
 *   see, each of their writers `W` gets an edge `R → W`;
 * - **write side**: when `W` writes a key, each concurrent transaction `R` that read that key, or
 *   scanned a range holding it, gets an edge `R → W` (reads are remembered after `R` commits, as
 *   SIREAD locks, for as long as a concurrent transaction may still write).
 *
 * A transaction with an in-edge and an out-edge from and to transactions that did not abort is a
 * pivot. It aborts at commit; and an edge found after a pivot committed aborts the transaction
 * whose operation found it. Edges to or from aborted transactions are ignored, so the survivor of
 * a write skew commits. This is conservative (some serializable histories abort), never unsafe.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { KeyRange } from '../../shared/kv.js';
import { SnapshotEngine } from './snapshot-isolation.js';
import type { IsolationLevel, Transaction } from './transaction.js';

const SSI = { exercise: '6.4 Serializability', file: 'chapter06-transactions/ssi.ts', section: '6.4 Serializability' };

/** Serializable transactions by snapshot isolation plus rw-antidependency tracking. */
export class SerializableSnapshotEngine extends SnapshotEngine {
  override readonly level: IsolationLevel = 'serializable-ssi';

  /** Starts a transaction and begins tracking its reads and rw-edges. */
  override begin(): Transaction {
    throw new NotImplementedError(SSI);
  }

  /** Remembers the read (an SIREAD lock) and adds `txn → writer` for each invisible writer. */
  override onRead(txn: number, read: Uint8Array | KeyRange, invisibleWriters: readonly number[]): void {
    throw new NotImplementedError(SSI);
  }

  /** Adds `reader → txn` for each concurrent transaction that read `key` or a range holding it. */
  override onWrite(txn: number, key: Uint8Array): void {
    throw new NotImplementedError(SSI);
  }

  /** Aborts `txn` if it is a pivot: a live in-edge and a live out-edge. */
  override onCommit(txn: number): void {
    throw new NotImplementedError(SSI);
  }
}
