/**
 * Exercise 9.1, part 7: what one task does. A map task reads its split, maps each record,
 * partitions and buffers the pairs, and writes one partitioned output file. A reduce task merges
 * its partition of every map output, reduces each key, and writes one output file of JSON lines.
 * Both write only to the path they are given (an attempt's own file, see `commit.ts`) and sync
 * it before returning.
 * @module
 */

import type { FileSystem } from '../../shared/fs/file-system.js';
import { NotImplementedError } from '../../shared/errors.js';
import { MapperError, ReducerError } from './errors.js';
import { readSplit, type InputSplit } from './input-splits.js';
import { MapOutputBuffer } from './map-output-buffer.js';
import { groupByKey, mergeSorted } from './merge.js';
import { partitionFor } from './partitioner.js';
import type { Json, MapReduceJob } from './records.js';
import { readPartition } from './record-file.js';

/** A map task: one split, partitioned `partitions` ways. */
export interface MapTaskSpec {
  readonly kind: 'map';
  readonly taskId: string;
  /** Which attempt this is; names its spill files. */
  readonly attempt: number;
  readonly split: InputSplit;
  readonly partitions: number;
  readonly memoryBytes: number;
  readonly spillDir: string;
}

/** A reduce task: partition `partition` of every committed map output, in map-task order. */
export interface ReduceTaskSpec {
  readonly kind: 'reduce';
  readonly taskId: string;
  readonly attempt: number;
  readonly partition: number;
  readonly inputs: readonly string[];
}

export type TaskSpec = MapTaskSpec | ReduceTaskSpec;

const TASKS = { exercise: '9.1 A MapReduce engine: map and reduce tasks', file: 'chapter09-batch/tasks.ts', section: 'What a MapReduce job is' };

/** Runs one task attempt, writing its whole output to `outPath`: `runMapTask` or `runReduceTask`. */
export function runTask(fs: FileSystem, job: MapReduceJob, spec: TaskSpec, outPath: string): void {
  throw new NotImplementedError(TASKS);
}

/**
 * Maps every record of the split (`readSplit`); each pair goes to a {@link MapOutputBuffer} in
 * partition `partitionFor(key, partitions)`, with the job's combiner if it has one (and no
 * combiner if it has none), spill files named after the task and attempt; then `finish(outPath)`.
 * A mapper that throws fails the task with a {@link MapperError} naming the split and the
 * record's offset, and leaves no spill files behind (`discard`).
 */
export function runMapTask(fs: FileSystem, job: MapReduceJob, spec: MapTaskSpec, outPath: string): void {
  throw new NotImplementedError(TASKS);
}

/**
 * Merges partition `partition` of each input in the order given (`readPartition`,
 * `mergeSorted`: stable, so equal keys keep input order), reduces each key once, and writes
 * `JSON.stringify({ key, value }) + "\n"` lines sorted by key to `outPath`, synced. A reducer
 * that throws fails the task with a {@link ReducerError} naming the key.
 */
export function runReduceTask(fs: FileSystem, job: MapReduceJob, spec: ReduceTaskSpec, outPath: string): void {
  throw new NotImplementedError(TASKS);
}
