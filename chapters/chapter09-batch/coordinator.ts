/**
 * Exercise 9.1, part 6: the coordinator's scheduling and retry logic, as a state machine.
 * It never touches files or threads: the caller reports what happened and asks what to start.
 * Time is a number of ticks that the caller passes in (virtual time in the tests).
 *
 * - At most `slots` attempts run at a time. New tasks start in the order given; a task to retry
 *   may start before or after them.
 * - An attempt that died is retried. An attempt still running at its deadline (`timeoutTicks`
 *   after it started) is presumed lost and retried too, but it may still finish later.
 * - The first attempt of a task to succeed is its result; any other success of the same task is
 *   discarded. So a task commits exactly once, however many attempts ran.
 * - A task that fails (dies or times out) `maxAttempts` times fails the job.
 * @module
 */

import { NotImplementedError, UsageError } from '../../shared/errors.js';
import { TaskFailedError } from './errors.js';

/** How the coordinator schedules. */
export interface CoordinatorOptions {
  /** Attempts that may run at once (the number of workers). */
  readonly slots: number;
  /** Ticks after its start at which a running attempt is presumed lost. */
  readonly timeoutTicks: number;
  /** Failures (deaths and timeouts) a task may have before the job fails. */
  readonly maxAttempts: number;
}

/** One attempt to start: attempt numbers count from 1 per task. */
export interface Attempt {
  readonly taskId: string;
  readonly attempt: number;
  /** The tick at which it is presumed lost. */
  readonly deadline: number;
}

/** What happened, for tests and reports. */
export interface CoordinatorStats {
  /** Attempts handed out. */
  started: number;
  /** Successes chosen as a task's result: one per task when the job completes. */
  committed: number;
  /** Successes thrown away because their task was already committed. */
  discarded: number;
  /** Attempts that died while holding a slot (not after they timed out). */
  died: number;
  /** Attempts presumed lost at their deadline. */
  timedOut: number;
}

const COORDINATOR = { exercise: '9.1 A MapReduce engine: the coordinator', file: 'chapter09-batch/coordinator.ts', section: 'The coordinator' };

/**
 * Schedules one phase (all map tasks, or all reduce tasks) of a job.
 *
 * Invariants: at most `slots` attempts hold a slot at once; `succeeded` returns true exactly
 * once per task; a task is never started again once committed; `stats` counts as documented.
 */
export class Coordinator {
  /** What happened so far. */
  readonly stats: CoordinatorStats = { started: 0, committed: 0, discarded: 0, died: 0, timedOut: 0 };

  /**
   * `taskIds` in the order to start them. A `UsageError` for a repeated id, or for `slots`,
   * `maxAttempts` or `timeoutTicks` below 1.
   */
  constructor(
    taskIds: readonly string[],
    private readonly options: CoordinatorOptions,
  ) {
    throw new NotImplementedError(COORDINATOR);
  }

  /** True when every task has committed. */
  get done(): boolean {
    throw new NotImplementedError(COORDINATOR);
  }

  /**
   * The attempts to start now: pending tasks while a slot is free, new ones in the order given
   * (a retried one may go first or last). Each gets the next
   * attempt number of its task (1, 2, …) and the deadline `now + timeoutTicks`.
   */
  assign(now: number): Attempt[] {
    throw new NotImplementedError(COORDINATOR);
  }

  /**
   * An attempt finished. Frees its slot if it held one. Returns true when its output is the
   * task's result (commit it), false when the task already has one (discard it). A late success
   * of an attempt that timed out still counts if no other attempt committed first.
   */
  succeeded(taskId: string, attempt: number, _now: number): boolean {
    throw new NotImplementedError(COORDINATOR);
  }

  /**
   * An attempt's worker died. If the attempt still held a slot, frees it and counts it in
   * `stats.died`; then, unless the task has committed, the task is pending again, or, once it
   * has failed `maxAttempts` times (deaths and timeouts together), the job fails with a
   * `TaskFailedError`. A death reported for an attempt that already timed out changes nothing.
   */
  died(taskId: string, attempt: number, _now: number): void {
    throw new NotImplementedError(COORDINATOR);
  }

  /**
   * Attempts holding a slot whose deadline is `<= now`: each frees its slot, counts in
   * `stats.timedOut`, and (unless its task committed) counts as a failure of its task, which is
   * pending again or fails the job as in {@link died}. Returns them.
   */
  expire(now: number): Attempt[] {
    throw new NotImplementedError(COORDINATOR);
  }

  /** The earliest deadline of an attempt holding a slot, if any does. */
  nextDeadline(): number | undefined {
    throw new NotImplementedError(COORDINATOR);
  }
}
