/**
 * A {@link TaskExecutor} that runs tasks in this thread, in virtual time, with faults scripted
 * per attempt (given code). It is how the tests run jobs without threads: fast, and exactly
 * repeatable. A task's work (its file writes) happens at the tick it finishes or dies, so an
 * attempt that finishes late really does write late.
 * @module
 */

import type { FileSystem } from '../../shared/fs/file-system.js';
import { Random } from '../../shared/random.js';
import type { AttemptRef, TaskEvent, TaskExecutor } from './executor.js';
import type { MapReduceJob } from './records.js';
import { runTask, type TaskSpec } from './tasks.js';

/** What becomes of one attempt. */
export type Fate =
  /** Runs for `ticks`, then finishes. */
  | { readonly kind: 'ok'; readonly ticks: number }
  /** Runs for `ticks`, having written part of its output, then its worker dies. */
  | { readonly kind: 'die'; readonly ticks: number }
  /** Never reports: a hung worker, or one cut off from the coordinator. */
  | { readonly kind: 'hang' };

/** Decides each attempt's fate. */
export type Script = (attempt: AttemptRef) => Fate;

/** Every attempt finishes after 10 ticks. */
export const NO_FAULTS: Script = () => ({ kind: 'ok', ticks: 10 });

/** Rates of each fault in {@link seededFaults}. */
export interface FaultRates {
  readonly die: number;
  readonly hang: number;
  /** Chance that an attempt finishes, but only after `lateTicks` (past a timeout). */
  readonly late: number;
  readonly lateTicks: number;
}

/**
 * Random fates from `seed`: each attempt's fate depends only on the seed, the task and the
 * attempt number, never on the order attempts start in. Attempts numbered above
 * `faultyAttempts` always succeed, so a job with enough retries completes.
 */
export function seededFaults(seed: number, rates: FaultRates, faultyAttempts = 2): Script {
  return (attempt) => {
    const random = Random.stream(seed, attempt.taskId, String(attempt.attempt));
    const ticks = random.int(5, 15);
    if (attempt.attempt > faultyAttempts) return { kind: 'ok', ticks };
    const roll = random.float();
    if (roll < rates.die) return { kind: 'die', ticks };
    if (roll < rates.die + rates.hang) return { kind: 'hang' };
    if (roll < rates.die + rates.hang + rates.late) return { kind: 'ok', ticks: rates.lateTicks };
    return { kind: 'ok', ticks };
  };
}

interface Scheduled {
  readonly at: number;
  readonly seq: number;
  readonly attempt: AttemptRef;
  readonly spec: TaskSpec;
  readonly outPath: string;
  readonly fate: Fate;
}

/** Runs attempts in virtual time on one thread. */
export class InProcessExecutor implements TaskExecutor {
  readonly slots: number;
  /** How many times each task's code ran to completion or death, by task id. */
  readonly runs = new Map<string, number>();
  private clock = 0;
  private seq = 0;
  private agenda: Scheduled[] = [];

  constructor(
    private readonly fs: FileSystem,
    private readonly job: MapReduceJob,
    options: { readonly slots?: number; readonly script?: Script } = {},
  ) {
    this.slots = options.slots ?? 1;
    this.script = options.script ?? NO_FAULTS;
  }

  private readonly script: Script;

  start(attempt: AttemptRef, spec: TaskSpec, outPath: string): void {
    const fate = this.script(attempt);
    if (fate.kind === 'hang') return;
    this.agenda.push({ at: this.clock + fate.ticks, seq: this.seq++, attempt, spec, outPath, fate });
    this.agenda.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  next(until: number | undefined): Promise<TaskEvent | undefined> {
    const first = this.agenda[0];
    if (first === undefined || (until !== undefined && first.at > until)) {
      if (until !== undefined) this.clock = Math.max(this.clock, until);
      return Promise.resolve(undefined);
    }
    this.agenda.shift();
    this.clock = first.at;
    return Promise.resolve(this.run(first));
  }

  now(): number {
    return this.clock;
  }

  cancel(attempt: AttemptRef): void {
    this.agenda = this.agenda.filter((s) => s.attempt.taskId !== attempt.taskId || s.attempt.attempt !== attempt.attempt);
  }

  close(): Promise<void> {
    this.agenda = [];
    return Promise.resolve();
  }

  private run(s: Scheduled): TaskEvent {
    this.runs.set(s.attempt.taskId, (this.runs.get(s.attempt.taskId) ?? 0) + 1);
    try {
      runTask(this.fs, this.job, s.spec, s.outPath);
    } catch (error) {
      if (s.fate.kind !== 'die') return { type: 'failed', attempt: s.attempt, error: error instanceof Error ? error : new Error(String(error)) };
    }
    if (s.fate.kind === 'die') {
      // The worker got part of the way: half of its output file is on disk.
      if (this.fs.exists(s.outPath)) {
        const handle = this.fs.open(s.outPath, 'readwrite');
        handle.truncate(Math.floor(handle.size() / 2));
        handle.close();
      }
      return { type: 'died', attempt: s.attempt, reason: 'scripted worker death' };
    }
    return { type: 'finished', attempt: s.attempt };
  }
}
