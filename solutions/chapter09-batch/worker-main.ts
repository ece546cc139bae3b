/**
 * The code each worker thread runs (given code): load the job, then run every task it is sent
 * on the real disk and report the outcome. An exception from the job's code or its input is
 * reported as a failure; anything that kills the thread is seen by the pool as a death.
 * @module
 */

import { parentPort, workerData } from 'node:worker_threads';
import { RealFs } from '../../shared/fs/real-fs.js';
import { errorToWire } from './errors.js';
import type { MapReduceJob } from './records.js';
import { runTask } from './tasks.js';
import type { FromWorker, ToWorker, WorkerSetup } from './worker-protocol.js';

const setup = workerData as WorkerSetup;
const loaded = (await import(setup.jobModule)) as Record<string, unknown>;
const job = loaded[setup.jobExport] as MapReduceJob;
const fs = new RealFs(setup.root);
const port = parentPort!;

port.on('message', (message: ToWorker) => {
  let reply: FromWorker;
  try {
    runTask(fs, job, message.spec, message.outPath);
    reply = { type: 'done' };
  } catch (error) {
    reply = { type: 'failed', error: errorToWire(error) };
  }
  port.postMessage(reply);
});
