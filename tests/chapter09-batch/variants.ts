/**
 * Correct variants of the chapter's solutions: right, but unlike the reference. Every test must
 * pass on each (`npm run check:mutants -- chapter09`).
 */

import type { Variant } from '../../shared/testing/mutant.js';

export const variants: Variant[] = [
  {
    name: 'spill-at-the-budget',
    description: 'the sort buffer spills when it reaches the memory budget rather than when it exceeds it: other spill points, the same output',
    edits: [
      {
        file: 'chapter09-batch/map-output-buffer.ts',
        find: 'if (this.bufferedBytes > this.options.memoryBytes) this.spill();',
        replace: 'if (this.bufferedBytes >= this.options.memoryBytes) this.spill();',
      },
    ],
  },
  {
    name: 'retries-jump-the-queue',
    description: 'a task to retry goes to the front of the queue instead of the back: another schedule, the same output',
    edits: [
      {
        file: 'chapter09-batch/coordinator.ts',
        find: 'if (task.running.size === 0 && !this.pending.includes(task.id)) this.pending.push(task.id);',
        replace: 'if (task.running.size === 0 && !this.pending.includes(task.id)) this.pending.unshift(task.id);',
      },
    ],
  },
  {
    name: 'broadcast-right-on-a-tie',
    description: 'on equal sizes the broadcast join copies the right input instead of the left',
    edits: [
      {
        file: 'chapter09-batch/joins.ts',
        find: "const broadcastSide = left.length <= right.length ? 'left' : 'right';",
        replace: "const broadcastSide = left.length < right.length ? 'left' : 'right';",
      },
    ],
  },
  {
    name: 'combine-at-the-final-merge-too',
    description: 'the sort buffer also runs the combiner on each key while merging its spill runs, as Hadoop does when there are many: fewer records, the same reduced result',
    edits: [
      {
        file: 'chapter09-batch/map-output-buffer.ts',
        find: 'sections.push(mergeSorted(this.runs.map((run) => readPartition(this.fs, run, p)), this.stats.merge));',
        replace:
          'const merged = mergeSorted(this.runs.map((run) => readPartition(this.fs, run, p)), this.stats.merge);\n        sections.push(this.options.combine === undefined ? merged : this.combined([...merged]));',
      },
    ],
  },
  {
    name: 'derived-groups-after-postings',
    description: 'the derived-data job writes the postings before the aggregate rows: another write order before the flip, the same index after it',
    edits: [
      {
        file: 'chapter09-batch/derived-data.ts',
        find: 'this.pending = [...groups, ...postings];',
        replace: 'this.pending = [...postings, ...groups];',
      },
    ],
  },
  {
    name: 'derived-gc-in-one-batch',
    description: 'the derived-data job deletes every old version in one batch after the flip instead of in batches of batchSize',
    edits: [
      {
        file: 'chapter09-batch/derived-data.ts',
        find: 'const keys = this.garbage.splice(0, this.batchSize);',
        replace: 'const keys = this.garbage.splice(0);',
      },
    ],
  },
  {
    name: 'dataflow-tasks-in-reverse-order',
    description: 'the tasks of a stage run from the last partition to the first: another schedule, the same results and the same tasks',
    edits: [
      {
        file: 'chapter09-batch/dataflow.ts',
        find: 'for (const p of missing) done.set(p, this.runMapTask(stage, p));',
        replace: 'for (const p of [...missing].reverse()) done.set(p, this.runMapTask(stage, p));',
      },
      {
        file: 'chapter09-batch/dataflow.ts',
        find: 'for (let p = 0; p < stage.partitions; p++) {\n      this.log.push',
        replace: 'for (let p = stage.partitions - 1; p >= 0; p--) {\n      this.log.push',
      },
    ],
    tests: ['08-dataflow.test.ts'],
  },
  {
    name: 'dataflow-no-map-side-combine',
    description: 'reduceByKey sends every value through the shuffle and reduces only after it: more records moved, the same result',
    edits: [
      {
        file: 'chapter09-batch/dataflow.ts',
        find: 'const combine = wide.reduce;',
        replace: 'const combine = undefined as ((a: unknown, b: unknown) => unknown) | undefined;',
      },
    ],
    tests: ['08-dataflow.test.ts'],
  },
];
