/**
 * The database so far, assembled from your own chapters: chapter 01's tables and SQL over a
 * store partitioned by key range (exercise 5.1) whose every partition is your chapter 02
 * LSM-tree on a simulated disk. When an earlier chapter is unfinished, the failure says which.
 */

import { describe, expect, it } from 'vitest';
import { compareBytes } from '../../shared/bytes.js';
import { SimDisk } from '../../shared/fs/sim-disk.js';
import { Random } from '../../shared/random.js';
import { fromEarlierChapters } from '../../shared/testing/cumulative.js';
import { because } from '../../shared/testing/explain.js';
import { executeSql } from '@impl/chapter01-data-models/sql-executor.js';
import { Database } from '@impl/chapter01-data-models/table-storage.js';
import { LsmTree } from '@impl/chapter02-storage-engines/lsm-tree.js';
import { RangePartitionedKV } from '@impl/chapter05-partitioning/range-partitioned-kv.js';
import { ordersSchema, usersSchema } from '../chapter01-data-models/fixtures.js';

const NOTES = '5.1 Key-range partitioning';
const REGIONS = ['SEA', 'NYC', 'LON'];
const USERS = 60;
const ORDERS = 240;

describe('cumulative: chapter 01 tables over range partitions, each your chapter 02 LSM-tree', () => {
  it('rows inserted out of order split the store into partitions, and SQL over it equals the same query in plain code', () => {
    fromEarlierChapters('chapter05', ['chapter01', 'chapter02'], () => scenario());
  });
});

function scenario(): void {
  const disk = new SimDisk(new Random(5));
  const trees: LsmTree[] = [];
  const newStore = () => {
    // Small memtables, so each partition's tree flushes tables of its own.
    const tree = new LsmTree(disk, { dir: `p${trees.length}`, syncPolicy: 'none', memtableBytes: 1024, blockBytes: 256 });
    trees.push(tree);
    return tree;
  };
  const kv = new RangePartitionedKV({ splitAboveKeys: 48, newStore });
  const db = new Database(kv);
  db.createTable(usersSchema);
  db.createTable(ordersSchema);
  // Every id once, out of order: splits happen in the middle of ranges, not only at the end.
  for (let i = 0; i < USERS; i++) {
    const id = ((i * 23) % USERS) + 1;
    db.insert('users', { id, name: `user ${id}`, region: REGIONS[id % 3]! });
  }
  for (let i = 0; i < ORDERS; i++) {
    const id = ((i * 97) % ORDERS) + 1;
    db.insert('orders', { id, user_id: (id % USERS) + 1, total: id / 4 });
  }
  db.delete('orders', 7);

  const parts = kv.partitions();
  expect(parts.length, because(`${USERS + ORDERS} rows with at most 48 keys per partition need at least six partitions`, NOTES)).toBeGreaterThanOrEqual(6);
  for (const p of parts) {
    expect(p.keys, because('no partition holds more keys than the split threshold', NOTES)).toBeLessThanOrEqual(48);
  }
  for (let i = 1; i < parts.length; i++) {
    expect(compareBytes(parts[i - 1]!.end!, parts[i]!.start), because('the partitions tile the key space: each ends where the next starts', NOTES)).toBe(0);
  }

  const ids = db.scan('orders').map((o) => Number(o.id));
  const expectedIds = Array.from({ length: ORDERS }, (_, i) => i + 1).filter((id) => id !== 7);
  expect(ids, because('a table scan crosses partitions in key order and finds every row once (the deleted one gone)', NOTES)).toEqual(expectedIds);
  expect(db.scan('users'), because('every user is found once, across partitions', NOTES)).toHaveLength(USERS);

  const result = executeSql(
    db,
    "SELECT u.name, SUM(o.total) AS spent FROM users u JOIN orders o ON o.user_id = u.id WHERE u.region = 'NYC' GROUP BY u.name ORDER BY spent DESC LIMIT 3",
  );
  const spent = new Map<number, number>();
  for (const id of expectedIds) spent.set((id % USERS) + 1, (spent.get((id % USERS) + 1) ?? 0) + id / 4);
  const expected = [...spent]
    .filter(([user]) => REGIONS[user % 3] === 'NYC')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([user, total]) => ({ name: `user ${user}`, spent: total }));
  expect(result.rows, because('SQL over the partitioned store equals the same query in plain code', NOTES)).toEqual(expected);

  const live = trees.filter((tree) => [...tree.scan()].length > 0);
  expect(live.length, because('each partition keeps its rows in an LSM-tree of its own', NOTES)).toBeGreaterThanOrEqual(parts.length);
}
