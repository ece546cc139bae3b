/**
 * The MapReduce engine's driver (given code): plans the splits, runs the map phase and then the
 * reduce phase through the {@link Coordinator} and a {@link TaskExecutor}, commits each chosen
 * attempt and finally the job, or abandons the job and leaves its output directory empty.
 *
 * ```text
 * inputs ──planSplits──▶ map tasks ──(partitioned files)──▶ reduce tasks ──▶ out/part-*, out/_SUCCESS
 * ```
 * @module
 */

import type { FileSystem } from '../../shared/fs/file-system.js';
import { UsageError } from '../../shared/errors.js';
import {
  abortAttempt,
  abortJob,
  attemptPath,
  commitJob,
  commitTask,
  committedPath,
  outputPath,
  prepareJob,
  spillDir,
  type JobLayout,
} from './commit.js';
import { Coordinator, type CoordinatorStats } from './coordinator.js';
import type { AttemptRef, TaskExecutor } from './executor.js';
import { planSplits } from './input-splits.js';
import type { TaskSpec } from './tasks.js';

/** A job run. */
export interface MapReduceOptions {
  readonly fs: FileSystem;
  /** Input files of JSON lines. */
  readonly inputs: readonly string[];
  /** Receives `part-00000` … and `_SUCCESS`; must be empty or absent. */
  readonly outputDir: string;
  /** Scratch space; emptied of files when the job ends, whatever the outcome. */
  readonly workDir: string;
  /** Number of reduce partitions (and output files). */
  readonly partitions: number;
  /** Bytes of input per map task. */
  readonly splitBytes: number;
  /** Map-side sort buffer per task; default 4 MiB. */
  readonly memoryBytes?: number;
  readonly executor: TaskExecutor;
  /** Ticks before a running attempt is presumed lost; default 100. */
  readonly timeoutTicks?: number;
  /** Failures allowed per task; default 4. */
  readonly maxAttempts?: number;
}

/** What a completed job did. */
export interface JobResult {
  readonly splits: number;
  /** The output files, in partition order. */
  readonly outputs: readonly string[];
  readonly map: CoordinatorStats;
  readonly reduce: CoordinatorStats;
}

const DEFAULT_MEMORY_BYTES = 4 * 1024 * 1024;

/** Runs a job to completion, or throws after leaving nothing in the output directory. */
export async function runMapReduce(options: MapReduceOptions): Promise<JobResult> {
  const { fs } = options;
  if (!Number.isInteger(options.partitions) || options.partitions < 1) throw new UsageError(`partitions must be a positive integer`);
  const layout: JobLayout = { workDir: options.workDir, outputDir: options.outputDir };
  prepareJob(fs, layout);
  try {
    const splits = planSplits(fs, options.inputs, options.splitBytes);
    const mapSpecs = (attempt: AttemptRef): TaskSpec => ({
      kind: 'map',
      taskId: attempt.taskId,
      attempt: attempt.attempt,
      split: splits[Number(attempt.taskId.slice('map-'.length))]!,
      partitions: options.partitions,
      memoryBytes: options.memoryBytes ?? DEFAULT_MEMORY_BYTES,
      spillDir: spillDir(layout),
    });
    const mapIds = splits.map((s) => taskId('map', s.index));
    const map = await runPhase(options, layout, mapIds, mapSpecs);
    // Reducers read the map outputs in map-task order, whatever order they committed in.
    const mapOutputs = [...map.committed].sort();
    const reduceIds = Array.from({ length: options.partitions }, (_, p) => taskId('reduce', p));
    const reduceSpecs = (attempt: AttemptRef): TaskSpec => ({
      kind: 'reduce',
      taskId: attempt.taskId,
      attempt: attempt.attempt,
      partition: Number(attempt.taskId.slice('reduce-'.length)),
      inputs: mapOutputs,
    });
    const reduce = await runPhase(options, layout, reduceIds, reduceSpecs);
    commitJob(fs, layout, reduceIds);
    return {
      splits: splits.length,
      outputs: reduceIds.map((_, p) => outputPath(layout, p)),
      map: map.stats,
      reduce: reduce.stats,
    };
  } catch (error) {
    abortJob(fs, layout);
    throw error;
  }
}

function taskId(kind: 'map' | 'reduce', index: number): string {
  return `${kind}-${String(index).padStart(5, '0')}`;
}

async function runPhase(
  options: MapReduceOptions,
  layout: JobLayout,
  ids: readonly string[],
  specFor: (attempt: AttemptRef) => TaskSpec,
): Promise<{ committed: string[]; stats: CoordinatorStats }> {
  const { fs, executor } = options;
  const coordinator = new Coordinator(ids, {
    slots: executor.slots,
    timeoutTicks: options.timeoutTicks ?? 100,
    maxAttempts: options.maxAttempts ?? 4,
  });
  const committed: string[] = [];
  // Attempts started and not yet heard from, including those presumed lost.
  const outstanding = new Map<string, AttemptRef>();
  const key = (a: AttemptRef): string => `${a.taskId}#${a.attempt}`;
  try {
    while (!coordinator.done) {
      coordinator.expire(executor.now());
      for (const a of coordinator.assign(executor.now())) {
        const ref: AttemptRef = { taskId: a.taskId, attempt: a.attempt };
        outstanding.set(key(ref), ref);
        executor.start(ref, specFor(ref), attemptPath(layout, ref.taskId, ref.attempt));
      }
      const deadline = coordinator.nextDeadline();
      const event = await executor.next(deadline);
      if (event === undefined) {
        if (deadline === undefined) throw new Error('internal: no attempt is running and the phase is not done');
        continue;
      }
      const { taskId: id, attempt } = event.attempt;
      outstanding.delete(key(event.attempt));
      if (event.type === 'failed') throw event.error;
      if (event.type === 'died') {
        abortAttempt(fs, layout, id, attempt);
        coordinator.died(id, attempt, executor.now());
      } else if (coordinator.succeeded(id, attempt, executor.now())) {
        commitTask(fs, layout, id, attempt);
        committed.push(committedPath(layout, id));
      } else {
        abortAttempt(fs, layout, id, attempt);
      }
    }
  } finally {
    // Stragglers: nothing they could still write is wanted.
    for (const ref of outstanding.values()) {
      executor.cancel(ref);
      abortAttempt(fs, layout, ref.taskId, ref.attempt);
    }
  }
  return { committed, stats: coordinator.stats };
}
