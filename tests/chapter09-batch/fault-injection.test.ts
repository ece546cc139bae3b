/**
 * Faults in virtual time: workers that die half-way through their output, hang for ever, or
 * finish after the coordinator gave up on them and ran the task again.
 */

import { describe, expect, it } from 'vitest';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { SUCCESS_MARKER } from '@impl/chapter09-batch/commit.js';
import { TaskFailedError } from '@impl/chapter09-batch/errors.js';
import { seededFaults, type Fate, type Script } from '@impl/chapter09-batch/in-process-executor.js';
import { wordCount } from './fixtures/jobs.js';
import { asRecords, diskWithInputs, forEachSeedAsync, leftovers, randomCorpus, readOutput, reference, runOnDisk } from './helpers.js';

const NOTES = 'Faults: dead, hung and late workers';

function scripted(fates: Record<string, Fate>): Script {
  return (a) => fates[`${a.taskId}#${a.attempt}`] ?? { kind: 'ok', ticks: 10 };
}

/** Two input files, so two map tasks with one split per file. */
function twoSplitJob(seed: number): ReturnType<typeof diskWithInputs> & { inputs: ReturnType<typeof asRecords>[] } {
  const random = new Random(seed);
  const inputs = [asRecords(randomCorpus(random, 30)), asRecords(randomCorpus(random, 30))];
  return { ...diskWithInputs(inputs), inputs };
}

describe('faults: dead, hung and late workers', () => {
  it('under random deaths, hangs and late finishes the output equals the fault-free run, with no stray file (seed sweep)', async () => {
    await forEachSeedAsync(12, async (seed) => {
      const random = new Random(seed);
      const inputs = [asRecords(randomCorpus(random, 80)), asRecords(randomCorpus(random, 50))];
      const expected = reference(wordCount, inputs);
      const slots = [1, 2, 4][seed % 3]!;
      const { disk, files } = diskWithInputs(inputs);
      const script = seededFaults(seed, { die: 0.25, hang: 0.1, late: 0.15, lateTicks: 150 });
      const { result } = await runOnDisk(disk, files, wordCount, { slots, partitions: 3, splitBytes: 200, timeoutTicks: 100, maxAttempts: 4, script });
      expect(readOutput(disk, 'out').records, because('retries and stragglers never change the output', NOTES)).toEqual(expected);
      expect(disk.list('out'), because('no partial or duplicate file reaches the output directory', NOTES)).toEqual([SUCCESS_MARKER, 'part-00000', 'part-00001', 'part-00002']);
      expect(leftovers(disk, 'work'), because('attempt files of dead and discarded attempts are removed', NOTES)).toEqual([]);
      expect(result.map.committed, because('exactly as many successful map tasks as splits', NOTES)).toBe(result.splits);
      expect(result.reduce.committed).toBe(3);
    });
  });

  it('faults happen in the sweep: some attempts die and some time out', async () => {
    let died = 0;
    let timedOut = 0;
    await forEachSeedAsync(12, async (seed) => {
      const { disk, files } = diskWithInputs([asRecords(randomCorpus(new Random(seed), 80))]);
      const script = seededFaults(seed, { die: 0.25, hang: 0.1, late: 0.15, lateTicks: 150 });
      const { result } = await runOnDisk(disk, files, wordCount, { partitions: 3, splitBytes: 200, timeoutTicks: 100, script });
      died += result.map.died + result.reduce.died;
      timedOut += result.map.timedOut + result.reduce.timedOut;
    });
    expect(died, because('the sweep must exercise deaths', NOTES)).toBeGreaterThan(0);
    expect(timedOut, because('the sweep must exercise timeouts', NOTES)).toBeGreaterThan(0);
  });

  it('a late first attempt and a retry that dies after it committed: the committed output stays whole', async () => {
    const { disk, files, inputs } = twoSplitJob(21);
    // m0#1 finishes at 250, after its deadline (200); m0#2 starts at 200 and dies at 280, when
    // m0 is already committed. m1 keeps the phase running until 340.
    const script = scripted({
      'map-00000#1': { kind: 'ok', ticks: 250 },
      'map-00000#2': { kind: 'die', ticks: 80 },
      'map-00001#1': { kind: 'die', ticks: 150 },
      'map-00001#2': { kind: 'ok', ticks: 190 },
    });
    const { result } = await runOnDisk(disk, files, wordCount, { slots: 2, partitions: 2, splitBytes: 1 << 20, timeoutTicks: 200, script });
    expect(result.splits).toBe(2);
    expect(readOutput(disk, 'out').records, because('a dying attempt writes only its own file, never the committed one', 'The commit protocol')).toEqual(reference(wordCount, inputs));
    expect(result.map).toMatchObject({ committed: 2, timedOut: 1 });
  });

  it('a task that ran twice to success is committed once: its output is counted once', async () => {
    const { disk, files, inputs } = twoSplitJob(22);
    // m0#1 times out at 200 but finishes at 250, after m0#2 (200 to 210) committed.
    const script = scripted({
      'map-00000#1': { kind: 'ok', ticks: 250 },
      'map-00001#1': { kind: 'die', ticks: 150 },
      'map-00001#2': { kind: 'ok', ticks: 190 },
    });
    const { result, executor } = await runOnDisk(disk, files, wordCount, { slots: 2, partitions: 2, splitBytes: 1 << 20, timeoutTicks: 200, script });
    expect(executor.runs.get('map-00000'), because('the straggler really ran to the end', NOTES)).toBe(2);
    expect(result.map).toMatchObject({ committed: 2, discarded: 1 });
    expect(readOutput(disk, 'out').records, because('the second success of a task is discarded, not merged in too', 'The coordinator')).toEqual(reference(wordCount, inputs));
    expect(leftovers(disk, 'work')).toEqual([]);
  });

  it('a hung reduce task is timed out and re-run', async () => {
    const { disk, files, inputs } = twoSplitJob(23);
    const script = scripted({ 'reduce-00001#1': { kind: 'hang' }, 'reduce-00000#1': { kind: 'die', ticks: 3 } });
    const { result } = await runOnDisk(disk, files, wordCount, { slots: 2, partitions: 2, timeoutTicks: 50, script });
    expect(result.reduce).toMatchObject({ committed: 2, timedOut: 1, died: 1 });
    expect(readOutput(disk, 'out').records).toEqual(reference(wordCount, inputs));
  });

  it('a task that dies on every attempt fails the job with a TaskFailedError and leaves no output', async () => {
    const { disk, files } = twoSplitJob(24);
    const script: Script = (a) => (a.taskId === 'map-00001' ? { kind: 'die', ticks: 5 } : { kind: 'ok', ticks: 10 });
    await expect(runOnDisk(disk, files, wordCount, { slots: 2, partitions: 2, maxAttempts: 3, script })).rejects.toThrow(TaskFailedError);
    expect(disk.list('out'), because('a failed job publishes nothing', 'The commit protocol')).toEqual([]);
    expect(leftovers(disk, 'work'), because('a failed job removes its scratch files', 'The commit protocol')).toEqual([]);
  });
});
