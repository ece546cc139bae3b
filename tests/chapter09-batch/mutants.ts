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
    name: 'derived-pointer-flipped-before-index-complete',
    description: 'the manifest pointer is written with every batch of the new version, so it names the new version while most of it is still missing',
    file: 'chapter09-batch/derived-data.ts',
    find: 'this.target.batch(ops);',
    replace: 'this.target.batch([...ops, this.pointerOp()]);',
    tests: ['09-derived-data.test.ts'],
  },
  {
    name: 'derived-index-written-in-place',
    description: 'the job writes the new index over the version readers are using instead of under a new version, so readers see old and new rows mixed, and terms that disappeared stay',
    file: 'chapter09-batch/derived-data.ts',
    find: 'this.version = Math.max(current ?? 0, highest) + 1;',
    replace: 'this.version = current ?? 1;',
    tests: ['09-derived-data.test.ts'],
  },
  {
    name: 'derived-job-reads-live-store',
    description: 'the job builds the index from the live store instead of the snapshot it took, so writes made after the snapshot leak into the index',
    file: 'chapter09-batch/derived-data.ts',
    find: 'buildIndex(this.documentsOf(this.snapshot), this.options)',
    replace: 'buildIndex(this.documentsOf(this.source), this.options)',
    tests: ['09-derived-data.test.ts'],
  },
  {
    name: 'derived-gc-deletes-current-version',
    description: 'garbage collection after the flip deletes the version the manifest now names and keeps the older ones',
    file: 'chapter09-batch/derived-data.ts',
    find: 'if (decodeKey(key)[VERSION_PART] !== this.version) this.garbage.push(key);',
    replace: 'if (decodeKey(key)[VERSION_PART] === this.version) this.garbage.push(key);',
    tests: ['09-derived-data.test.ts'],
  },
  {
    name: 'derived-next-version-reuses-crash-leftovers',
    description: 'the new version is the pointer\'s plus one, which a job that crashed before its flip already half wrote: its leftovers mix into the rerun\'s index',
    file: 'chapter09-batch/derived-data.ts',
    find: 'this.version = Math.max(current ?? 0, highest) + 1;',
    replace: 'this.version = (current ?? 0) + 1;',
    tests: ['09-derived-data.test.ts'],
  },
  {
    name: 'derived-reader-reads-newest-version',
    description: 'a reader reads the newest version in the store instead of the one the manifest names, so it sees a version still being written',
    file: 'chapter09-batch/derived-data.ts',
    find: "  const version = currentVersion(kv, name);\n  if (version === undefined) return undefined;\n  const postings: Posting[] = [];",
    replace: "  if (currentVersion(kv, name) === undefined) return undefined;\n  const newest = [...kv.scan({ ...prefixRange(versionsPrefix(name)), reverse: true, limit: 1 })];\n  const version = newest.length === 0 ? 0 : (decodeKey(newest[0]!.key)[VERSION_PART] as number);\n  const postings: Posting[] = [];",
    tests: ['09-derived-data.test.ts'],
  },
];
