/** Bad input and bad job code: typed errors that say what and where, and no output left. */

import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { MalformedInputError, MapperError, ReducerError } from '@impl/chapter09-batch/errors.js';
import type { MapReduceJob } from '@impl/chapter09-batch/records.js';
import { wordCount } from './fixtures/jobs.js';
import { diskWithInputs, leftovers, runOnDisk } from './helpers.js';

const NOTES = 'Bad input and failing jobs';

async function failure(run: Promise<unknown>): Promise<unknown> {
  try {
    await run;
  } catch (error) {
    return error;
  }
  throw new Error('expected the job to fail, but it completed');
}

describe('bad input and failing jobs', () => {
  it('a mapper that throws fails the job with a MapperError naming the split and the record', async () => {
    const picky: MapReduceJob = {
      name: 'picky',
      map(record, emit) {
        if (record === 'poison') throw new Error('cannot map poison');
        emit(String(record), 1);
      },
      reduce: (_k, values) => values.length,
    };
    const { disk, files } = diskWithInputs([['a', 'b'], ['c', 'poison', 'd']]);
    const error = await failure(runOnDisk(disk, files, picky, { partitions: 2, splitBytes: 1 << 20 }));
    expect(error, because('an exception in the job\'s own code is a typed error, not a retry loop', NOTES)).toBeInstanceOf(MapperError);
    const e = error as MapperError;
    expect(e.file).toBe('in/input-1.jsonl');
    expect(e.offset, because('the offset is that of the record\'s line: after "c"\\n', NOTES)).toBe(4);
    expect(e.split).toBe('in/input-1.jsonl[0, 17)');
    expect(e.message).toContain('cannot map poison');
    expect(disk.list('out'), because('a failed job leaves no output', NOTES)).toEqual([]);
    expect(leftovers(disk, 'work')).toEqual([]);
  });

  it('a malformed input file fails the job with a MalformedInputError naming the file and offset', async () => {
    const { disk, files } = diskWithInputs([['fine', 'also fine']]);
    const handle = disk.open(files[0]!, 'readwrite');
    handle.append(new TextEncoder().encode('{not json\n"after"\n'));
    handle.close();
    const error = await failure(runOnDisk(disk, files, wordCount, { partitions: 2 }));
    expect(error, because('malformed input is a typed error', NOTES)).toBeInstanceOf(MalformedInputError);
    expect((error as MalformedInputError).file).toBe('in/input-0.jsonl');
    expect((error as MalformedInputError).offset).toBe(19);
    expect(disk.list('out'), because('a failed job leaves no output', NOTES)).toEqual([]);
  });

  it('a reducer that throws fails the job with a ReducerError naming the key, and no part file survives', async () => {
    const grumpy: MapReduceJob = {
      name: 'grumpy',
      map(record, emit) {
        emit(String(record), 1);
      },
      reduce(key, values) {
        if (key === 'z') throw new Error('no z');
        return values.length;
      },
    };
    const { disk, files } = diskWithInputs([['a', 'b', 'c', 'x', 'y', 'z', 'q']]);
    const error = await failure(runOnDisk(disk, files, grumpy, { partitions: 3, slots: 1 }));
    expect(error).toBeInstanceOf(ReducerError);
    expect((error as ReducerError).key).toBe('z');
    expect(disk.list('out'), because('other reducers may have finished, but nothing is published until all have', NOTES)).toEqual([]);
    expect(leftovers(disk, 'work')).toEqual([]);
  });
});
