/** The same engine on real worker threads and the real disk: one job, one worker death. */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RealFs } from '../../shared/fs/real-fs.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { SUCCESS_MARKER } from '@impl/chapter09-batch/commit.js';
import { runMapReduce } from '@impl/chapter09-batch/mapreduce.js';
import { WorkerPoolExecutor } from '@impl/chapter09-batch/worker-pool.js';
import { dieOnce } from './fixtures/jobs.js';
import { asRecords, leftovers, randomCorpus, readOutput, reference, writeInput } from './helpers.js';

const NOTES = 'Workers and threads';

describe('worker threads', () => {
  it('on two worker threads, a worker that exits mid-task is replaced, its task re-run, and the output equals the plain count', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ddia-ch09-'));
    const fs = new RealFs(root);
    const pool = new WorkerPoolExecutor({ root, jobModule: new URL('./fixtures/jobs.ts', import.meta.url).href, jobExport: 'dieOnce', workers: 2 });
    try {
      const records = asRecords(randomCorpus(new Random(31), 400));
      // The worker that maps this record exits the first time any worker meets it.
      records.splice(200, 0, { crashMarkerDir: root });
      fs.mkdir('in');
      writeInput(fs, 'in/corpus.jsonl', records);
      const result = await runMapReduce({ fs, inputs: ['in/corpus.jsonl'], outputDir: 'out', workDir: 'work', partitions: 3, splitBytes: 4096, executor: pool });
      expect(readOutput(fs, 'out').records, because('a death on a real thread is retried like a scripted one', NOTES)).toEqual(reference(dieOnce, [records.filter((_, i) => i !== 200)]));
      expect(result.map.died, because('exactly one worker exited', NOTES)).toBe(1);
      expect(result.map.committed).toBe(result.splits);
      expect(fs.list('out')).toEqual([SUCCESS_MARKER, 'part-00000', 'part-00001', 'part-00002']);
      expect(leftovers(fs, 'work')).toEqual([]);
    } finally {
      await pool.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
