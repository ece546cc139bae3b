/**
 * Known-buggy versions of the chapter's solutions. `npm run check:mutants -- chapter09` proves the
 * tests catch each one.
 *
 * Spoiler: each `find` is a line of the reference solution. Finish the chapter's exercises
 * before reading this file.
 */

import type { Mutant } from '../../shared/testing/mutant.js';

export const mutants: Mutant[] = [
  {
    name: 'partitioner-differs-between-map-tasks',
    description: 'each map task salts the partition hash with its own task id, so two map tasks send one key to different reducers',
    file: 'chapter09-batch/tasks.ts',
    find: 'buffer.add(partitionFor(key, spec.partitions), { key, value })',
    replace: 'buffer.add(partitionFor(`${spec.taskId}:${key}`, spec.partitions), { key, value })',
    tests: ['06-mapreduce.test.ts'],
  },
  {
    name: 'output-written-in-place',
    description: 'attempts write straight to the committed name (no temporary file, no rename), so a dying retry corrupts output already committed',
    file: 'chapter09-batch/commit.ts',
    find: 'return `${layout.workDir}/attempts/${taskId}.attempt-${attempt}`;',
    replace: 'return committedPath(layout, taskId);',
    tests: ['fault-injection.test.ts'],
  },
  {
    name: 'retried-task-output-kept-too',
    description: 'the coordinator commits every success of a task, so a straggler\'s output is read by the reducers beside the retry\'s',
    file: 'chapter09-batch/coordinator.ts',
    find: '    if (task.committed) {\n      this.stats.discarded++;\n      return false;\n    }\n',
    replace: '',
    tests: ['fault-injection.test.ts'],
  },
  {
    name: 'combiner-applied-to-non-associative-reducer',
    description: 'a job without a combiner gets its reducer as combiner, which is wrong for a mean or any reducer that is not associative',
    file: 'chapter09-batch/tasks.ts',
    find: 'const combiner = job.combine;',
    replace: 'const combiner = job.combine ?? job.reduce;',
    tests: ['06-mapreduce.test.ts'],
  },
  {
    name: 'broadcast-join-broadcasts-the-big-side',
    description: 'the broadcast join loads the larger input into every mapper\'s hash table',
    file: 'chapter09-batch/joins.ts',
    find: "const broadcastSide = left.length <= right.length ? 'left' : 'right';",
    replace: "const broadcastSide = left.length >= right.length ? 'left' : 'right';",
    tests: ['07-joins.test.ts'],
  },
  {
    name: 'merge-not-stable',
    description: 'the k-way merge breaks ties between equal keys arbitrarily, so a reducer sees values out of input order',
    file: 'chapter09-batch/merge.ts',
    find: 'return c < 0 || (c === 0 && a.source < b.source);',
    replace: 'return c < 0;',
    tests: ['03-sort-spill-merge.test.ts', '06-mapreduce.test.ts'],
  },
  {
    name: 'spill-runs-left-behind',
    description: 'the map-side buffer merges its spill runs but never removes them',
    file: 'chapter09-batch/map-output-buffer.ts',
    find: 'writePartitionedFile(this.fs, path, sections);\n      for (const run of this.runs) this.fs.remove(run);',
    replace: 'writePartitionedFile(this.fs, path, sections);',
    tests: ['03-sort-spill-merge.test.ts', '06-mapreduce.test.ts'],
  },
  {
    name: 'timed-out-task-not-retried',
    description: 'an attempt past its deadline frees its slot but its task is never put back, so a hung worker stalls the job',
    file: 'chapter09-batch/coordinator.ts',
    find: 'if (!task.committed) this.failed(task);',
    replace: 'if (!task.committed) task.failures++;',
    tests: ['05-coordinator.test.ts', 'fault-injection.test.ts'],
  },
  {
    name: 'split-skips-line-at-its-start',
    description: 'a split always skips to the next newline, even when a line starts exactly at its first byte, so that line is lost',
    file: 'chapter09-batch/input-splits.ts',
    find: 'if (pos > 0 && handle.read(pos - 1, 1)[0] !== NEWLINE) {',
    replace: 'if (pos > 0) {',
    tests: ['01-input-splits.test.ts'],
  },
  {
    name: 'skew-join-hot-key-not-replicated',
    description: 'the skewed join splits the hot key\'s left records over several reducers but sends the right records to only one of them',
    file: 'chapter09-batch/joins.ts',
    find: 'const copies = hot.has(kv.key) ? splits : 1;',
    replace: 'const copies = 1;',
    tests: ['07-joins.test.ts'],
  },
  {
    name: 'sort-merge-join-first-match-only',
    description: 'the reduce-side join pairs each right record with only the first left record of its key',
    file: 'chapter09-batch/joins.ts',
    find: 'for (const l of lefts) for (const r of rights) rows.push({ key, left: l, right: r });',
    replace: 'for (const l of lefts.slice(0, 1)) for (const r of rights) rows.push({ key, left: l, right: r });',
    tests: ['07-joins.test.ts'],
  },
  {
    name: 'dataflow-lost-partition-recomputes-whole-stage',
    description: 'when one output of a shuffle map stage is lost, every task of the stage runs again, not only the lost one',
    file: 'chapter09-batch/dataflow.ts',
    find: 'for (const p of missing) done.set(p, this.runMapTask(stage, p));',
    replace: 'for (let p = 0; p < stage.partitions; p++) done.set(p, this.runMapTask(stage, p));',
    tests: ['08-dataflow.test.ts'],
  },
  {
    name: 'dataflow-parents-recomputed-though-not-needed',
    description: 'a stage makes sure its parents are complete before it checks whether it is missing anything, so a lost output nobody needs is recomputed',
    file: 'chapter09-batch/dataflow.ts',
    find: '    if (missing.length === 0) return;\n    for (const parent of stage.parentStages) this.ensure(parent);\n',
    replace: '    for (const parent of stage.parentStages) this.ensure(parent);\n    if (missing.length === 0) return;\n',
    tests: ['08-dataflow.test.ts'],
  },
  {
    name: 'dataflow-partitioner-differs-per-map-partition',
    description: 'the shuffle salts the hash with the map task\'s partition, so one key lands in several reduce partitions',
    file: 'chapter09-batch/dataflow.ts',
    find: 'const bucket = buckets[partitionFor(key, wide.partitions)]!;',
    replace: 'const bucket = buckets[partitionFor(`${partition}:${key}`, wide.partitions)]!;',
    tests: ['08-dataflow.test.ts'],
  },
  {
    name: 'dataflow-reduce-only-before-the-shuffle',
    description: 'reduceByKey combines on the map side only; the reduce side passes each map task\'s value on, so a key seen by two map tasks comes out twice',
    file: 'chapter09-batch/dataflow.ts',
    find: "else if (wide.op === 'reduceByKey') out.push({ key, value: fold(values, wide.reduce!, wide, stage, partition) });",
    replace: "else if (wide.op === 'reduceByKey') for (const value of values) out.push({ key, value });",
    tests: ['08-dataflow.test.ts'],
  },
  {
    name: 'dataflow-narrow-operator-materialises',
    description: 'each narrow operator computes its whole partition into an array before the next operator starts: no pipelining',
    file: 'chapter09-batch/dataflow.ts',
    find: 'for (const node of stage.chain) records = narrow(node, records, stage, partition);',
    replace: 'for (const node of stage.chain) records = [...narrow(node, records, stage, partition)];',
    tests: ['08-dataflow.test.ts'],
  },
];
