/**
 * The end-to-end tests of chapter 09: rows stored through the learner's own chapter 02 LSM-tree on
 * a simulated disk (with overwrites, deletes, a flush and a reopen) are exported as a job's input,
 * and the learner's MapReduce engine derives a total per key from them. The result must equal a
 * plain in-memory computation over the rows the store holds. Then documents stored through the
 * learner's chapter 01 document store, in transactions of chapter 06 over a chapter 02 LSM-tree,
 * are indexed by the derived-data job from a snapshot while another transaction commits.
 */
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { SimDisk } from '../../shared/fs/sim-disk.js';
import { Random } from '../../shared/random.js';
import { fromEarlierChapters } from '../../shared/testing/cumulative.js';
import { because } from '../../shared/testing/explain.js';
import type { OrderedKV } from '../../shared/kv.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { DocumentStore } from '@impl/chapter01-data-models/document-store.js';
import { LsmTree } from '@impl/chapter02-storage-engines/lsm-tree.js';
import { SnapshotEngine } from '@impl/chapter06-transactions/snapshot-isolation.js';
import type { Transaction } from '@impl/chapter06-transactions/transaction.js';
import { DerivedDataJob, runDerivedDataJob } from '@impl/chapter09-batch/derived-data.js';
import type { Json, KeyValue, MapReduceJob } from '@impl/chapter09-batch/records.js';
import { COLLECTION, SPEC, changed, randomDocs, referenceIndex, visible, type Docs } from './derived-docs.js';
import { forEachSeedAsync, readOutput, runOnDisk, writeInput } from './helpers.js';

const CUSTOMERS = ['ada', 'bob', 'cy', 'dee', 'eve'];
const ORDERS = 60;

interface Order {
  readonly customer: string;
  readonly amount: number;
}

/** Total amount per customer. */
const totalPerCustomer: MapReduceJob = {
  name: 'total-per-customer',
  map(record, emit) {
    const { customer, amount } = record as unknown as Order;
    emit(customer, amount);
  },
  reduce: (_key, values) => values.reduce<number>((total, v) => total + (v as number), 0),
  combine: (_key, values) => values.reduce<number>((total, v) => total + (v as number), 0),
};

/**
 * Stores random orders in the LSM-tree (some replaced, some deleted), closes and reopens it, and
 * exports every live row to `in/orders.jsonl`. Returns the rows an in-memory map says are live.
 */
function storeAndExport(disk: SimDisk, random: Random): Map<string, Order> {
  const model = new Map<string, Order>();
  const open = () => new LsmTree(disk, { dir: 'orders', syncPolicy: 'every-write', memtableBytes: 512 });
  let store = open();
  for (let i = 0; i < ORDERS; i++) {
    const id = `order-${String(random.int(0, 39)).padStart(3, '0')}`;
    if (model.has(id) && random.chance(0.2)) {
      store.delete(utf8(id));
      model.delete(id);
      continue;
    }
    const order: Order = { customer: random.pick(CUSTOMERS), amount: random.int(1, 100) };
    store.put(utf8(id), utf8(JSON.stringify(order)));
    model.set(id, order);
  }
  store.close();
  store = open();
  disk.mkdir('in');
  const rows: Json[] = [...store.scan()].map(({ value }) => JSON.parse(fromUtf8(value)) as Json);
  store.close();
  writeInput(disk, 'in/orders.jsonl', rows);
  return model;
}

/** The same totals, computed the plain way, in key order. */
function plainTotals(rows: Iterable<Order>): KeyValue[] {
  const totals = new Map<string, number>();
  for (const { customer, amount } of rows) totals.set(customer, (totals.get(customer) ?? 0) + amount);
  return [...totals.keys()].sort().map((key) => ({ key, value: totals.get(key)! }));
}

describe('end to end: a batch job over rows stored in your chapter 02 LSM-tree', () => {
  it('a per-key total computed by MapReduce over the store\'s rows equals a plain in-memory total (property)', async () => {
    await forEachSeedAsync(3, async (seed) => {
      const random = new Random(seed);
      const disk = new SimDisk(new Random(seed));
      const model = fromEarlierChapters('chapter09', ['chapter02'], () => storeAndExport(disk, random));
      await runOnDisk(disk, ['in/orders.jsonl'], totalPerCustomer, { slots: 2, partitions: 3, splitBytes: random.int(64, 512) });
      expect(
        readOutput(disk, 'out').records,
        because('the job reads exactly the rows the store holds (latest value per key, deletes gone) and sums each customer once', 'What a MapReduce job is'),
      ).toEqual(plainTotals(model.values()));
    });
  });
});

/** A chapter 06 transaction seen as an ordered store, for chapter 01's document store and for the job. */
function throughTransaction(txn: Transaction): OrderedKV {
  return {
    get: (key) => txn.get(key),
    put: (key, value) => txn.put(key, value),
    delete: (key) => txn.delete(key),
    scan: (range) => txn.scan(range)[Symbol.iterator](),
    batch: (ops) => {
      for (const op of ops) {
        if (op.type === 'put') txn.put(op.key, op.value);
        else txn.delete(op.key);
      }
    },
  };
}

/** Applies `from` → `to` through your chapter 01 document store, in one transaction. */
function writeDocuments(engine: SnapshotEngine, from: Docs, to: Docs): void {
  const txn = engine.begin();
  const store = new DocumentStore(throughTransaction(txn));
  for (const id of from.keys()) if (!to.has(id)) store.delete(COLLECTION, id);
  for (const [id, doc] of to) store.put(COLLECTION, id, doc);
  txn.commit();
}

describe('end to end: a derived index over your chapter 01 documents in your chapter 02 LSM-tree, read through your chapter 06 snapshot', () => {
  it('the index built from a snapshot equals a plain index of the documents as of that snapshot, whatever commits while the job runs (property)', () => {
    forEachSeed(3, (seed) => {
      const random = new Random(seed);
      const disk = new SimDisk(new Random(seed));
      const first = randomDocs(random, 10);
      const second = changed(random, first);
      fromEarlierChapters('chapter09', ['chapter01', 'chapter02', 'chapter06'], () => {
        const database = new LsmTree(disk, { dir: 'db', syncPolicy: 'every-write', memtableBytes: 1024 });
        const serving = new LsmTree(disk, { dir: 'serving', syncPolicy: 'every-write', memtableBytes: 1024 });
        const engine = new SnapshotEngine(database);
        writeDocuments(engine, new Map(), first);
        const reader = engine.begin();
        const job = new DerivedDataJob({ ...SPEC, source: throughTransaction(reader), target: serving, batchSize: 4 });
        job.step();
        writeDocuments(engine, first, second); // commits while the job runs
        job.run();
        reader.commit();
        expect(visible(serving), because('the job sees the documents as of its snapshot: a transaction that committed after it began does not show', 'Building the index from a snapshot')).toEqual(referenceIndex(first));
        const later = engine.begin();
        runDerivedDataJob({ ...SPEC, source: throughTransaction(later), target: serving, batchSize: 4 });
        later.commit();
        expect(visible(serving), because('the next run, from a newer snapshot, indexes the documents as they are now', 'Swapping in a new version atomically')).toEqual(referenceIndex(second));
        database.close();
        serving.close();
      });
    });
  });
});
