/**
 * Exercise 9.1, part 1: input splits. An input file of JSON lines (one record per line) is cut
 * into byte ranges of about `splitBytes`, one map task each, without reading the files; the
 * reader of a split then finds the whole lines that belong to it.
 * @module
 */

import type { FileSystem } from '../../shared/fs/file-system.js';
import { NotImplementedError, UsageError } from '../../shared/errors.js';
import { MalformedInputError } from './errors.js';
import type { Json } from './records.js';

/** One map task's share of the input: bytes `[start, end)` of `file`. */
export interface InputSplit {
  /** Position in the job's list of splits, from 0; names the map task. */
  readonly index: number;
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** An input record and where its line starts. */
export interface InputRecord {
  readonly offset: number;
  readonly record: Json;
}

const SPLITS = { exercise: '9.1 A MapReduce engine: input splits', file: 'chapter09-batch/input-splits.ts', section: 'Input splits' };

/**
 * Cuts each file, in the order given, into consecutive ranges of `splitBytes` (the last one of a
 * file shorter), numbered from 0 across all files. An empty file has no split. A `splitBytes`
 * that is not a positive integer is a `UsageError`. Reads only file sizes, never contents.
 */
export function planSplits(fs: FileSystem, files: readonly string[], splitBytes: number): InputSplit[] {
  throw new NotImplementedError(SPLITS);
}

/**
 * The records of a split: every line that *starts* in `[start, end)`, read to its end even when
 * that lies beyond `end`. A line starts at offset 0 or just after a newline (byte 0x0a). So the
 * splits of a file together yield each line exactly once, in order. Blank (all-whitespace) lines
 * are skipped. A line that is not JSON, or not UTF-8, raises a {@link MalformedInputError} with
 * the file and the line's offset. Read through the file handle in chunks: a split of a large
 * file must not be read whole into memory.
 */
export function* readSplit(fs: FileSystem, split: InputSplit): Generator<InputRecord> {
  throw new NotImplementedError(SPLITS);
}
