/**
 * Known-buggy versions of the chapter's solutions. `npm run check:mutants -- chapter06` proves the
 * tests catch each one.
 *
 * Spoiler: each `find` is a line of the reference solution. Finish the chapter's exercises
 * before reading this file.
 */

import type { Mutant } from '../../shared/testing/mutant.js';

const ATOMIC = 'chapter06-transactions/atomic-store.ts';

export const mutants: Mutant[] = [
  {
    name: 'recovery-ignores-commit-records',
    description: 'recovery applies every operation record it reads, so a transaction interrupted before its commit record shows half-done',
    file: ATOMIC,
    find: "        ops.push(record.op);\n        pending.set(record.txn, ops);",
    replace: "        this.memory.batch([record.op]);",
    tests: ['01-atomic-commit.test.ts'],
  },
  {
    name: 'commit-without-fsync',
    description: 'a commit returns before the log is fsynced, so a crash loses a commit the client was told about',
    file: ATOMIC,
    find: '    this.log.append(frame(encodeCommit(txn, ops.length)));\n    this.log.sync();',
    replace: '    this.log.append(frame(encodeCommit(txn, ops.length)));',
    tests: ['01-atomic-commit.test.ts'],
  },
  {
    name: 'recovery-keeps-torn-tail',
    description: 'recovery does not truncate the damaged tail, so the next commit is appended behind garbage and lost by the next recovery',
    file: ATOMIC,
    find: '      at = end;\n    }\n    if (at < bytes.length) {\n      this.log.truncate(at);\n',
    replace: '      at = end;\n    }\n    if (at < bytes.length) {\n',
    tests: ['01-atomic-commit.test.ts'],
  },
];
