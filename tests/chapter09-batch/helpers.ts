/**
 * What the chapter's tests share: random corpora, a plain single-threaded reference of a job,
 * running a job on a simulated disk, and reading its output.
 */

import { SimDisk } from '../../shared/fs/sim-disk.js';
import type { FileSystem } from '../../shared/fs/file-system.js';
import { Random } from '../../shared/random.js';
import { sweepSeeds, withReplay } from '../../shared/testing/replay.js';
import { filesUnder } from '@impl/chapter09-batch/commit.js';
import { InProcessExecutor, type Script } from '@impl/chapter09-batch/in-process-executor.js';
import { runMapReduce, type JobResult, type MapReduceOptions } from '@impl/chapter09-batch/mapreduce.js';
import { compareKeys, type Json, type KeyValue, type MapReduceJob } from '@impl/chapter09-batch/records.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `forEachSeed` for scenarios that await: the first failure carries its seed and replay command. */
export async function forEachSeedAsync(count: number, scenario: (seed: number) => Promise<void>): Promise<void> {
  for (const seed of sweepSeeds(count)) {
    try {
      await scenario(seed);
    } catch (error) {
      throw withReplay(error, seed);
    }
  }
}

const VOCABULARY = ['the', 'of', 'data', 'log', 'batch', 'stream', 'index', 'join', 'key', 'value', 'disk', 'sort', 'merge', 'Ünïcode', 'naïve', '日本', 'a1', 'b2'];

/** A random corpus: `lines` lines of a few words each, Zipf-ish, some words made up. */
export function randomCorpus(random: Random, lines: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const n = random.int(0, 8);
    const words: string[] = [];
    for (let w = 0; w < n; w++) {
      const roll = random.float();
      words.push(roll < 0.8 ? VOCABULARY[Math.floor(roll * roll * VOCABULARY.length)]! : `w${random.int(0, 60)}`);
    }
    out.push(words.join(random.chance(0.2) ? ', ' : ' '));
  }
  return out;
}

/** Writes records as JSON lines. */
export function writeInput(fs: FileSystem, path: string, records: readonly Json[]): void {
  const handle = fs.open(path, 'truncate');
  handle.append(encoder.encode(records.map((r) => JSON.stringify(r) + '\n').join('')));
  handle.sync();
  handle.close();
}

/** A job run the plain way: every record in input order, one map, one group, one reduce. */
export function reference(job: MapReduceJob, inputs: readonly (readonly Json[])[]): KeyValue[] {
  const groups = new Map<string, Json[]>();
  for (const records of inputs) {
    for (const record of records) {
      job.map(record, (key, value) => {
        const values = groups.get(key);
        if (values === undefined) groups.set(key, [value]);
        else values.push(value);
      });
    }
  }
  return [...groups.keys()].sort(compareKeys).map((key) => ({ key, value: job.reduce(key, groups.get(key)!) }));
}

/** Reads a job's output: every part file's lines, checked to be sorted within each part. */
export function readOutput(fs: FileSystem, outputDir: string): { records: KeyValue[]; perPart: KeyValue[][] } {
  const parts = fs.list(outputDir).filter((name) => name.startsWith('part-'));
  const perPart = parts.map((name) => {
    const handle = fs.open(`${outputDir}/${name}`, 'read');
    const text = decoder.decode(handle.read(0, handle.size()));
    handle.close();
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as KeyValue);
  });
  const records = perPart.flat().sort((a, b) => compareKeys(a.key, b.key));
  return { records, perPart };
}

/** A simulated disk with an `in/` directory holding `inputs` (one file per entry). */
export function diskWithInputs(inputs: readonly (readonly Json[])[], seed = 1): { disk: SimDisk; files: string[] } {
  const disk = new SimDisk(new Random(seed));
  disk.mkdir('in');
  const files = inputs.map((records, i) => {
    const path = `in/input-${i}.jsonl`;
    writeInput(disk, path, records);
    return path;
  });
  return { disk, files };
}

/** Options for {@link runOnDisk}. */
export interface RunOptions extends Partial<Omit<MapReduceOptions, 'fs' | 'inputs' | 'executor'>> {
  readonly slots?: number;
  readonly script?: Script;
}

/** Runs `job` over `files` of `disk` with the in-process executor. */
export async function runOnDisk(
  disk: FileSystem,
  files: readonly string[],
  job: MapReduceJob,
  options: RunOptions = {},
): Promise<{ result: JobResult; executor: InProcessExecutor }> {
  const executor = new InProcessExecutor(disk, job, { slots: options.slots ?? 2, ...(options.script ? { script: options.script } : {}) });
  const result = await runMapReduce({
    fs: disk,
    inputs: files,
    outputDir: options.outputDir ?? 'out',
    workDir: options.workDir ?? 'work',
    partitions: options.partitions ?? 3,
    splitBytes: options.splitBytes ?? 256,
    executor,
    ...(options.memoryBytes === undefined ? {} : { memoryBytes: options.memoryBytes }),
    ...(options.timeoutTicks === undefined ? {} : { timeoutTicks: options.timeoutTicks }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });
  return { result, executor };
}

/** The files left under `dir` (scratch space must be empty of files after a job). */
export function leftovers(fs: FileSystem, dir: string): string[] {
  return filesUnder(fs, dir);
}

/** Text lines as input records: every other one wrapped as `{"text": …}`. */
export function asRecords(lines: readonly string[]): Json[] {
  return lines.map((line, i) => (i % 2 === 0 ? line : { text: line }));
}
