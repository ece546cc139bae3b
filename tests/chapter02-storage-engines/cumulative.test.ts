/**
 * The database so far, assembled from your own chapters: chapter 01's tables and SQL over your
 * chapter 02 LSM-tree, on a simulated disk that crashes. When chapter 01 is unfinished, the
 * failure says so.
 */

import { describe, expect, it } from 'vitest';
import { SimDisk } from '../../shared/fs/sim-disk.js';
import { Random } from '../../shared/random.js';
import { fromEarlierChapters } from '../../shared/testing/cumulative.js';
import { because } from '../../shared/testing/explain.js';
import { executeSql } from '@impl/chapter01-data-models/sql-executor.js';
import { Database } from '@impl/chapter01-data-models/table-storage.js';
import { LsmTree } from '@impl/chapter02-storage-engines/lsm-tree.js';
import { ordersSchema, usersSchema } from '../chapter01-data-models/fixtures.js';

const NOTES = '2.7 The manifest and recovery';
const REGIONS = ['SEA', 'NYC', 'LON'];

/** Small memtables and blocks, so 300 rows flush and compact into several tables. */
const open = (disk: SimDisk) => new LsmTree(disk, { dir: 'db', syncPolicy: 'none', memtableBytes: 2048, blockBytes: 512, tierFanIn: 2 });

describe('cumulative: chapter 01 tables over your chapter 02 LSM-tree', () => {
  it('tables written, synced and crashed answer the classic join query from the recovered store', () => {
    fromEarlierChapters('chapter02', ['chapter01'], () => scenario());
  });
});

function scenario(): void {
  const disk = new SimDisk(new Random(7));
  let store = open(disk);
  let db = new Database(store);
  db.createTable(usersSchema);
  db.createTable(ordersSchema);
  for (let id = 1; id <= 60; id++) db.insert('users', { id, name: `user ${id}`, region: REGIONS[id % 3]! });
  for (let id = 1; id <= 240; id++) db.insert('orders', { id, user_id: (id % 60) + 1, total: id / 4 });
  store.sync();
  // Written after the last sync: the crash may lose them, and the synced rows must not mind.
  db.insert('users', { id: 61, name: 'unsynced', region: 'SEA' });
  disk.crash();

  store = open(disk);
  db = new Database(store);
  expect(db.tableNames().sort(), because('the catalog is stored in the LSM-tree and survives a crash after sync', NOTES)).toEqual(['orders', 'users']);
  expect(db.scan('users').filter((u) => Number(u.id) <= 60), because('every synced row survives the crash', NOTES)).toHaveLength(60);
  expect(db.scan('orders'), because('every synced row survives the crash', NOTES)).toHaveLength(240);
  const result = executeSql(
    db,
    "SELECT u.name, SUM(o.total) AS spent FROM users u JOIN orders o ON o.user_id = u.id WHERE u.region = 'SEA' AND u.id <= 60 GROUP BY u.name ORDER BY spent DESC LIMIT 3",
  );
  // The same query in plain code over the rows this test wrote.
  const spent = new Map<number, number>();
  for (let id = 1; id <= 240; id++) spent.set((id % 60) + 1, (spent.get((id % 60) + 1) ?? 0) + id / 4);
  const expected = [...spent]
    .filter(([user]) => REGIONS[user % 3] === 'SEA')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([user, total]) => ({ name: `user ${user}`, spent: total }));
  expect(result.rows, because('SQL over the recovered store equals the same query in plain code', NOTES)).toEqual(expected);
  store.close();
}
