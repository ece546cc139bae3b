/**
 * A {@link TaskExecutor} on `node:worker_threads` (given code): a pool of worker threads, each
 * running tasks on the real disk through `RealFs`. The job travels as a module URL and the name
 * of its export, since functions cannot be sent to another thread.
 *
 * A worker that exits or crashes while it holds a task reports the attempt as died, and a fresh
 * worker replaces it. This pool has no clock: `now()` stays at 0, so it never presumes an
 * attempt lost. Timing out a hung worker needs a real timer, which the project keeps out of
 * chapter code; the tests check timeouts in virtual time with `InProcessExecutor`.
 * @module
 */

import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { errorFromWire } from './errors.js';
import type { AttemptRef, TaskEvent, TaskExecutor } from './executor.js';
import type { TaskSpec } from './tasks.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.js';

/** How to build the pool. */
export interface WorkerPoolOptions {
  /** The directory `RealFs` is rooted at, in every worker and in the caller. */
  readonly root: string;
  /** URL (`file://…`) of the module that exports the job. */
  readonly jobModule: string;
  /** The export's name; default `job`. */
  readonly jobExport?: string;
  /** Threads in the pool; default the machine's available parallelism. */
  readonly workers?: number;
}

/**
 * The worker's first code: register tsx's loader (so the thread can import the chapter's
 * TypeScript as it is), then load `worker-main.ts`.
 */
const BOOTSTRAP = `
  import(${JSON.stringify(pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs'))})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./worker-main.ts', import.meta.url).href)}); });
`;

interface Slot {
  worker: Worker;
  task: AttemptRef | undefined;
}

/** Runs attempts on worker threads. */
export class WorkerPoolExecutor implements TaskExecutor {
  readonly slots: number;
  private readonly setup: WorkerSetup;
  private readonly pool: Slot[] = [];
  private readonly queue: Array<{ attempt: AttemptRef; spec: TaskSpec; outPath: string }> = [];
  private readonly events: TaskEvent[] = [];
  private waiter: ((event: TaskEvent) => void) | undefined;

  constructor(options: WorkerPoolOptions) {
    this.slots = options.workers ?? availableParallelism();
    this.setup = { root: options.root, jobModule: options.jobModule, jobExport: options.jobExport ?? 'job' };
    for (let i = 0; i < this.slots; i++) this.pool.push(this.spawn());
  }

  start(attempt: AttemptRef, spec: TaskSpec, outPath: string): void {
    this.queue.push({ attempt, spec, outPath });
    this.dispatch();
  }

  next(_until: number | undefined): Promise<TaskEvent | undefined> {
    const ready = this.events.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.queue.length === 0 && this.pool.every((s) => s.task === undefined)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  now(): number {
    return 0;
  }

  cancel(attempt: AttemptRef): void {
    const queued = this.queue.findIndex((q) => same(q.attempt, attempt));
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.pool.find((s) => s.task !== undefined && same(s.task, attempt));
    if (slot !== undefined) this.replace(slot);
  }

  async close(): Promise<void> {
    const workers = this.pool.splice(0).map((s) => s.worker);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: this.setup });
    const slot: Slot = { worker, task: undefined };
    worker.on('message', (message: FromWorker) => {
      const attempt = slot.task;
      if (attempt === undefined) return;
      slot.task = undefined;
      if (message.type === 'done') this.emit({ type: 'finished', attempt });
      else this.emit({ type: 'failed', attempt, error: errorFromWire(message.error) });
      this.dispatch();
    });
    const lost = (reason: string): void => {
      if (!this.pool.includes(slot)) return; // replaced or closed already
      const attempt = slot.task;
      this.replace(slot);
      if (attempt !== undefined) this.emit({ type: 'died', attempt, reason });
      this.dispatch();
    };
    worker.on('error', (error) => lost(`the worker crashed: ${error.message}`));
    worker.on('exit', (code) => lost(`the worker exited with code ${code}`));
    return slot;
  }

  /** Throws a worker away and puts a fresh one in its place. */
  private replace(slot: Slot): void {
    const at = this.pool.indexOf(slot);
    if (at < 0) return;
    this.pool[at] = this.spawn();
    slot.task = undefined;
    void slot.worker.terminate();
  }

  private dispatch(): void {
    for (const slot of this.pool) {
      if (slot.task !== undefined) continue;
      const next = this.queue.shift();
      if (next === undefined) return;
      slot.task = next.attempt;
      const message: ToWorker = { spec: next.spec, outPath: next.outPath };
      slot.worker.postMessage(message);
    }
  }

  private emit(event: TaskEvent): void {
    const waiter = this.waiter;
    if (waiter !== undefined) {
      this.waiter = undefined;
      waiter(event);
    } else {
      this.events.push(event);
    }
  }
}

function same(a: AttemptRef, b: AttemptRef): boolean {
  return a.taskId === b.taskId && a.attempt === b.attempt;
}
