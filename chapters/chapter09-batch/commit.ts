/**
 * Exercise 9.1, part 5: the commit protocol. A task attempt writes its output under a name of
 * its own; only the coordinator, once it has chosen that attempt as the task's one result,
 * renames it into place. A rename is atomic, so a reader sees the whole file or none of it, and
 * an attempt that died half-way, or a second attempt of a task already done, leaves nothing a
 * reader could find.
 *
 * Layout (`work` and `out` are the job's two directories):
 *
 * ```text
 * work/attempts/<task>.attempt-<n>   an attempt's output while it runs
 * work/committed/<task>              the task's chosen output
 * work/spill/…                       map-side spill runs
 * out/part-00000 … out/part-<R-1>    the job's output, one file per reduce partition
 * out/_SUCCESS                       written last: the job is complete
 * ```
 *
 * fsync policy: an attempt syncs its file before it reports success; each rename is followed by
 * a sync of the target directory, so a committed name survives a power failure.
 * @module
 */

import type { FileSystem } from '../../shared/fs/file-system.js';
import { NotImplementedError, UsageError } from '../../shared/errors.js';

/** Where a job keeps its scratch files and its output. */
export interface JobLayout {
  readonly workDir: string;
  readonly outputDir: string;
}

const COMMIT = { exercise: '9.1 A MapReduce engine: the commit protocol', file: 'chapter09-batch/commit.ts', section: 'The commit protocol' };

/** The empty file that marks a complete output directory. */
export const SUCCESS_MARKER = '_SUCCESS';

/**
 * Where attempt `attempt` of task `taskId` writes its output: a file under `workDir/attempts/`
 * whose name is unique per task and attempt, and never the committed name.
 */
export function attemptPath(layout: JobLayout, taskId: string, attempt: number): string {
  throw new NotImplementedError(COMMIT);
}

/** Where a task's chosen output lives once committed: `workDir/committed/<taskId>`, one per task. */
export function committedPath(layout: JobLayout, taskId: string): string {
  throw new NotImplementedError(COMMIT);
}

/** The job's output file for reduce partition `partition`: `part-00003`. */
export function outputPath(layout: JobLayout, partition: number): string {
  throw new NotImplementedError(COMMIT);
}

/** Directory for spill runs: `workDir/spill`. */
export function spillDir(layout: JobLayout): string {
  throw new NotImplementedError(COMMIT);
}

/**
 * Creates the job's directories: the output directory and `attempts/`, `committed/` and
 * `spill/` under the work directory. Refuses, with a `UsageError` and changing nothing, an
 * output directory that already holds files: a job never mixes its output with another's.
 */
export function prepareJob(fs: FileSystem, layout: JobLayout): void {
  throw new NotImplementedError(COMMIT);
}

/**
 * Makes attempt `attempt` the output of `taskId`: one atomic rename from its attempt path to
 * the committed path, then `syncDir` of the committed directory so the name survives a crash.
 */
export function commitTask(fs: FileSystem, layout: JobLayout, taskId: string, attempt: number): void {
  throw new NotImplementedError(COMMIT);
}

/** Throws away what an attempt wrote, if anything (it died, or another attempt was chosen). */
export function abortAttempt(fs: FileSystem, layout: JobLayout, taskId: string, attempt: number): void {
  throw new NotImplementedError(COMMIT);
}

/**
 * Publishes the job: renames the committed output of `reduceTaskIds[p]` to `outputPath(p)`,
 * syncs the output directory, then writes an empty, synced {@link SUCCESS_MARKER} last, and
 * removes every file under the work directory. A reader that finds `_SUCCESS` finds every part.
 */
export function commitJob(fs: FileSystem, layout: JobLayout, reduceTaskIds: readonly string[]): void {
  throw new NotImplementedError(COMMIT);
}

/** Abandons the job: removes every file under the work directory. The output directory gets nothing. */
export function abortJob(fs: FileSystem, layout: JobLayout): void {
  throw new NotImplementedError(COMMIT);
}

/** Every file below `dir`, as paths, sorted. Directories themselves are not listed. */
export function filesUnder(fs: FileSystem, dir: string): string[] {
  if (!fs.exists(dir)) return [];
  const out: string[] = [];
  for (const name of fs.list(dir)) {
    const path = `${dir}/${name}`;
    let isDir = true;
    try {
      fs.list(path);
    } catch {
      isDir = false;
    }
    if (isDir) out.push(...filesUnder(fs, path));
    else out.push(path);
  }
  return out.sort();
}
