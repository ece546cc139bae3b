/**
 * Exercise 9.1, part 1: input splits. An input file of JSON lines (one record per line) is cut
 * into byte ranges of about `splitBytes`, one map task each, without reading the files; the
 * reader of a split then finds the whole lines that belong to it.
 * @module
 */

import { concatBytes } from '../../shared/bytes.js';
import type { FileSystem } from '../../shared/fs/file-system.js';
import { UsageError } from '../../shared/errors.js';
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

const NEWLINE = 0x0a;
const READ_BYTES = 64 * 1024;
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Cuts each file, in the order given, into consecutive ranges of `splitBytes` (the last one of a
 * file shorter), numbered from 0 across all files. An empty file has no split.
 */
export function planSplits(fs: FileSystem, files: readonly string[], splitBytes: number): InputSplit[] {
  if (!Number.isInteger(splitBytes) || splitBytes < 1) throw new UsageError(`splitBytes must be a positive integer, not ${splitBytes}`);
  const splits: InputSplit[] = [];
  for (const file of files) {
    const handle = fs.open(file, 'read');
    const size = handle.size();
    handle.close();
    for (let start = 0; start < size; start += splitBytes) {
      splits.push({ index: splits.length, file, start, end: Math.min(size, start + splitBytes) });
    }
  }
  return splits;
}

/**
 * The records of a split: every line that *starts* in `[start, end)`, read to its end even when
 * that lies beyond `end`. A line starts at offset 0 or just after a newline. So the splits of a
 * file together yield each line exactly once. Blank lines are skipped. A line that is not JSON,
 * or not UTF-8, raises a {@link MalformedInputError} with the file and the line's offset.
 */
export function* readSplit(fs: FileSystem, split: InputSplit): Generator<InputRecord> {
  const handle = fs.open(split.file, 'read');
  try {
    const size = handle.size();
    let pos = split.start;
    // The line at `start` is ours only when a line starts there.
    if (pos > 0 && handle.read(pos - 1, 1)[0] !== NEWLINE) {
      pos = nextLineStart(handle, pos, size);
    }
    let pending: Uint8Array[] = [];
    let lineStart = pos;
    while (lineStart < split.end && pos < size) {
      const chunk = handle.read(pos, Math.min(READ_BYTES, size - pos));
      let from = 0;
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] !== NEWLINE) continue;
        pending.push(chunk.subarray(from, i));
        const record = parseLine(split.file, lineStart, pending);
        if (record !== undefined) yield { offset: lineStart, record };
        pending = [];
        from = i + 1;
        lineStart = pos + i + 1;
        if (lineStart >= split.end) return;
      }
      pending.push(chunk.slice(from));
      pos += chunk.length;
    }
    // The file's last line may have no newline.
    if (lineStart < split.end && pending.some((p) => p.length > 0)) {
      const record = parseLine(split.file, lineStart, pending);
      if (record !== undefined) yield { offset: lineStart, record };
    }
  } finally {
    handle.close();
  }
}

function nextLineStart(handle: { read(offset: number, length: number): Uint8Array }, from: number, size: number): number {
  let pos = from;
  while (pos < size) {
    const chunk = handle.read(pos, Math.min(READ_BYTES, size - pos));
    const at = chunk.indexOf(NEWLINE);
    if (at >= 0) return pos + at + 1;
    pos += chunk.length;
  }
  return size;
}

function parseLine(file: string, offset: number, parts: readonly Uint8Array[]): Json | undefined {
  const bytes = parts.length === 1 ? parts[0]! : concatBytes(...parts);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new MalformedInputError(file, offset, 'the line is not valid UTF-8');
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch (error) {
    throw new MalformedInputError(file, offset, `the line is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
