/**
 * Correct versions of chapter 05's solutions that differ from the reference the way a learner's
 * code often does. `npm run check:mutants -- chapter05` requires each to pass every test: a test
 * that one of them fails expects an accident of the reference, not a property of partitioning.
 *
 * Spoiler: each `find` is a line of the reference solution. Finish the chapter's exercises
 * before reading this file.
 */
import type { Variant } from '../../shared/testing/mutant.js';

const REBALANCE = 'chapter05-partitioning/rebalance.ts';
const ROUTING = 'chapter05-partitioning/routing.ts';

export const variants: Variant[] = [
  {
    name: 'rebalance-gives-lowest-partitions-first',
    description: 'a node over its target gives away its lowest-numbered partitions instead of its highest: other partitions move, the same number of them',
    edits: [{ file: REBALANCE, find: 'while (list.length > target.get(node)!) pool.push(list.pop()!);', replace: 'while (list.length > target.get(node)!) pool.push(list.shift()!);' }],
  },
  {
    name: 'rebalance-ties-to-the-last-listed',
    description: 'among equally loaded nodes the last listed keeps the extra partition, and receivers are filled from the last member: another tie-break, the same bounds and move count',
    edits: [
      { file: REBALANCE, find: 'const byLoad = [...nodes].sort((a, b) => held.get(b)!.length - held.get(a)!.length);', replace: 'const byLoad = [...nodes].reverse().sort((a, b) => held.get(b)!.length - held.get(a)!.length);' },
      { file: REBALANCE, find: '  for (const node of nodes) {\n    const list = held.get(node)!;\n    while (list.length < target', replace: '  for (const node of [...nodes].reverse()) {\n    const list = held.get(node)!;\n    while (list.length < target' },
    ],
  },
  {
    name: 'router-refreshes-on-every-timeout',
    description: 'the client also asks the coordinator for the map whenever a request times out, not only when it is rejected: more map requests, the same routing',
    edits: [{ file: ROUTING, find: '    if (pending === undefined) return;\n    pending.waiting = false;\n    this.send(pending);\n', replace: '    if (pending === undefined) return;\n    pending.waiting = false;\n    this.send(pending);\n    this.refresh();\n' }],
  },
];
