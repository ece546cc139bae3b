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

import { inRange, type KeyRange } from '../../shared/kv.js';
import { SnapshotEngine, SnapshotTransaction } from './snapshot-isolation.js';
import type { IsolationLevel, Transaction } from './transaction.js';
import { keyId } from './write-set.js';

interface Tracking {
  readonly txn: SnapshotTransaction;
  readonly keys: Set<string>;
  readonly ranges: KeyRange[];
  /** Transactions with an edge into this one (they read what this one overwrote). */
  readonly inEdges: Set<number>;
  /** Transactions this one has an edge to (it read what they overwrote). */
  readonly outEdges: Set<number>;
}

/** Serializable transactions by snapshot isolation plus rw-antidependency tracking. */
export class SerializableSnapshotEngine extends SnapshotEngine {
  override readonly level: IsolationLevel = 'serializable-ssi';
  private readonly tracking = new Map<number, Tracking>();

  override begin(): Transaction {
    const txn = super.begin() as SnapshotTransaction;
    this.tracking.set(txn.id, { txn, keys: new Set(), ranges: [], inEdges: new Set(), outEdges: new Set() });
    return txn;
  }

  override onRead(txn: number, read: Uint8Array | KeyRange, invisibleWriters: readonly number[]): void {
    const reader = this.track(txn);
    if (read instanceof Uint8Array) reader.keys.add(keyId(read));
    else reader.ranges.push(read);
    for (const writer of invisibleWriters) this.addEdge(txn, writer, txn);
  }

  override onWrite(txn: number, key: Uint8Array): void {
    const writer = this.track(txn);
    for (const other of this.tracking.values()) {
      if (other.txn.id === txn || this.statusOf(other.txn.id) === 'aborted') continue;
      // Only a reader that could not see this write: one still running, or one that committed
      // after this writer's snapshot was taken.
      if (this.statusOf(other.txn.id) === 'committed' && this.isVisible(other.txn.id, txn, writer.txn.snapshot)) continue;
      if (other.keys.has(keyId(key)) || other.ranges.some((range) => inRange(key, range))) this.addEdge(other.txn.id, txn, txn);
    }
  }

  override onCommit(txn: number): void {
    const pivot = this.track(txn);
    const into = this.live(pivot.inEdges);
    const out = this.live(pivot.outEdges);
    if (into.length > 0 && out.length > 0) {
      throw pivot.txn.abortWith('serialization-failure', dangerous(into[0]!, txn, out[0]!, 'at commit'));
    }
  }

  /** Records `reader → writer`; `current` is the transaction whose operation found it. */
  private addEdge(reader: number, writer: number, current: number): void {
    if (reader === writer || this.statusOf(writer) === 'aborted' || this.statusOf(reader) === 'aborted') return;
    const r = this.track(reader);
    const w = this.track(writer);
    r.outEdges.add(writer);
    w.inEdges.add(reader);
    const self = this.track(current).txn;
    // A pivot that already committed cannot be aborted: abort the transaction completing it.
    if (this.statusOf(writer) === 'committed') {
      const out = this.live(w.outEdges);
      if (out.length > 0) throw self.abortWith('serialization-failure', dangerous(reader, writer, out[0]!, 'after the pivot committed'));
    }
    if (this.statusOf(reader) === 'committed') {
      const into = this.live(r.inEdges);
      if (into.length > 0) throw self.abortWith('serialization-failure', dangerous(into[0]!, reader, writer, 'after the pivot committed'));
    }
  }

  private live(edges: ReadonlySet<number>): number[] {
    return [...edges].filter((t) => this.statusOf(t) !== 'aborted').sort((x, y) => x - y);
  }

  private track(txn: number): Tracking {
    const tracking = this.tracking.get(txn);
    if (tracking === undefined) throw new Error(`SSI: transaction T${txn} is not tracked`);
    return tracking;
  }
}

function dangerous(into: number, pivot: number, out: number, when: string): string {
  return `dangerous structure T${into} -rw-> T${pivot} -rw-> T${out} (${when}): T${into} read what T${pivot} overwrote, and T${pivot} read what T${out} overwrote, all concurrently; committing could close a cycle`;
}
