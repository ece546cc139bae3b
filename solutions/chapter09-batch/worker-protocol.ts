/**
 * Messages between the worker pool and its threads (given code).
 * @module
 */

import type { TaskSpec } from './tasks.js';

/** What each worker is started with. */
export interface WorkerSetup {
  readonly root: string;
  readonly jobModule: string;
  readonly jobExport: string;
}

/** One task for a worker. */
export interface ToWorker {
  readonly spec: TaskSpec;
  readonly outPath: string;
}

/** A worker's report on its task. */
export type FromWorker =
  | { readonly type: 'done' }
  | { readonly type: 'failed'; readonly error: { name: string; message: string; fields: Record<string, unknown> } };
