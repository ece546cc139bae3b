import { describe, expect, it } from 'vitest';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { SUCCESS_MARKER } from '@impl/chapter09-batch/commit.js';
import { partitionFor } from '@impl/chapter09-batch/partitioner.js';
import { collectInOrder, meanLength, wordCount, wordCountNoCombiner } from './fixtures/jobs.js';
import { asRecords, diskWithInputs, forEachSeedAsync, leftovers, randomCorpus, readOutput, reference, runOnDisk } from './helpers.js';

const NOTES = 'What a MapReduce job is';

describe('9.1 A MapReduce engine: a whole job', () => {
  it('word count equals a plain single-threaded count for 1, 2 and 4 workers and several partition counts (property)', async () => {
    await forEachSeedAsync(6, async (seed) => {
      const random = new Random(seed);
      const inputs = [asRecords(randomCorpus(random, random.int(0, 60))), asRecords(randomCorpus(random, random.int(1, 60)))];
      const expected = reference(wordCount, inputs);
      for (const slots of [1, 2, 4]) {
        for (const partitions of [1, 3, 7]) {
          const { disk, files } = diskWithInputs(inputs);
          await runOnDisk(disk, files, wordCount, { slots, partitions, splitBytes: random.int(20, 400) });
          const { records } = readOutput(disk, 'out');
          expect(records, because(`the output does not depend on the workers (${slots}) or the partitions (${partitions})`, NOTES)).toEqual(expected);
        }
      }
    });
  });

  it('a reducer sees a key\'s values in input order, whatever the split size, partitions and workers (property)', async () => {
    await forEachSeedAsync(5, async (seed) => {
      const random = new Random(seed);
      const inputs = [asRecords(randomCorpus(random, 40)), asRecords(randomCorpus(random, 25))];
      const expected = reference(collectInOrder, inputs);
      for (const slots of [1, 4]) {
        const { disk, files } = diskWithInputs(inputs);
        await runOnDisk(disk, files, collectInOrder, { slots, partitions: random.int(1, 5), splitBytes: random.int(10, 300), memoryBytes: random.int(100, 2000) });
        expect(readOutput(disk, 'out').records, because('merges are stable and map outputs are read in map-task order, so values keep input order', 'Sorting, spilling and merging')).toEqual(expected);
      }
    });
  });

  it('each key is in exactly one part file: the one its partition names, sorted within it', async () => {
    const inputs = [asRecords(randomCorpus(new Random(3), 200))];
    const { disk, files } = diskWithInputs(inputs);
    await runOnDisk(disk, files, wordCount, { partitions: 4, splitBytes: 300 });
    const { perPart } = readOutput(disk, 'out');
    expect(perPart.length).toBe(4);
    perPart.forEach((records, p) => {
      for (const { key } of records) expect(partitionFor(key, 4), because(`key ${key} belongs in part ${partitionFor(key, 4)}`, 'The partitioner')).toBe(p);
      const keys = records.map((r) => r.key);
      expect(keys, because('a part file is sorted by key', NOTES)).toEqual([...keys].sort());
    });
  });

  it('a tiny memory budget makes every map task spill, and changes nothing in the output; no spill file is left', async () => {
    const inputs = [asRecords(randomCorpus(new Random(4), 300))];
    const expected = reference(wordCountNoCombiner, inputs);
    const { disk, files } = diskWithInputs(inputs);
    await runOnDisk(disk, files, wordCountNoCombiner, { partitions: 3, splitBytes: 2000, memoryBytes: 200 });
    expect(readOutput(disk, 'out').records, because('spilling is invisible in the output', 'Sorting, spilling and merging')).toEqual(expected);
    expect(leftovers(disk, 'work'), because('spill runs and map outputs are removed when the job ends', 'Sorting, spilling and merging')).toEqual([]);
  });

  it('the output directory holds the part files and _SUCCESS, nothing else; one map task committed per split', async () => {
    const inputs = [asRecords(randomCorpus(new Random(5), 100)), asRecords(randomCorpus(new Random(6), 100))];
    const { disk, files } = diskWithInputs(inputs);
    const { result } = await runOnDisk(disk, files, wordCount, { partitions: 2, splitBytes: 500 });
    expect(disk.list('out')).toEqual([SUCCESS_MARKER, 'part-00000', 'part-00001']);
    expect(result.map.committed, because('exactly one successful map task per split', 'The coordinator')).toBe(result.splits);
    expect(result.reduce.committed).toBe(2);
    expect(result.outputs).toEqual(['out/part-00000', 'out/part-00001']);
  });

  it('a non-associative reducer without a combiner gets every value (a mean stays a mean)', async () => {
    const inputs = [asRecords(randomCorpus(new Random(7), 150))];
    const { disk, files } = diskWithInputs(inputs);
    await runOnDisk(disk, files, meanLength, { partitions: 2, splitBytes: 200, memoryBytes: 300 });
    expect(readOutput(disk, 'out').records, because('a job with no combiner must not combine: the mean of means is not the mean', 'The combiner')).toEqual(reference(meanLength, inputs));
  });

  it('the published output survives a power cut right after the job: every part was synced before it was renamed', async () => {
    const inputs = [asRecords(randomCorpus(new Random(8), 120))];
    const { disk, files } = diskWithInputs(inputs);
    await runOnDisk(disk, files, wordCount, { partitions: 3, splitBytes: 400 });
    disk.crash(); // unsynced data is lost
    expect(disk.list('out')).toEqual([SUCCESS_MARKER, 'part-00000', 'part-00001', 'part-00002']);
    expect(readOutput(disk, 'out').records, because('a reduce task syncs its output before reporting success; a part renamed into out/ unsynced is empty after a crash', 'The commit protocol')).toEqual(
      reference(wordCount, inputs),
    );
  });

  it('an empty input gives empty part files and _SUCCESS', async () => {
    const { disk, files } = diskWithInputs([[]]);
    const { result } = await runOnDisk(disk, files, wordCount, { partitions: 2 });
    expect(result.splits).toBe(0);
    expect(readOutput(disk, 'out').records).toEqual([]);
    expect(disk.list('out')).toEqual([SUCCESS_MARKER, 'part-00000', 'part-00001']);
  });
});
