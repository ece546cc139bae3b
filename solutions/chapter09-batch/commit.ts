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
import { UsageError } from '../../shared/errors.js';

/** Where a job keeps its scratch files and its output. */
export interface JobLayout {
  readonly workDir: string;
  readonly outputDir: string;
}

/** The empty file that marks a complete output directory. */
export const SUCCESS_MARKER = '_SUCCESS';

/** Where attempt `attempt` of task `taskId` writes its output. Unique per attempt. */
export function attemptPath(layout: JobLayout, taskId: string, attempt: number): string {
  return `${layout.workDir}/attempts/${taskId}.attempt-${attempt}`;
}

/** Where a task's chosen output lives once committed. One per task, whatever the attempts. */
export function committedPath(layout: JobLayout, taskId: string): string {
  return `${layout.workDir}/committed/${taskId}`;
}

/** The job's output file for reduce partition `partition`: `part-00003`. */
export function outputPath(layout: JobLayout, partition: number): string {
  return `${layout.outputDir}/part-${String(partition).padStart(5, '0')}`;
}

/** Directory for spill runs. */
export function spillDir(layout: JobLayout): string {
  return `${layout.workDir}/spill`;
}

/**
 * Creates the job's directories. Refuses, with a `UsageError`, an output directory that already
 * holds files: a job never mixes its output with another's.
 */
export function prepareJob(fs: FileSystem, layout: JobLayout): void {
  if (fs.exists(layout.outputDir) && fs.list(layout.outputDir).length > 0) {
    throw new UsageError(`output directory ${layout.outputDir} is not empty`);
  }
  fs.mkdir(layout.outputDir);
  for (const dir of ['attempts', 'committed', 'spill']) fs.mkdir(`${layout.workDir}/${dir}`);
}

/** Makes attempt `attempt` the output of `taskId`: one atomic rename, then a directory sync. */
export function commitTask(fs: FileSystem, layout: JobLayout, taskId: string, attempt: number): void {
  fs.rename(attemptPath(layout, taskId, attempt), committedPath(layout, taskId));
  fs.syncDir(`${layout.workDir}/committed`);
}

/** Throws away what an attempt wrote (it died, or another attempt's output was chosen). */
export function abortAttempt(fs: FileSystem, layout: JobLayout, taskId: string, attempt: number): void {
  fs.remove(attemptPath(layout, taskId, attempt));
}

/**
 * Publishes the job: renames each committed reduce output to its `part-` file, writes
 * {@link SUCCESS_MARKER} last, and removes every scratch file. A reader that finds `_SUCCESS`
 * finds every part; one that does not must treat the directory as incomplete.
 */
export function commitJob(fs: FileSystem, layout: JobLayout, reduceTaskIds: readonly string[]): void {
  reduceTaskIds.forEach((taskId, partition) => fs.rename(committedPath(layout, taskId), outputPath(layout, partition)));
  fs.syncDir(layout.outputDir);
  const marker = fs.open(`${layout.outputDir}/${SUCCESS_MARKER}`, 'truncate');
  marker.sync();
  marker.close();
  fs.syncDir(layout.outputDir);
  removeFilesUnder(fs, layout.workDir);
}

/** Abandons the job: removes every scratch file. The output directory gets nothing. */
export function abortJob(fs: FileSystem, layout: JobLayout): void {
  removeFilesUnder(fs, layout.workDir);
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

function removeFilesUnder(fs: FileSystem, dir: string): void {
  for (const path of filesUnder(fs, dir)) fs.remove(path);
}
