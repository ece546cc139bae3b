/**
 * The database so far, assembled from your own chapters: chapter 03's schema registry, framed
 * Avro records and order-preserving keys, stored in your chapter 02 B-tree on a simulated disk.
 * When an earlier chapter is unfinished, the failure says which.
 */

import { describe, expect, it } from 'vitest';
import { SimDisk } from '../../shared/fs/sim-disk.js';
import { prefixRange } from '../../shared/kv.js';
import { Random } from '../../shared/random.js';
import { fromEarlierChapters } from '../../shared/testing/cumulative.js';
import { because } from '../../shared/testing/explain.js';
import { BTree } from '@impl/chapter02-storage-engines/btree.js';
import { parseAvroSchema } from '@impl/chapter03-encoding/avro-schema.js';
import { decodeOrderedKey, encodeOrderedKey } from '@impl/chapter03-encoding/ordered-key.js';
import { SchemaRegistry } from '@impl/chapter03-encoding/schema-registry.js';

const NOTES = '3.6 A schema registry';
const FILE = 'db/users.btree';

const v1 = parseAvroSchema({ type: 'record', name: 'User', fields: [{ name: 'name', type: 'string' }, { name: 'age', type: 'int' }] });
const v2 = parseAvroSchema({
  type: 'record',
  name: 'User',
  fields: [
    { name: 'name', type: 'string' },
    { name: 'age', type: 'long' },
    { name: 'email', type: ['null', 'string'], default: null },
  ],
});

describe('cumulative: chapter 03 on your chapter 02 B-tree', () => {
  it('schemas and framed records written by two versions survive a restart and read as the newest', () => {
    fromEarlierChapters('chapter03', ['chapter02'], () => scenario());
  });
});

function scenario(): void {
  const disk = new SimDisk(new Random(3));
  disk.mkdir('db');
  let tree = BTree.open(disk, FILE);
  let registry = new SchemaRegistry(tree);
  registry.register('users', v1);
  for (let id = 1; id <= 40; id++) {
    tree.put(encodeOrderedKey(['users', BigInt(id)]), registry.encode('users', { name: `user ${id}`, age: 20 + id }));
  }
  registry.register('users', v2);
  for (let id = -5; id <= 0; id++) {
    tree.put(encodeOrderedKey(['users', BigInt(id)]), registry.encode('users', { name: `new ${id}`, age: id, email: `${id}@example.org` }));
  }
  tree.sync();
  tree.close();

  tree = BTree.open(disk, FILE);
  registry = new SchemaRegistry(tree);
  expect(registry.versions('users'), because('the registry lives in the store and survives a restart', NOTES)).toEqual([1, 2]);
  const rows = [...tree.scan(prefixRange(encodeOrderedKey(['users'])))].map((e) => ({
    id: decodeOrderedKey(e.key)[1],
    user: registry.decode(e.value, v2),
  }));
  expect(rows.map((r) => r.id), because('ordered keys scan in numeric order, negatives first', '3.7 Order-preserving keys')).toEqual(
    Array.from({ length: 46 }, (_, i) => BigInt(i - 5)),
  );
  expect(rows[0]!.user).toEqual({ name: 'new -5', age: -5, email: '-5@example.org' });
  expect(rows[45]!.user, because("old rows take the new reader's defaults and promotions", '3.4 Schema resolution')).toEqual({ name: 'user 40', age: 60, email: null });
  tree.close();
}
