/**
 * `npm run bench -- chapter01`: why the planner prefers a hash join, and what the chapter's
 * queries cost over the in-memory store (solutions/).
 *
 * 1. Hash join against nested-loop join on users × orders (4 orders per user) at growing sizes.
 *    The nested loop grows with the product of the sizes, the hash join with their sum.
 *    Goal: the hash join at least 10× faster from 1,000 users on.
 * 2. The classic `users JOIN orders WHERE region = 'SEA'` query through SQL, end to end
 *    (parse, two table scans that decode JSON rows, hash join, filter, project).
 * 3. Shortest path across a 100 × 100 grid graph (10,000 vertices, 19,800 edges).
 */

import { performance } from 'node:perf_hooks';
import { MemoryKV } from '../shared/memory-kv.js';
import { Random } from '../shared/random.js';
import { col, eq } from '../solutions/chapter01-data-models/expression.js';
import { PropertyGraph } from '../solutions/chapter01-data-models/graph-store.js';
import { shortestPath } from '../solutions/chapter01-data-models/graph-paths.js';
import { hashJoin, nestedLoopJoin } from '../solutions/chapter01-data-models/joins.js';
import type { Relation } from '../solutions/chapter01-data-models/relation.js';
import { executeSql } from '../solutions/chapter01-data-models/sql-executor.js';
import { Database } from '../solutions/chapter01-data-models/table-storage.js';

/** Best wall time of `rounds` runs of `fn`, in milliseconds: the least disturbed run. */
function bestMs(fn: () => unknown, rounds: number): number {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

function relations(users: number, random: Random): { left: Relation; right: Relation } {
  const left: Relation = {
    columns: ['u.id', 'u.region'],
    rows: Array.from({ length: users }, (_, i) => ({ 'u.id': i, 'u.region': random.pick(['SEA', 'NYC', 'LON']) })),
  };
  const right: Relation = {
    columns: ['o.id', 'o.user_id'],
    rows: Array.from({ length: users * 4 }, (_, i) => ({ 'o.id': i, 'o.user_id': random.int(0, users - 1) })),
  };
  return { left, right };
}

console.log('1. joins: users × orders (4 per user)');
const random = new Random(1);
for (const users of [250, 1_000, 2_000]) {
  const { left, right } = relations(users, random);
  const hashed = bestMs(() => hashJoin(left, right, 'u.id', 'o.user_id'), 5);
  const looped = bestMs(() => nestedLoopJoin(left, right, eq(col('u.id'), col('o.user_id'))), users >= 1_000 ? 1 : 3);
  const speedup = looped / hashed;
  const verdict = users < 1_000 || speedup >= 10 ? 'ok' : 'BELOW GOAL (10x)';
  console.log(
    `   ${String(users).padStart(5)} users  hash ${hashed.toFixed(2).padStart(8)} ms   nested loop ${looped.toFixed(1).padStart(9)} ms   speedup ${speedup.toFixed(0).padStart(5)}x  ${verdict}`,
  );
}

console.log('2. SQL: the classic query, end to end');
{
  const db = new Database(new MemoryKV());
  db.createTable({ name: 'users', primaryKey: 'id', columns: [{ name: 'id', type: 'int' }, { name: 'name', type: 'text' }, { name: 'region', type: 'text' }] });
  db.createTable({ name: 'orders', primaryKey: 'id', columns: [{ name: 'id', type: 'int' }, { name: 'user_id', type: 'int' }, { name: 'total', type: 'float' }] });
  const users = 5_000;
  db.insertMany('users', Array.from({ length: users }, (_, i) => ({ id: i, name: `user${i}`, region: random.pick(['SEA', 'NYC', 'LON']) })));
  db.insertMany('orders', Array.from({ length: users * 4 }, (_, i) => ({ id: i, user_id: random.int(0, users - 1), total: random.int(1, 500) })));
  const sql = "SELECT u.name, o.total FROM users u JOIN orders o ON o.user_id = u.id WHERE u.region = 'SEA'";
  let rows = 0;
  const ms = bestMs(() => {
    rows = executeSql(db, sql).rows.length;
  }, 5);
  console.log(`   ${users} users, ${users * 4} orders: ${ms.toFixed(1)} ms per query, ${rows} rows`);
}

console.log('3. graph: shortest path corner to corner of a 100 × 100 grid');
{
  const graph = new PropertyGraph(new MemoryKV());
  const side = 100;
  const id = (x: number, y: number) => `v${String(x).padStart(3, '0')}-${String(y).padStart(3, '0')}`;
  for (let x = 0; x < side; x++) for (let y = 0; y < side; y++) graph.addVertex(id(x, y), 'Cell');
  for (let x = 0; x < side; x++) {
    for (let y = 0; y < side; y++) {
      if (x + 1 < side) graph.addEdge(id(x, y), 'NEXT', id(x + 1, y));
      if (y + 1 < side) graph.addEdge(id(x, y), 'NEXT', id(x, y + 1));
    }
  }
  let length = 0;
  const ms = bestMs(() => {
    length = shortestPath(graph, id(0, 0), id(side - 1, side - 1))!.length - 1;
  }, 3);
  console.log(`   ${side * side} vertices: ${ms.toFixed(1)} ms, path of ${length} edges`);
}
