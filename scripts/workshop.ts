/**
 * What the learner's commands (`npm start`, `hint`, `diff`, `progress`, `catch-up`) share: the
 * chapters found on disk, one run of a chapter's tests grouped by exercise, and the small state
 * file that remembers which hints were shown.
 *
 * Chapters are discovered, never listed: every `chapters/chapterNN-*` folder is one, so a new
 * chapter needs no change here.
 */

import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupByExercise, recordsFromJson, type Exercise, type VitestJsonReport } from './exercises.js';
import { root, runVitest } from './lib.js';

/** Chapter folders under `chapters/`, e.g. `chapter01-data-models`, in order. */
export function chapterFolders(base: string = root): string[] {
  const dir = join(base, 'chapters');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^chapter\d\d-/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** A usage error: the command prints the message and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The chapter folder a command-line argument names: `chapter01`, `chapter01-data-models` or a
 * folder path ending in one. Throws a {@link UsageError} listing the chapters when none matches.
 */
export function findChapter(arg: string | undefined, base: string = root): string {
  const chapters = chapterFolders(base);
  const list = chapters.map((c) => c.slice(0, 9)).join(', ');
  if (arg === undefined) throw new UsageError(`name a chapter with two digits, one of: ${list}`);
  const name = arg.replace(/\\/g, '/').replace(/\/$/, '').split('/').pop()!;
  const match = /^chapter\d\d(?:-|$)/.test(name) ? chapters.find((c) => c === name || c.startsWith(`${name}-`)) : undefined;
  if (match === undefined) throw new UsageError(`no chapter "${arg}"; use two digits, one of: ${list}`);
  return match;
}

/**
 * Runs the tests of `chapters` against the learner's code (quietly, with a JSON report) and
 * returns their results grouped by exercise, chapter by chapter.
 */
export function chapterResults(chapters: readonly string[], report: string): Map<string, Exercise[]> {
  runVitest(
    chapters.map((c) => `tests/${c}/`),
    { quiet: true, report },
  );
  const file = join(root, '.vitest-results', `${report}.json`);
  if (!existsSync(file)) return new Map();
  return groupByExercise(recordsFromJson(JSON.parse(readFileSync(file, 'utf8')) as VitestJsonReport, root));
}

/** The numbered exercises of a chapter's results (end-to-end and other extra groups left out). */
export function numbered(exercises: readonly Exercise[] | undefined): Exercise[] {
  return (exercises ?? []).filter((e) => e.number !== undefined);
}

/** What `.workshop/state.json` holds. It is the learner's, git-ignored, and safe to delete. */
export interface WorkshopState {
  /** Hints shown so far, keyed by `chapter exercise` (`chapter01-data-models 1.2`). */
  hints: Record<string, number>;
  /** Backups made by `npm run catch-up`, newest last. */
  backups: string[];
  /** The chapter `npm start` showed last. */
  chapter?: string;
}

export const stateFile = (base: string = root) => join(base, '.workshop', 'state.json');

export function readState(base: string = root): WorkshopState {
  const empty: WorkshopState = { hints: {}, backups: [] };
  try {
    const parsed = JSON.parse(readFileSync(stateFile(base), 'utf8')) as Partial<WorkshopState>;
    return { hints: parsed.hints ?? {}, backups: parsed.backups ?? [], ...(parsed.chapter !== undefined ? { chapter: parsed.chapter } : {}) };
  } catch {
    return empty;
  }
}

export function writeState(state: WorkshopState, base: string = root): void {
  mkdirSync(join(base, '.workshop'), { recursive: true });
  writeFileSync(stateFile(base), JSON.stringify(state, null, 2) + '\n');
}

/** Colours for a terminal: none when output is not a terminal, or `NO_COLOR` is set. */
export function palette(stream: NodeJS.WriteStream = process.stdout) {
  const on = stream.isTTY === true && process.env['NO_COLOR'] === undefined;
  const paint = (open: number, close: number) => (text: string) => (on ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { on, red: paint(31, 39), green: paint(32, 39), yellow: paint(33, 39), cyan: paint(36, 39), bold: paint(1, 22), dim: paint(2, 22) };
}

/** A command line: its `--flags` and its other arguments, at most `max` of them (else a usage error). */
export function commandLine(usage: string, max: number, argv: readonly string[] = process.argv.slice(2)) {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const positional = argv.filter((a) => !a.startsWith('--'));
  if (positional.length > max) throw new UsageError(usage);
  return { flags, positional };
}

/** Runs a command's body: a {@link UsageError} prints its message and exits with status 2. */
export function main(command: string, body: () => number | void): void {
  try {
    process.exitCode = body() ?? 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${command}: ${error.message}`);
    process.exitCode = 2;
  }
}
