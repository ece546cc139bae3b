/**
 * Correct versions of chapter 06's solutions that differ from the reference in ways a learner's
 * code often does. `npm run check:mutants -- chapter06` applies each one to a copy of `solutions/`
 * and requires every test to pass: a test that fails on one of them asks for more than the notes
 * promise.
 *
 * Spoiler: each `find` is a piece of the reference solution.
 */

import type { Variant } from '../../shared/testing/mutant.js';

const ATOMIC = 'chapter06-transactions/atomic-store.ts';
const SI = 'chapter06-transactions/snapshot-isolation.ts';
const SSI = 'chapter06-transactions/ssi.ts';
const LAB = 'chapter06-transactions/anomaly-lab.ts';
const CHECKER = 'chapter06-transactions/anomaly-checker.ts';

export const variants: readonly Variant[] = [
  {
    name: 'first-committer-wins-at-commit-only',
    description: 'write conflicts are checked only at commit, not also when writing: the loser does more work before it aborts, but the same transaction aborts',
    edits: [{ file: SI, find: "    this.checkConflict(key, 'write');\n", replace: '' }],
  },
  {
    name: 'ssi-names-the-newest-edges',
    description: 'a pivot with several live in- and out-edges is explained by the newest of each instead of the oldest: the same transactions abort, with another (equally true) dangerous structure in the message',
    edits: [
      {
        file: SSI,
        find: "      throw pivot.txn.abortWith('serialization-failure', dangerous(into[0]!, txn, out[0]!, 'at commit'));",
        replace: "      throw pivot.txn.abortWith('serialization-failure', dangerous(into[into.length - 1]!, txn, out[out.length - 1]!, 'at commit'));",
      },
    ],
  },
  {
    name: 'scheduler-retries-after-an-end-only',
    description: 'a waiting step is tried again only after some transaction has ended, not on every pass: locks are released only then, so the same steps run in the same order, with fewer refused attempts',
    edits: [
      { file: LAB, find: '  const runQueues = (): void => {\n', replace: '  const blocked = new Set<TxnName>();\n  const runQueues = (): void => {\n' },
      { file: LAB, find: '        if (queue === undefined || step === undefined) continue;', replace: '        if (queue === undefined || step === undefined || blocked.has(name)) continue;' },
      {
        file: LAB,
        find: "        if (result === 'waits') continue;\n        progress = true;\n        if (result === 'ended') queue.length = 0;\n",
        replace: "        if (result === 'waits') {\n          blocked.add(name);\n          continue;\n        }\n        progress = true;\n        if (result === 'ended') {\n          queue.length = 0;\n          blocked.clear();\n        }\n",
      },
    ],
  },
  {
    name: 'interleavings-last-transaction-first',
    description: 'interleavings are generated trying the last transaction first: the same set of orders in another sequence, so the lab may name another witness, with the same verdicts',
    edits: [{ file: LAB, find: '    for (let i = 0; i < perTxn.length; i++) {', replace: '    for (let i = perTxn.length - 1; i >= 0; i--) {' }],
  },
  {
    name: 'checker-edges-newest-first',
    description: 'the dependency graph lists its edges in the opposite order: the same graph, so the same components, cycles and classes',
    edits: [{ file: CHECKER, find: '  return edges;\n}', replace: '  return edges.reverse();\n}' }],
  },
  {
    name: 'recovery-without-operation-count',
    description: 'recovery applies a transaction at its commit record without comparing the record\'s count with the operations read: reading stops at the first damaged frame and ids are never reused, so a commit record that is read always follows all of its operations',
    edits: [{ file: ATOMIC, find: '        if (ops.length === record.count) this.memory.batch(ops);', replace: '        this.memory.batch(ops);' }],
  },
  {
    name: 'snapshot-xmax-after-own-id',
    description: 'a snapshot\'s xmax is the id after the transaction\'s own (the engine\'s next id once its own is taken): the only extra writer it lets past the first rule is the reader itself, whose versions are visible anyway',
    edits: [{ file: SI, find: '    const snapshot: Snapshot = { xmax: id, inProgress', replace: '    const snapshot: Snapshot = { xmax: id + 1, inProgress' }],
  },
  {
    name: 'ssi-no-abort-when-t-out-commits-last',
    description: 'an edge from a committed pivot to a transaction still writing aborts nobody: in any cycle the transaction at the end of the dangerous structure commits first (Ports and Grittner, 2012), and this one has not, so the reference\'s abort here is only conservative',
    edits: [
      {
        file: SSI,
        find: "      if (into.length > 0) throw self.abortWith('serialization-failure', dangerous(into[0]!, reader, writer, 'after the pivot committed'));",
        replace: '      void into;',
      },
    ],
  },
];
