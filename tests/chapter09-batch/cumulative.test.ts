/**
 * The end-to-end test of chapter 09: rows stored through the learner's own chapter 02 LSM-tree on
 * a simulated disk (with overwrites, deletes, a flush and a reopen) are exported as a job's input,
 * and the learner's MapReduce engine derives a total per key from them. The result must equal a
 * plain in-memory computation over the rows the store holds.
 */
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { SimDisk } from '../../shared/fs/sim-disk.js';
import { Random } from '../../shared/random.js';
import { fromEarlierChapters } from '../../shared/testing/cumulative.js';
import { because } from '../../shared/testing/explain.js';
import { LsmTree } from '@impl/chapter02-storage-engines/lsm-tree.js';
import type { Json, KeyValue, MapReduceJob } from '@impl/chapter09-batch/records.js';
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
