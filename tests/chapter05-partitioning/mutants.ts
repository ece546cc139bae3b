/**
 * Known-buggy versions of the chapter's solutions. `npm run check:mutants -- chapter05` proves the
 * tests catch each one.
 *
 * Spoiler: each `find` is a line of the reference solution. Finish the chapter's exercises
 * before reading this file.
 */

import type { Mutant } from '../../shared/testing/mutant.js';

export const mutants: Mutant[] = [
  {
    name: 'split-key-on-both-sides',
    description: 'a split copies the median key to the new partition but leaves it in the old store too, so a later merge resurrects it after a delete',
    file: 'chapter05-partitioning/range-partitioned-kv.ts',
    find: "p.store.batch(moving.map((e) => ({ type: 'delete', key: e.key })));",
    replace: "p.store.batch(moving.slice(1).map((e) => ({ type: 'delete', key: e.key })));",
    tests: ['01-key-ranges.test.ts'],
  },
  {
    name: 'range-end-inclusive',
    description: 'the map treats a range end as inclusive, so the key at a boundary belongs to the partition that ends there',
    file: 'chapter05-partitioning/key-range-map.ts',
    find: 'if (candidate !== undefined && (candidate.end === undefined || compareBytes(key, candidate.end) < 0)) return candidate;',
    replace: 'if (candidate !== undefined && (candidate.end === undefined || compareBytes(key, candidate.end) <= 0)) return candidate;',
    tests: ['01-key-ranges.test.ts'],
  },
  {
    name: 'touching-ranges-overlap',
    description: 'the map rejects ranges that only touch ([a, k) and [k, z)), as if half-open ranges shared their boundary',
    file: 'chapter05-partitioning/key-range-map.ts',
    find: 'if (prev.end === undefined || compareBytes(prev.end, next.start) > 0) {',
    replace: 'if (prev.end === undefined || compareBytes(prev.end, next.start) >= 0) {',
    tests: ['01-key-ranges.test.ts'],
  },
  {
    name: 'scan-ignores-limit-across-partitions',
    description: 'each partition gets the whole limit, so a limited scan across partitions returns too many entries',
    file: 'chapter05-partitioning/range-partitioned-kv.ts',
    find: '        left--;\n',
    replace: '',
  },
  {
    name: 'salted-scan-concatenates-buckets',
    description: 'the salted scan reads the buckets one after another without merging, so the window comes back out of order',
    file: 'chapter05-partitioning/salting.ts',
    find: 'if (best < 0 || compareBytes(unsaltKey(head.key), unsaltKey(runs[best]![at[best]!]!.key)) < 0) best = b;',
    replace: 'if (best < 0) best = b;',
    tests: ['02-hot-spots.test.ts'],
  },
  {
    name: 'ring-hashes-node-name-only',
    description: 'the ring hashes the node without its virtual-node number, so all V points of a node land in one place and the ring is as uneven as with V = 1',
    file: 'chapter05-partitioning/hash-ring.ts',
    find: 'this.points.push({ position: hashKey(virtualNodeKey(node, v)), node });',
    replace: 'this.points.push({ position: hashKey(virtualNodeKey(node, 0)), node });',
    tests: ['03-hash-partitioning.test.ts'],
  },
  {
    name: 'ring-key-concatenated-text',
    description: 'ring keys are the node name and the number concatenated as text, so ("node1", 0) and ("node", 10) collide',
    file: 'chapter05-partitioning/hash-ring.ts',
    find: 'return encodeKey([node, v]);',
    replace: 'return new TextEncoder().encode(node + String(v));',
    tests: ['03-hash-partitioning.test.ts'],
  },
  {
    name: 'ring-does-not-wrap',
    description: 'a key hashed past the last point goes to the last point instead of wrapping round to the first',
    file: 'chapter05-partitioning/hash-ring.ts',
    find: 'return this.points[lo === this.points.length ? 0 : lo]!.node;',
    replace: 'return this.points[Math.min(lo, this.points.length - 1)]!.node;',
    tests: ['03-hash-partitioning.test.ts'],
  },
  {
    name: 'fixed-partitions-taken-from-the-poorest',
    description: 'a joining node takes partitions from the node holding the fewest, so the loads drift apart',
    file: 'chapter05-partitioning/fixed-partitions.ts',
    find: 'list.length > best.length ||',
    replace: 'list.length < best.length ||',
    tests: ['03-hash-partitioning.test.ts'],
  },
  {
    name: 'hash-without-finaliser',
    description: 'the key hash is FNV-1a alone, whose low bits depend only on the low bits of the bytes',
    file: 'chapter05-partitioning/hash.ts',
    find: 'return fmix64(fnv1a64(typeof key === \'string\' ? utf8(key) : key));',
    replace: 'return fnv1a64(typeof key === \'string\' ? utf8(key) : key);',
    tests: ['03-hash-partitioning.test.ts'],
  },
  {
    name: 'scatter-gather-stops-at-first-partition',
    description: 'the local index query stops after the first partition that has matches, returning a correct-looking subset',
    file: 'chapter05-partitioning/local-index.ts',
    find: '      ids.push(...scanTerm(this.stores[p]!, field, value));\n',
    replace: '      ids.push(...scanTerm(this.stores[p]!, field, value));\n      if (ids.length > 0) break;\n',
    tests: ['06-secondary-indexes.test.ts'],
  },
  {
    name: 'local-update-keeps-old-index-entries',
    description: 'replacing a document writes its new index entries but never deletes the old version\'s',
    file: 'chapter05-partitioning/local-index.ts',
    find: 'for (const [field, value] of Object.entries(old.fields)) ops.push({ type: \'delete\', key: indexKey(field, value, id) });',
    replace: '',
    tests: ['06-secondary-indexes.test.ts'],
  },
  {
    name: 'global-update-queues-only-additions',
    description: 'a global index update queues the new terms but no removal of the old ones, so old values stay indexed forever',
    file: 'chapter05-partitioning/global-index.ts',
    find: "if (doc.fields[field] !== value) this.queue.push({ type: 'remove', field, value, id: doc.id });",
    replace: '',
    tests: ['06-secondary-indexes.test.ts'],
  },
  {
    name: 'global-index-written-synchronously-to-the-document-partition',
    description: 'the global index entry goes to the document\'s partition instead of the term\'s, so one-partition queries miss most of it',
    file: 'chapter05-partitioning/global-index.ts',
    find: 'const p = this.termPartition(u.field, u.value);',
    replace: 'const p = choosePartition(this.partitionOf, u.id, this.stores.length, \'drain\');',
    tests: ['06-secondary-indexes.test.ts'],
  },
];
