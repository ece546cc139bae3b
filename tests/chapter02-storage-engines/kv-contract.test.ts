/**
 * The ordered key-value contract of `shared/kv.ts`, one suite (`shared/testing/kv-contract.ts`)
 * run on every engine of the chapter. Small segments, memtables and caches make the engines
 * roll, merge, flush, compact and evict while the suite runs, so every path answers.
 */

import { describeKVContract } from '../../shared/testing/kv-contract.js';
import { UsageError } from '../../shared/errors.js';
import { Bitcask } from '@impl/chapter02-storage-engines/bitcask.js';
import { BTree } from '@impl/chapter02-storage-engines/btree.js';
import { MAX_KEY_BYTES } from '@impl/chapter02-storage-engines/btree-page.js';
import { LsmTree } from '@impl/chapter02-storage-engines/lsm-tree.js';

const BITCASK = '1.2 The hash index and recovery';

describeKVContract(
  '1.3 Bitcask: the ordered key-value contract',
  {
    durable: true,
    open: (disk) => new Bitcask(disk, { dir: 'db', segmentBytes: 128, mergeAfterSegments: 3 }),
    settle: (kv) => kv.merge(),
  },
  { sections: { write: BITCASK, delete: BITCASK, scan: BITCASK, batch: BITCASK, recovery: '1.3 Segments and merging' } },
);

const READ = '2.5 The read path';

describeKVContract(
  '2.7 LSM-tree: the ordered key-value contract',
  {
    durable: true,
    open: (disk) => new LsmTree(disk, { dir: 'db', memtableBytes: 256, blockBytes: 64, tierFanIn: 2 }),
    settle: (kv) => kv.flush(),
  },
  { sections: { write: READ, delete: READ, scan: READ, batch: READ, recovery: '2.7 The manifest and recovery' } },
);

describeKVContract(
  '3.6 B-tree: the ordered key-value contract',
  { durable: true, open: (disk) => BTree.open(disk, 'tree.btree', { cachePages: 4 }) },
  {
    sections: { write: '3.3 Search and insert', delete: '3.4 Delete', scan: '3.5 Range scans', batch: '3.4 Delete', recovery: '3.6 Crash safety' },
    refused: { op: { type: 'put', key: new Uint8Array(MAX_KEY_BYTES + 1), value: new Uint8Array(1) }, error: UsageError, section: 'B-trees' },
  },
);
