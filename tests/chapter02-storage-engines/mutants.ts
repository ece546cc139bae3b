/**
 * Known-buggy versions of chapter 02's solutions. `npm run check:mutants -- chapter02` applies
 * each one to a copy of `solutions/` and proves that at least one test fails. Each is a mistake
 * learners really make; they double as "find the bug" exercises.
 */

import type { Mutant } from '../../shared/testing/mutant.js';

export const mutants: readonly Mutant[] = [
  {
    name: 'torn-tail-is-fatal',
    description: 'a log reader that treats a torn last record as corruption, so a crash makes the store unopenable',
    file: 'chapter02-storage-engines/log-record.ts',
    find: 'if (start + length > bytes.length) break; // torn inside the payload',
    replace: "if (start + length > bytes.length) throw new CorruptionError(file, at, 'record runs past the end');",
  },
  {
    name: 'lsm-recovery-ignores-wal',
    description: 'recovery that opens the tables but never replays the write-ahead log, losing the memtable',
    file: 'chapter02-storage-engines/lsm-tree.ts',
    find: 'for (const ops of replayWal(fs, walPath).batches) this.applyToMemtable(ops);',
    replace: 'replayWal(fs, walPath);',
  },
  {
    name: 'wal-every-write-skips-fsync',
    description: "a write-ahead log that acknowledges writes under 'every-write' before fsyncing them",
    file: 'chapter02-storage-engines/wal.ts',
    find: "if (this.syncPolicy === 'every-write') this.file.sync();",
    replace: '',
  },
  {
    name: 'sstable-writer-forgets-last-block',
    description: 'an SSTable writer that never writes its last, partly filled data block: the largest keys vanish',
    file: 'chapter02-storage-engines/sstable.ts',
    find: 'if (this.block.count > 0) this.finishBlock();',
    replace: '',
  },
  {
    name: 'block-search-off-by-one',
    description: 'a binary search inside a block that skips past an equal key',
    file: 'chapter02-storage-engines/block.ts',
    find: 'if (this.compareKeyAt(mid, key) < 0) lo = mid + 1;',
    replace: 'if (this.compareKeyAt(mid, key) <= 0) lo = mid + 1;',
  },
  {
    name: 'bloom-filter-hashes-once',
    description: 'a Bloom filter whose k probes all land on the same bit: one hash, not k',
    file: 'chapter02-storage-engines/bloom-filter.ts',
    find: 'return murmur3(key, 0x5bd1e995) | 1;',
    replace: 'return 0;',
  },
  {
    name: 'merge-prefers-older-version',
    description: 'a merging iterator that breaks ties between sources the wrong way, so old values come back',
    file: 'chapter02-storage-engines/merging-iterator.ts',
    find: 'return d < 0 || (d === 0 && a.source < b.source);',
    replace: 'return d < 0 || (d === 0 && a.source > b.source);',
  },
  {
    name: 'compaction-always-drops-tombstones',
    description: 'compaction that drops tombstones even when an older table still holds the deleted key',
    file: 'chapter02-storage-engines/lsm-tree.ts',
    find: 'const dropTombstones = end === this.readers.length;',
    replace: 'const dropTombstones = true;',
  },
  {
    name: 'manifest-overwritten-in-place',
    description: 'a manifest rewritten in place instead of written aside and renamed: a crash can tear it',
    file: 'chapter02-storage-engines/manifest.ts',
    find: 'const tmp = `${dir}/${MANIFEST_FILE}.tmp`;',
    replace: 'const tmp = `${dir}/${MANIFEST_FILE}`;',
  },
  {
    name: 'bitcask-merge-keeps-stale-segments',
    description: 'Bitcask recovery that replays segments a finished merge replaced, resurrecting deleted keys',
    file: 'chapter02-storage-engines/bitcask.ts',
    find: 'const live = segmentNumbers.filter((n) => n > floor);',
    replace: 'const live = segmentNumbers;',
  },
  {
    name: 'btree-split-loses-median',
    description: 'a leaf split starts the right half one entry too late, so the entry at the cut vanishes',
    file: 'chapter02-storage-engines/btree-node.ts',
    find: 'keys: node.keys.slice(m), values: node.values.slice(m)',
    replace: 'keys: node.keys.slice(m + 1), values: node.values.slice(m + 1)',
    tests: ['33-btree-insert.test.ts'],
  },
  {
    name: 'btree-page-checksum-ignored',
    description: 'a page is decoded without comparing its stored checksum, so a flipped byte returns wrong data',
    file: 'chapter02-storage-engines/btree-page.ts',
    find: 'if (stored !== computed) {',
    replace: 'if (stored !== computed && stored === 0) {',
    tests: ['31-btree-page.test.ts', '36-btree-crash-recovery.test.ts'],
  },
  {
    name: 'btree-recovery-takes-first-meta',
    description: 'recovery uses the first valid meta page instead of the one with the newest commit, so reopening can roll back synced writes',
    file: 'chapter02-storage-engines/btree-pager.ts',
    find: 'const best = metas.sort((a, b) => b.txn - a.txn)[0];',
    replace: 'const best = metas[0];',
    tests: ['36-btree-crash-recovery.test.ts'],
  },
  {
    name: 'btree-cow-frees-before-commit',
    description: 'a page replaced by its copy is reusable at once, before the commit, so new pages overwrite the last committed tree and a crash corrupts it',
    file: 'chapter02-storage-engines/btree-pager.ts',
    find: 'this.cache.delete(pageNo);\n    this.pendingFree.push(pageNo);\n    return this.allocate(node);',
    replace: 'this.cache.delete(pageNo);\n    this.free.push(pageNo);\n    return this.allocate(node);',
    tests: ['36-btree-crash-recovery.test.ts'],
  },
  {
    name: 'rle-decoder-off-by-one',
    description: 'the run-length decoder starts counting at 1, so every run comes back one value short',
    file: 'chapter02-storage-engines/column-encoding.ts',
    find: 'for (let k = 0; k < run.length; k++) values.push(run.value);',
    replace: 'for (let k = 1; k < run.length; k++) values.push(run.value);',
    tests: ['41-column-encoding.test.ts'],
  },
  {
    name: 'filter-reads-every-column',
    description: 'the filtered aggregate loads every column of the table, like a row store, instead of only the ones it needs',
    file: 'chapter02-storage-engines/column-query.ts',
    find: 'for (const name of columnsNeeded(query)) table.readColumn(name);',
    replace: 'for (const name of table.columns.map((c) => c.name)) table.readColumn(name);',
    tests: ['43-filtered-aggregate.test.ts'],
  },
];
