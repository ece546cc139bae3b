/**
 * Where tasks run: the seam between the coordinator and the workers (given code). The engine
 * hands each attempt to a {@link TaskExecutor} and waits for events. Two implement it:
 * `InProcessExecutor` runs tasks in this thread in virtual time, with scripted faults, for the
 * tests; `WorkerPoolExecutor` runs them on `node:worker_threads`.
 * @module
 */

import type { TaskSpec } from './tasks.js';

/** Names one attempt of one task. */
export interface AttemptRef {
  readonly taskId: string;
  readonly attempt: number;
}

/** What an executor reports about an attempt. */
export type TaskEvent =
  /** The attempt wrote its whole output to its path and synced it. */
  | { readonly type: 'finished'; readonly attempt: AttemptRef }
  /** The worker stopped without finishing (crash, exit): retry the task. */
  | { readonly type: 'died'; readonly attempt: AttemptRef; readonly reason: string }
  /** The job's own code or its input failed (a mapper threw, a malformed line): retrying would fail again. */
  | { readonly type: 'failed'; readonly attempt: AttemptRef; readonly error: Error };

/** Runs task attempts and reports what became of them. */
export interface TaskExecutor {
  /** How many attempts it can run at once. */
  readonly slots: number;
  /** Starts an attempt that writes its output to `outPath`. */
  start(attempt: AttemptRef, spec: TaskSpec, outPath: string): void;
  /**
   * Waits for the next event. With `until`, returns `undefined` if nothing happens by tick
   * `until` (the clock then reads `until`). Returns `undefined` at once when nothing runs.
   */
  next(until: number | undefined): Promise<TaskEvent | undefined>;
  /** The current tick. */
  now(): number;
  /** Stops an attempt whose result is no longer wanted; it reports nothing afterwards. */
  cancel(attempt: AttemptRef): void;
  /** Stops everything and releases the workers. */
  close(): Promise<void>;
}
