/**
 * Known-buggy versions of chapter 02's solutions. `npm run check:mutants -- chapter02` applies
 * each one to a copy of `solutions/` and proves that at least one test fails. Each is a mistake
 * learners really make; they double as "find the bug" exercises.
 */

import type { Mutant } from '../../shared/testing/mutant.js';

export const mutants: readonly Mutant[] = [
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
