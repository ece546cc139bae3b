/**
 * Error classes shared by every chapter.
 *
 * Each error carries the context a reader needs to act on it, as fields (for tests) and in its
 * message (for people). Chapters define their own errors the same way.
 * @module
 */

/** Where a stub lives and what to read before filling it in. */
export interface ExerciseRef {
  /** The exercise, as numbered in the chapter notes, e.g. `"1.4 Hash join"`. */
  readonly exercise: string;
  /** The file to edit, relative to `chapters/`, e.g. `"chapter01-data-models/joins.ts"`. */
  readonly file: string;
  /** The heading in the chapter's README.md to read first, e.g. `"Joins"`. */
  readonly section: string;
}

/**
 * Thrown by every starter stub. The message names the exercise, the file to edit and the
 * section of the notes to read, so the first red test tells a learner exactly where to start.
 */
export class NotImplementedError extends Error {
  override readonly name = 'NotImplementedError';
  readonly exercise: string;
  readonly file: string;
  readonly section: string;

  constructor(ref: ExerciseRef) {
    const chapterDir = ref.file.split('/')[0] ?? '';
    super(
      `Exercise ${ref.exercise} is not implemented yet.\n` +
        `  edit: chapters/${ref.file}\n` +
        `  read: chapters/${chapterDir}/README.md, section "${ref.section}"`,
    );
    this.exercise = ref.exercise;
    this.file = ref.file;
    this.section = ref.section;
  }
}

/** A stored byte range failed its checksum or could not be parsed. Never return such data. */
export class CorruptionError extends Error {
  override readonly name = 'CorruptionError';
  readonly file: string;
  readonly offset: number;

  constructor(file: string, offset: number, detail: string) {
    super(`corruption in ${file} at byte offset ${offset}: ${detail}`);
    this.file = file;
    this.offset = offset;
  }
}

/** Bytes could not be decoded. `offset` is where decoding stopped; `expected` says what it wanted. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  readonly offset: number;
  readonly expected: string;

  constructor(offset: number, expected: string, detail = '') {
    super(`cannot decode at byte offset ${offset}: expected ${expected}${detail ? ` (${detail})` : ''}`);
    this.offset = offset;
    this.expected = expected;
  }
}

/** A caller broke an API contract (bad argument, use after close). Nothing stored was changed. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
