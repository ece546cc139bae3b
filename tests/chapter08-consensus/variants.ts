/**
 * Correct versions of chapter 08's solutions that differ from the reference in ways a learner's
 * code often does. `npm run check:mutants -- chapter08` applies each one to a copy of `solutions/`
 * and requires every test to pass: a test that fails on one of them asks for more than the notes
 * promise.
 *
 * Spoiler: each `find` is a piece of the reference solution.
 */

import type { Variant } from '../../shared/testing/mutant.js';

const CHECKER = 'chapter08-consensus/register-checker.ts';

export const variants: readonly Variant[] = [
  {
    name: 'checker-tries-the-latest-call-first',
    description: 'the search tries candidates from the last operation to the first: it may find another order, equally valid',
    edits: [{ file: CHECKER, find: '    for (let i = 0; i < n; i++) {\n      if (placed[i] === 1', replace: '    for (let i = n - 1; i >= 0; i--) {\n      if (placed[i] === 1' }],
  },
  {
    name: 'checker-keeps-unknown-reads',
    description: 'reads with an unknown outcome are searched too instead of being dropped first: more work, same verdicts',
    edits: [
      {
        file: CHECKER,
        find: "const ops = history.filter((op) => op.status !== 'fail' && !(op.status === 'info' && op.input.f === 'read'));",
        replace: "const ops = history.filter((op) => op.status !== 'fail');",
      },
    ],
  },
  {
    name: 'checker-memo-by-sorted-ids',
    description: 'the configurations explored are remembered as the sorted ids placed and the value, not a bitmask',
    edits: [
      {
        file: CHECKER,
        find: "const key = `${placed.join('')}|${String(state)}`;",
        replace: "const key = `${[...path].sort((a, b) => a - b).join(',')}|${String(state)}`;",
      },
    ],
  },
];
