/**
 * Known-buggy versions of the chapter's solutions. `npm run check:mutants -- chapter08` proves the
 * tests catch each one.
 *
 * Spoiler: each `find` is a line of the reference solution. Finish the chapter's exercises
 * before reading this file.
 */

import type { Mutant } from '../../shared/testing/mutant.js';

const CHECKER = 'chapter08-consensus/register-checker.ts';

export const mutants: Mutant[] = [
  {
    name: 'real-time-ignored',
    description: 'any unplaced operation may go next, even one called after another returned: stale reads pass',
    file: CHECKER,
    find: 'for (let j = 0; j < n; j++) if (j !== i && placed[j] === 0 && deadline[j]! < ops[i]!.call) return false;',
    replace: 'void i;',
  },
  {
    name: 'touching-intervals-ordered',
    description: 'an operation that returned exactly when another was called is taken to come first',
    file: CHECKER,
    find: 'deadline[j]! < ops[i]!.call) return false;',
    replace: 'deadline[j]! <= ops[i]!.call) return false;',
  },
  {
    name: 'failed-operations-kept',
    description: 'failed operations are searched like unknown ones, so a failed write may explain a read',
    file: CHECKER,
    find: "const ops = history.filter((op) => op.status !== 'fail' && !(op.status === 'info' && op.input.f === 'read'));",
    replace: "const ops = history.filter((op) => !(op.status === 'info' && op.input.f === 'read')).map((op) => (op.status === 'fail' ? { ...op, status: 'info' as const, return: Infinity } : op));",
  },
  {
    name: 'unknown-operations-dropped',
    description: 'operations with an unknown outcome are treated as never having happened',
    file: CHECKER,
    find: "const ops = history.filter((op) => op.status !== 'fail' && !(op.status === 'info' && op.input.f === 'read'));",
    replace: "const ops = history.filter((op) => op.status === 'ok');",
  },
  {
    name: 'unknown-operations-must-happen-by-their-call',
    description: 'an operation with an unknown outcome is given a deadline at its call, as if it returned at once',
    file: CHECKER,
    find: "const deadline = ops.map((op) => (op.status === 'ok' ? op.return : Infinity));",
    replace: "const deadline = ops.map((op) => (op.status === 'ok' ? op.return : op.call));",
  },
  {
    name: 'cas-ignores-its-result',
    description: 'a cas is applied as if it always swapped, whatever it returned',
    file: 'chapter08-consensus/register-checker.ts',
    find: 'const swaps = state === input.from;',
    replace: 'const swaps = output === undefined ? state === input.from : true;',
  },
  {
    name: 'read-accepts-any-value-from-unknown-state',
    description: 'a read of a never-written register accepts any value',
    file: CHECKER,
    // With its case label: the line alone also occurs in the shared model and the tests' model.
    find: "case 'read':\n      return output === undefined || output === state ? state : undefined;",
    replace: "case 'read':\n      return output === undefined || output === state || state === null ? state : undefined;",
  },
  {
    name: 'memo-by-state-only',
    description: 'the search remembers only the register value, not which operations are placed, and prunes orders it never tried',
    file: CHECKER,
    find: "const key = `${placed.join('')}|${String(state)}`;",
    replace: "const key = `${String(state)}|${placedOk}`;",
  },
  {
    name: 'no-memo',
    description: 'the search forgets the configurations it explored, and is exponential on illegal histories',
    file: CHECKER,
    find: '    if (seen.has(key)) return false;\n',
    replace: '',
  },
  {
    name: 'order-leaves-out-unknown-operations',
    description: 'the order reports only completed operations, so a read explained by a timed-out write looks unexplained',
    file: CHECKER,
    find: "if (explore(null, 0)) return { verdict: 'ok', order: path.map((i) => ops[i]!.id) };",
    replace: "if (explore(null, 0)) return { verdict: 'ok', order: path.filter((i) => ops[i]!.status === 'ok').map((i) => ops[i]!.id) };",
  },
  {
    name: 'no-backtracking-of-placed-flag',
    description: 'a choice that led nowhere is undone in the path but its operation stays marked as placed',
    file: CHECKER,
    find: '      path.pop();\n      placed[i] = 0;\n',
    replace: '      path.pop();\n',
  },
  {
    name: 'return-before-call-accepted',
    description: 'an operation that returns before it is called is accepted as input',
    file: CHECKER,
    find: 'if (op.return < op.call) throw new HistoryError(op.id, `it returns (${op.return}) before it is called (${op.call})`);',
    replace: '',
  },
];
