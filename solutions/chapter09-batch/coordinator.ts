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

import { UsageError } from '../../shared/errors.js';
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

interface TaskState {
  readonly id: string;
  attempts: number;
  failures: number;
  committed: boolean;
  /** Attempts holding a slot, by attempt number. */
  readonly running: Map<number, Attempt>;
}

/** Schedules one phase (all map tasks, or all reduce tasks) of a job. */
export class Coordinator {
  readonly stats: CoordinatorStats = { started: 0, committed: 0, discarded: 0, died: 0, timedOut: 0 };
  private readonly tasks = new Map<string, TaskState>();
  private readonly pending: string[] = [];
  private runningCount = 0;

  constructor(
    taskIds: readonly string[],
    private readonly options: CoordinatorOptions,
  ) {
    if (options.slots < 1 || options.maxAttempts < 1 || options.timeoutTicks < 1) {
      throw new UsageError('slots, maxAttempts and timeoutTicks must all be at least 1');
    }
    for (const id of taskIds) {
      if (this.tasks.has(id)) throw new UsageError(`task id ${id} appears twice`);
      this.tasks.set(id, { id, attempts: 0, failures: 0, committed: false, running: new Map() });
      this.pending.push(id);
    }
  }

  /** True when every task has committed. */
  get done(): boolean {
    return this.stats.committed === this.tasks.size;
  }

  /** The attempts to start now: pending tasks (new ones in order), while a slot is free. */
  assign(now: number): Attempt[] {
    const started: Attempt[] = [];
    while (this.runningCount < this.options.slots && this.pending.length > 0) {
      const task = this.task(this.pending.shift()!);
      task.attempts++;
      const attempt: Attempt = { taskId: task.id, attempt: task.attempts, deadline: now + this.options.timeoutTicks };
      task.running.set(attempt.attempt, attempt);
      this.runningCount++;
      this.stats.started++;
      started.push(attempt);
    }
    return started;
  }

  /**
   * An attempt finished. Returns true when its output is the task's result (commit it), false
   * when the task already has one (discard it). A late success of an attempt that timed out
   * still counts if no other attempt committed first.
   */
  succeeded(taskId: string, attempt: number, _now: number): boolean {
    const task = this.task(taskId);
    this.release(task, attempt);
    if (task.committed) {
      this.stats.discarded++;
      return false;
    }
    task.committed = true;
    this.stats.committed++;
    this.unqueue(task.id);
    return true;
  }

  /** An attempt's worker died. The task is retried, or the job fails with a `TaskFailedError`. */
  died(taskId: string, attempt: number, _now: number): void {
    const task = this.task(taskId);
    const wasRunning = this.release(task, attempt);
    if (!wasRunning) return; // it timed out before: its task was retried then
    this.stats.died++;
    if (task.committed) return; // a straggler whose task is done
    this.failed(task);
  }

  /** Attempts running past their deadline: each frees its slot and its task is retried. */
  expire(now: number): Attempt[] {
    const expired: Attempt[] = [];
    for (const task of this.tasks.values()) {
      for (const attempt of [...task.running.values()]) {
        if (attempt.deadline > now) continue;
        this.release(task, attempt.attempt);
        this.stats.timedOut++;
        expired.push(attempt);
        if (!task.committed) this.failed(task);
      }
    }
    return expired;
  }

  /** The earliest deadline of a running attempt, if any runs. */
  nextDeadline(): number | undefined {
    let earliest: number | undefined;
    for (const task of this.tasks.values()) {
      for (const attempt of task.running.values()) {
        if (earliest === undefined || attempt.deadline < earliest) earliest = attempt.deadline;
      }
    }
    return earliest;
  }

  private failed(task: TaskState): void {
    task.failures++;
    if (task.failures >= this.options.maxAttempts) throw new TaskFailedError(task.id, task.failures);
    if (task.running.size === 0 && !this.pending.includes(task.id)) this.pending.push(task.id);
  }

  /** Frees the attempt's slot; false when it was not running (it timed out before). */
  private release(task: TaskState, attempt: number): boolean {
    if (!task.running.delete(attempt)) return false;
    this.runningCount--;
    return true;
  }

  private unqueue(taskId: string): void {
    const at = this.pending.indexOf(taskId);
    if (at >= 0) this.pending.splice(at, 1);
  }

  private task(taskId: string): TaskState {
    const task = this.tasks.get(taskId);
    if (task === undefined) throw new UsageError(`unknown task ${taskId}`);
    return task;
  }
}
