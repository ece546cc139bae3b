import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { SimDisk } from '../../shared/fs/sim-disk.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import {
  abortAttempt,
  abortJob,
  attemptPath,
  commitJob,
  commitTask,
  committedPath,
  filesUnder,
  outputPath,
  prepareJob,
  SUCCESS_MARKER,
  type JobLayout,
} from '@impl/chapter09-batch/commit.js';

const NOTES = 'The commit protocol';
const layout: JobLayout = { workDir: 'work', outputDir: 'out' };
const encoder = new TextEncoder();

function write(disk: SimDisk, path: string, text: string): void {
  const handle = disk.open(path, 'truncate');
  handle.append(encoder.encode(text));
  handle.sync();
  handle.close();
}

function read(disk: SimDisk, path: string): string {
  const handle = disk.open(path, 'read');
  const text = new TextDecoder().decode(handle.read(0, handle.size()));
  handle.close();
  return text;
}

describe('9.1 A MapReduce engine: the commit protocol', () => {
  it('every attempt writes under a name of its own, apart from the committed name', () => {
    const names = new Set([attemptPath(layout, 'map-00001', 1), attemptPath(layout, 'map-00001', 2), attemptPath(layout, 'map-00002', 1), committedPath(layout, 'map-00001')]);
    expect(names.size, because('two attempts of one task must never write the same file, nor the file readers use', NOTES)).toBe(4);
    expect(outputPath(layout, 3)).toBe('out/part-00003');
  });

  it('committing renames the attempt\'s file into place and makes the name durable', () => {
    const disk = new SimDisk(new Random(1));
    prepareJob(disk, layout);
    write(disk, attemptPath(layout, 'map-00000', 2), 'output of attempt 2');
    commitTask(disk, layout, 'map-00000', 2);
    expect(disk.exists(attemptPath(layout, 'map-00000', 2)), because('a rename moves the file: the attempt name is gone', NOTES)).toBe(false);
    disk.crash();
    expect(read(disk, committedPath(layout, 'map-00000')), because('a committed task survives a crash: its directory was synced after the rename', NOTES)).toBe('output of attempt 2');
  });

  it('an aborted attempt leaves nothing behind', () => {
    const disk = new SimDisk(new Random(1));
    prepareJob(disk, layout);
    write(disk, attemptPath(layout, 'reduce-00000', 1), 'half an out');
    abortAttempt(disk, layout, 'reduce-00000', 1);
    expect(filesUnder(disk, 'work'), because('a discarded attempt\'s file is removed', NOTES)).toEqual([]);
    abortAttempt(disk, layout, 'reduce-00000', 7); // an attempt that wrote nothing: not an error
  });

  it('committing the job publishes one part per reduce task, then _SUCCESS, and clears the scratch space', () => {
    const disk = new SimDisk(new Random(1));
    prepareJob(disk, layout);
    write(disk, committedPath(layout, 'map-00000'), 'map output');
    write(disk, `work/spill/map-00000.attempt-1.spill-0000`, 'spill');
    write(disk, committedPath(layout, 'reduce-00000'), 'zero');
    write(disk, committedPath(layout, 'reduce-00001'), 'one');
    commitJob(disk, layout, ['reduce-00000', 'reduce-00001']);
    expect(disk.list('out'), because('the output directory holds exactly the parts and the marker', NOTES)).toEqual([SUCCESS_MARKER, 'part-00000', 'part-00001']);
    expect(read(disk, 'out/part-00001')).toBe('one');
    expect(filesUnder(disk, 'work'), because('map outputs, spills and attempts are scratch: the job removes them', NOTES)).toEqual([]);
    disk.crash();
    expect(disk.list('out'), because('the published output is durable', NOTES)).toEqual([SUCCESS_MARKER, 'part-00000', 'part-00001']);
  });

  it('abandoning the job leaves the output directory empty and the scratch space clear', () => {
    const disk = new SimDisk(new Random(1));
    prepareJob(disk, layout);
    write(disk, committedPath(layout, 'reduce-00000'), 'zero');
    write(disk, attemptPath(layout, 'reduce-00001', 1), 'partial');
    abortJob(disk, layout);
    expect(disk.list('out'), because('a failed job publishes nothing', NOTES)).toEqual([]);
    expect(filesUnder(disk, 'work')).toEqual([]);
  });

  it('a job refuses an output directory that already holds files', () => {
    const disk = new SimDisk(new Random(1));
    disk.mkdir('out');
    write(disk, 'out/part-00000', 'old');
    expect(() => prepareJob(disk, layout)).toThrow(UsageError);
    expect(read(disk, 'out/part-00000'), because('bad input never loses stored data', NOTES)).toBe('old');
  });
});
