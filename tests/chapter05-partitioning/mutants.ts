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
];
