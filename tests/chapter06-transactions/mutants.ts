/**
 * Known-buggy versions of the chapter's solutions. `npm run check:mutants -- chapter06` proves the
 * tests catch each one.
 *
 * Spoiler: each `find` is a line of the reference solution. Finish the chapter's exercises
 * before reading this file.
 */

import type { Mutant } from '../../shared/testing/mutant.js';

const ATOMIC = 'chapter06-transactions/atomic-store.ts';
const LOCKS = 'chapter06-transactions/lock-manager.ts';
const RC = 'chapter06-transactions/read-committed.ts';
const SI = 'chapter06-transactions/snapshot-isolation.ts';
const TWO_PL = 'chapter06-transactions/two-phase-locking.ts';
const SSI = 'chapter06-transactions/ssi.ts';
const LAB = 'chapter06-transactions/anomaly-lab.ts';
const CHECKER = 'chapter06-transactions/anomaly-checker.ts';

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
  {
    name: 'dirty-writes-allowed',
    description: 'a write takes no exclusive row lock, so a second writer overwrites an uncommitted write',
    file: RC,
    find: "    this.life.ensureActive('put');\n    this.lock(this.engine.locks.acquire(this.id, key, 'exclusive'), lockName(key));",
    replace: "    this.life.ensureActive('put');",
    tests: ['02-read-committed.test.ts'],
  },
  {
    name: 'deadlock-detector-misses-longer-cycles',
    description: 'the detector only looks at direct edges back to the requester, so a cycle through three transactions is never found',
    file: LOCKS,
    find: '        if (visit(next)) return true;',
    replace: '        if (false as boolean) return visit(next);',
    tests: ['02-read-committed.test.ts'],
  },
  {
    name: 'visibility-ignores-in-progress',
    description: 'the visibility rule forgets the in-progress set, so a transaction running when the snapshot was taken becomes visible once it commits',
    file: SI,
    find: 'return writer < snapshot.xmax && !snapshot.inProgress.has(writer) && this.statusOf(writer) === \'committed\';',
    replace: 'return writer < snapshot.xmax && this.statusOf(writer) === \'committed\';',
    tests: ['03-snapshot-isolation.test.ts'],
  },
  {
    name: 'snapshot-sees-later-commits',
    description: 'the visibility rule has no xmax, so a snapshot sees transactions that committed after it began',
    file: SI,
    find: 'return writer < snapshot.xmax && !snapshot.inProgress.has(writer) && this.statusOf(writer) === \'committed\';',
    replace: 'return this.statusOf(writer) === \'committed\';',
    tests: ['03-snapshot-isolation.test.ts'],
  },
  {
    name: 'first-committer-wins-missing-at-commit',
    description: 'write conflicts are checked only when writing, so a concurrent writer that commits in between goes unnoticed',
    file: SI,
    find: "    for (const key of this.written) this.checkConflict(key, 'commit');\n",
    replace: '',
    tests: ['03-snapshot-isolation.test.ts'],
  },
  {
    name: 'gc-drops-visible-version',
    description: 'gc ignores the horizon, so it removes an old version a live snapshot still reads',
    file: SI,
    find: '      if (version.writer >= horizon || this.statusOf(version.writer) !== \'committed\') continue;',
    replace: '      if (this.statusOf(version.writer) !== \'committed\') continue;',
    tests: ['03-snapshot-isolation.test.ts'],
  },
  {
    name: '2pl-no-read-locks',
    description: 'two-phase locking takes no shared lock on reads, so write skew commits',
    file: TWO_PL,
    find: "    txn.lock(this.locks.acquire(txn.id, key, 'shared'), lockName(key));",
    replace: '    void lockName;',
    tests: ['04-serializable.test.ts'],
  },
  {
    name: '2pl-locks-released-before-commit',
    description: 'a read lock is released as soon as the read is done, so two-phase locking is no longer two-phase',
    file: TWO_PL,
    find: "    txn.lock(this.locks.acquire(txn.id, key, 'shared'), lockName(key));",
    replace: "    txn.lock(this.locks.acquire(txn.id, key, 'shared'), lockName(key));\n    this.locks.release(txn.id, key);",
    tests: ['04-serializable.test.ts'],
  },
  {
    name: 'range-lock-misses-inserts',
    description: 'an exclusive lock ignores other transactions\' range locks, so an insert into a scanned range is a phantom',
    file: LOCKS,
    find: '      for (const held of this.ranges) if (held.txn !== txn && inRange(key, held.range)) holders.add(held.txn);\n',
    replace: '',
    tests: ['04-serializable.test.ts'],
  },
  {
    name: 'ssi-misses-write-side-edges',
    description: 'SSI records rw-antidependencies only when a reader skips an invisible version, never when a writer overwrites what a concurrent transaction read',
    file: SSI,
    find: '      if (other.keys.has(keyId(key)) || other.ranges.some((range) => inRange(key, range))) this.addEdge(other.txn.id, txn, txn);',
    replace: '      void inRange;',
    tests: ['04-serializable.test.ts'],
  },
  {
    name: 'scheduler-requeues-waiting-step',
    description: 'a step that waits goes to the back of its transaction\'s queue, so later steps overtake it: a transaction commits without the write it was waiting to make, and a deadlock goes unreported',
    file: LAB,
    find: "        if (result === 'waits') continue;",
    replace: "        if (result === 'waits') {\n          queue.push(queue.shift()!);\n          continue;\n        }",
    tests: ['05-anomaly-lab.test.ts'],
  },
  {
    name: 'abort-keeps-queued-steps',
    description: 'when the database aborts a transaction, only the aborted step leaves its queue, so the steps that waited behind it still run',
    file: LAB,
    find: "        if (result === 'ended') queue.length = 0;\n        else queue.shift();",
    replace: '        queue.shift();',
    tests: ['05-anomaly-lab.test.ts'],
  },
  {
    name: 'abort-runs-later-steps',
    description: 'steps released after the database aborted their transaction are still queued and run',
    file: LAB,
    find: '    if (aborted.has(step.txn)) continue; // the database aborted it: its later steps are dropped\n',
    replace: '',
    tests: ['05-anomaly-lab.test.ts'],
  },
  {
    name: 'stuck-schedule-returns',
    description: 'transactions still waiting when every step was released are ignored, so an engine that misses a deadlock looks fine',
    file: LAB,
    find: '  if (stuck.length > 0) {',
    replace: '  if (stuck.length < 0) {',
    tests: ['05-anomaly-lab.test.ts'],
  },
  {
    name: 'lab-runs-only-the-script-order',
    description: 'judge runs only Hermitage\'s own interleaving, so "prevented" means "not in that one schedule"',
    file: LAB,
    find: '  for (const order of interleavings(testCase.script)) {',
    replace: '  for (const order of [[...testCase.script]]) {',
    tests: ['05-anomaly-lab.test.ts'],
  },
  {
    name: 'interleavings-miss-orders',
    description: 'the recursion takes a step only from the first transaction that has one left, or the next one, never from a later one',
    file: LAB,
    find: '      yield* extend();\n      next[i]!--;\n      order.pop();\n    }',
    replace: '      yield* extend();\n      next[i]!--;\n      order.pop();\n      if (i >= 1) break;\n    }',
    tests: ['05-anomaly-lab.test.ts'],
  },
  {
    name: 'checker-misses-rw-edges',
    description: 'the checker builds ww and wr edges but no rw edges, so a reader that missed a write imposes no order and write skew looks serializable',
    file: CHECKER,
    find: "      if (next !== undefined) add(txn.name, writerOf(op.key, next), 'rw', op.key);\n",
    replace: '',
    tests: ['06-anomaly-checker.test.ts'],
  },
  {
    name: 'checker-counts-aborted-transactions',
    description: 'the checker builds edges from aborted transactions too, so reads and writes that never happened close cycles',
    file: CHECKER,
    find: "  const committed = history.filter((txn) => txn.status === 'committed');",
    replace: '  const committed = history;',
    tests: ['06-anomaly-checker.test.ts'],
  },
  {
    name: 'checker-wr-from-first-element',
    description: 'a read is taken to read from the appender of the first element of its list instead of the last',
    file: CHECKER,
    find: "add(writerOf(op.key, op.list[op.list.length - 1]!), txn.name, 'wr', op.key);",
    replace: "add(writerOf(op.key, op.list[0]!), txn.name, 'wr', op.key);",
    tests: ['06-anomaly-checker.test.ts'],
  },
  {
    name: 'checker-no-ww-edges',
    description: 'the version order gives no ww edges, so interleaved appends of two transactions (G0) go unnoticed',
    file: CHECKER,
    find: "    for (let i = 1; i < list.length; i++) add(writerOf(key, list[i - 1]!), writerOf(key, list[i]!), 'ww', key);",
    replace: '    void list;',
    tests: ['06-anomaly-checker.test.ts'],
  },
  {
    name: 'checker-wr-cycles-are-g1c',
    description: 'any cycle with a wr edge is called G1c, even one with an rw edge (read skew is G2)',
    file: CHECKER,
    find: "  if (cycle.every((edge) => edge.type !== 'rw')) return 'G1c';",
    replace: "  if (cycle.some((edge) => edge.type === 'wr')) return 'G1c';",
    tests: ['06-anomaly-checker.test.ts'],
  },
  {
    name: 'checker-version-order-from-first-read',
    description: 'the version order of a key is the first list read of it, not the longest, so later appends get no ww or rw edges',
    file: CHECKER,
    find: '      if (op.list.length > known.list.length) longest.set(op.key, { list: op.list, txn: txn.name });\n',
    replace: '',
    tests: ['06-anomaly-checker.test.ts'],
  },
  {
    name: 'checker-misses-g-single-cycles',
    description: 'every component of the full graph is reported by its shortest cycle through its first transaction, so a read skew beside a write skew is called G2-item',
    file: CHECKER,
    find: "      const cycle = (types.includes('rw') ? singleRwCycle(component, graph) : undefined) ?? shortestCycle(component, graph);",
    replace: '      const cycle = shortestCycle(component, graph);\n      void singleRwCycle;',
    tests: ['07-randomized-histories.test.ts'],
  },
  {
    name: 'checker-one-rw-is-g2-item',
    description: 'a cycle with exactly one rw edge is classified G2-item, so read skew is never told apart from write skew',
    file: CHECKER,
    find: "  if (cycle.filter((edge) => edge.type === 'rw').length === 1) return 'G-single';\n",
    replace: '',
    tests: ['07-randomized-histories.test.ts', '06-anomaly-checker.test.ts'],
  },
  {
    name: 'lost-update-from-first-read',
    description: 'the lost-update check compares the append with the first read of the key instead of the last one before it, so a transaction that re-read the key up to date is blamed',
    file: CHECKER,
    find: '        if (!appended.has(op.key)) lastRead.set(op.key, op.list);',
    replace: '        if (!appended.has(op.key) && !lastRead.has(op.key)) lastRead.set(op.key, op.list);',
    tests: ['07-randomized-histories.test.ts'],
  },
  {
    name: 'lost-update-ignores-empty-read',
    description: 'a read of the empty list is not taken as a read, so two transactions that both start a key\'s list lose an update unnoticed',
    file: CHECKER,
    find: '      if (!first || read === undefined) continue;',
    replace: '      if (!first || read === undefined || read.length === 0) continue;',
    tests: ['07-randomized-histories.test.ts'],
  },
];
