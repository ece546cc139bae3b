/**
 * The database so far, assembled from your own chapters: chapter 06's snapshot isolation (MVCC)
 * storing its versions in your chapter 02 LSM-tree, with rows keyed by chapter 03's
 * order-preserving encoding, on a simulated disk that crashes in the middle of a commit. When an
 * earlier chapter is unfinished, the failure says which.
 *
 * The engine of exercise 6.3 keeps its commit table in memory, so this test adds the durable
 * part itself, as a database with a multi-version heap and a redo log would: after the engine
 * commits a transaction, one LSM-tree `put` writes its commit record (the transaction's writes).
 * That put is the commit point. Reopening starts a fresh engine on a fresh key space (its own
 * generation of versions) and replays the commit records into it in order; versions that a crash
 * left behind belong to an old generation and are never read again.
 */

import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { SimDisk, SimulatedCrash } from '../../shared/fs/sim-disk.js';
import { prefixRange } from '../../shared/kv.js';
import { PrefixedKV } from '../../shared/prefixed-kv.js';
import { Random } from '../../shared/random.js';
import { fromEarlierChapters } from '../../shared/testing/cumulative.js';
import { because } from '../../shared/testing/explain.js';
import { LsmTree } from '@impl/chapter02-storage-engines/lsm-tree.js';
import { decodeOrderedKey, encodeOrderedKey } from '@impl/chapter03-encoding/ordered-key.js';
import { TransactionAborted } from '@impl/chapter06-transactions/errors.js';
import { SnapshotEngine } from '@impl/chapter06-transactions/snapshot-isolation.js';
import type { Transaction } from '@impl/chapter06-transactions/transaction.js';
import { CRASHES } from './helpers.js';

const NOTES = '6.3 Snapshot isolation';
const EARLIER = ['chapter02', 'chapter03'];
// Keys are encoded when used, not at load time, so an unfinished chapter 03 fails inside a test, named.
const generationKey = (): Uint8Array => encodeOrderedKey(['generation']);
const commitsPrefix = (): Uint8Array => encodeOrderedKey(['commit']);
/** Eight accounts, ids -3 to 4: the ordered encoding must sort the negative ones first. */
const IDS = [4n, -3n, 1n, -1n, 0n, 3n, -2n, 2n];
const OPENING = 100;

const accountKey = (id: bigint): Uint8Array => encodeOrderedKey(['account', id]);
type Write = readonly [id: string, balance: number | null];

/** Snapshot isolation over an LSM-tree, made durable by commit records (the module comment). */
class DurableSnapshotDb {
  readonly lsm: LsmTree;
  readonly engine: SnapshotEngine;
  private nextCommit: number;

  constructor(disk: SimDisk) {
    // Small memtables, so versions and commit records also live in flushed tables.
    this.lsm = new LsmTree(disk, { dir: 'db', syncPolicy: 'every-write', memtableBytes: 1024, blockBytes: 256 });
    const generation = Number(fromUtf8(this.lsm.get(generationKey()) ?? utf8('0'))) + 1;
    this.lsm.put(generationKey(), utf8(String(generation)));
    this.engine = new SnapshotEngine(new PrefixedKV(this.lsm, encodeOrderedKey(['versions', BigInt(generation)])));
    const records = [...this.lsm.scan(prefixRange(commitsPrefix()))];
    this.nextCommit = records.length + 1;
    const replay = this.engine.begin();
    for (const record of records) this.apply(replay, JSON.parse(fromUtf8(record.value)) as Write[]);
    replay.commit();
  }

  /** Runs `body` in a snapshot transaction and commits its writes, durably. */
  run(body: (txn: Transaction) => Write[]): void {
    const txn = this.engine.begin();
    const writes = body(txn);
    this.apply(txn, writes);
    this.commit(txn, writes);
  }

  /** Commits `txn`, whose writes were `writes`: the engine first, then the commit record. */
  commit(txn: Transaction, writes: readonly Write[]): void {
    txn.commit();
    this.lsm.put(encodeOrderedKey(['commit', BigInt(this.nextCommit++)]), utf8(JSON.stringify(writes)));
  }

  apply(txn: Transaction, writes: readonly Write[]): void {
    for (const [id, balance] of writes) {
      if (balance === null) txn.delete(accountKey(BigInt(id)));
      else txn.put(accountKey(BigInt(id)), utf8(String(balance)));
    }
  }

  /** Every account as `id=balance`, in key order, read by a fresh snapshot. */
  accounts(txn: Transaction = this.engine.begin()): string[] {
    return txn.scan(prefixRange(encodeOrderedKey(['account']))).map((e) => `${String(decodeOrderedKey(e.key)[1])}=${fromUtf8(e.value)}`);
  }
}

const balance = (txn: Transaction, id: bigint): number => Number(fromUtf8(txn.get(accountKey(id))!));

/** A transfer of `amount` from `from` to `to`, as the writes it makes. */
function transfer(txn: Transaction, from: bigint, to: bigint, amount: number): Write[] {
  return [
    [String(from), balance(txn, from) - amount],
    [String(to), balance(txn, to) + amount],
  ];
}

const opening = (): Write[] => IDS.map((id): Write => [String(id), OPENING]);
const sorted = (rows: Record<string, number>): string[] =>
  Object.entries(rows)
    .sort(([x], [y]) => Number(x) - Number(y))
    .map(([id, value]) => `${id}=${value}`);
const OPENED = sorted(Object.fromEntries(IDS.map((id) => [String(id), OPENING])));

describe('cumulative: snapshot isolation over your chapter 02 LSM-tree, keys by chapter 03', () => {
  it('snapshots, first-committer-wins and restarts work with every version stored in the LSM-tree, rows in numeric key order', () => {
    fromEarlierChapters('chapter06', EARLIER, () => {
      const disk = new SimDisk(new Random(6));
      let db = new DurableSnapshotDb(disk);
      db.run(opening);
      expect(db.accounts(), because('accounts are scanned in the order of chapter 03\'s encoding: numeric, negative ids first', '3.7 Order-preserving keys')).toEqual(OPENED);

      const reader = db.engine.begin();
      db.run((txn) => transfer(txn, -3n, 4n, 30));
      expect(db.accounts(reader), because('a snapshot taken before the transfer committed does not see it', NOTES)).toEqual(OPENED);

      const first = db.engine.begin();
      const second = db.engine.begin();
      const firstWrites = transfer(first, 1n, 2n, 10);
      db.apply(first, firstWrites);
      const secondWrites = transfer(second, 1n, -1n, 5);
      db.commit(first, firstWrites);
      let error: unknown;
      try {
        db.apply(second, secondWrites);
        db.commit(second, secondWrites);
      } catch (e) {
        error = e;
      }
      expect(error, because('both transfers withdrew from account 1 on the same snapshot: the second to commit must abort', NOTES)).toBeInstanceOf(TransactionAborted);

      const before = db.accounts();
      disk.crash({ unsyncedWrites: 'drop', unsyncedDirOps: 'lose' });
      db = new DurableSnapshotDb(disk);
      expect(db.accounts(), because('every commit whose record reached the LSM-tree is there after a crash; the aborted transfer is not', '6.1 Atomic commits')).toEqual(before);
      expect(before, because('the committed transfers moved 30 from -3 to 4 and 10 from 1 to 2', NOTES)).toEqual(sorted({ ...Object.fromEntries(IDS.map((id) => [String(id), OPENING])), '-3': 70, '4': 130, '1': 90, '2': 110 }));
    });
  });

  it('a crash at any I/O call of a transfer leaves it whole or absent after recovery, in every crash mode, and the bank still works', () => {
    fromEarlierChapters('chapter06', EARLIER, () => {
      const done = sorted({ ...Object.fromEntries(IDS.map((id) => [String(id), OPENING])), '-2': 75, '3': 125 });
      let crashPoints = 0;
      for (const crash of CRASHES) {
        for (let call = 1; ; call++) {
          const disk = new SimDisk(new Random(call));
          let db = new DurableSnapshotDb(disk);
          db.run(opening);
          db.run((txn) => transfer(txn, 0n, 1n, 0)); // a few versions more, so the crashed one is not the first
          disk.scheduleCrash(call, crash);
          try {
            db.run((txn) => transfer(txn, -2n, 3n, 25));
            disk.cancelScheduledCrash();
            break; // the transfer needed fewer calls than `call`: every point has been tried
          } catch (error) {
            expect(error, because('the scheduled crash interrupts the transfer', NOTES)).toBeInstanceOf(SimulatedCrash);
          }
          crashPoints++;
          db = new DurableSnapshotDb(disk);
          const after = db.accounts();
          const where = `after a crash at I/O call ${call} of the transfer (${crash.unsyncedWrites}, names ${crash.unsyncedDirOps})`;
          expect([OPENED, done].map((rows) => JSON.stringify(rows)), because(`${where} the transfer is all there or not at all: got ${JSON.stringify(after)}`, '6.1 Atomic commits')).toContain(JSON.stringify(after));

          db.run((txn) => transfer(txn, 4n, -3n, 1));
          const again = db.accounts();
          db.lsm.close();
          expect(new DurableSnapshotDb(disk).accounts(), because(`${where}, the recovered database commits new transfers, and they survive a restart too`, NOTES)).toEqual(again);
        }
      }
      expect(crashPoints, because('a transfer writes versions and a commit record, I/O that a crash can interrupt', NOTES)).toBeGreaterThan(0);
    });
  });
});
