/**
 * Exercise 9.1, part 7: what one task does. A map task reads its split, maps each record,
 * partitions and buffers the pairs, and writes one partitioned output file. A reduce task merges
 * its partition of every map output, reduces each key, and writes one output file of JSON lines.
 * Both write only to the path they are given (an attempt's own file, see `commit.ts`) and sync
 * it before returning.
 * @module
 */

import type { FileSystem } from '../../shared/fs/file-system.js';
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

/** Runs one task attempt, writing its whole output to `outPath`. */
export function runTask(fs: FileSystem, job: MapReduceJob, spec: TaskSpec, outPath: string): void {
  if (spec.kind === 'map') runMapTask(fs, job, spec, outPath);
  else runReduceTask(fs, job, spec, outPath);
}

/**
 * Maps every record of the split; each pair goes to partition `partitionFor(key, partitions)`.
 * A mapper that throws fails the task with a {@link MapperError} naming the split and the
 * record's offset, and leaves no spill files behind.
 */
export function runMapTask(fs: FileSystem, job: MapReduceJob, spec: MapTaskSpec, outPath: string): void {
  const combiner = job.combine;
  const buffer = new MapOutputBuffer(fs, {
    partitions: spec.partitions,
    memoryBytes: spec.memoryBytes,
    spillDir: spec.spillDir,
    spillName: `${spec.taskId}.attempt-${spec.attempt}`,
    ...(combiner === undefined ? {} : { combine: (key: string, values: readonly Json[]) => combiner.call(job, key, values) }),
  });
  const { split } = spec;
  try {
    for (const { offset, record } of readSplit(fs, split)) {
      try {
        job.map(record, (key, value) => buffer.add(partitionFor(key, spec.partitions), { key, value }));
      } catch (error) {
        throw new MapperError(split.file, split.start, split.end, offset, error instanceof Error ? error.message : String(error));
      }
    }
    buffer.finish(outPath);
  } catch (error) {
    buffer.discard();
    throw error;
  }
}

/**
 * Merges partition `partition` of each input (stable: equal keys in input order), reduces each
 * key once, and writes `{"key": …, "value": …}` lines sorted by key. A reducer that throws fails
 * the task with a {@link ReducerError} naming the key.
 */
export function runReduceTask(fs: FileSystem, job: MapReduceJob, spec: ReduceTaskSpec, outPath: string): void {
  const encoder = new TextEncoder();
  const handle = fs.open(outPath, 'truncate');
  try {
    const sources = spec.inputs.map((input) => readPartition(fs, input, spec.partition));
    let lines: string[] = [];
    const flush = (): void => {
      if (lines.length > 0) handle.append(encoder.encode(lines.join('')));
      lines = [];
    };
    for (const { key, values } of groupByKey(mergeSorted(sources))) {
      let value: Json;
      try {
        value = job.reduce(key, values);
      } catch (error) {
        throw new ReducerError(spec.partition, key, error instanceof Error ? error.message : String(error));
      }
      lines.push(JSON.stringify({ key, value }) + '\n');
      if (lines.length >= 1024) flush();
    }
    flush();
    handle.sync();
  } finally {
    handle.close();
  }
}
