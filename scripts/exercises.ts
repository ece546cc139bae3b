/**
 * Test results grouped by exercise, the way a learner thinks about them.
 *
 * A chapter's tests are grouped by their top-level `describe` block, whose title starts with the
 * exercise number: `describe('exercise 1.1: schemas, checked on write')` or
 * `describe('2.3 SSTables')`. Blocks with the same number form one exercise. Blocks without a
 * number (`corruption`, `cumulative: …`) are extra groups, listed after the numbered ones in the
 * order their files run. The learner's reporter, `npm start` and `npm run progress` all read
 * results through this module, from vitest's live results or from its JSON report alike.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One test's result, as the reporter and the JSON report both can give it. */
export interface TestRecord {
  /** Path relative to the repository root, with forward slashes. */
  readonly file: string;
  /** The titles of the describe blocks around the test, outermost first. */
  readonly suite: readonly string[];
  readonly name: string;
  readonly state: 'passed' | 'failed' | 'skipped';
  /** The first error of a failed test. */
  readonly error?: TestFailure;
}

/** What a failed test reported. */
export interface TestFailure {
  readonly message: string;
  readonly name?: string;
  readonly diff?: string;
  /** The stack as text, when there is one. */
  readonly stack?: string;
}

export type ExerciseState = 'not started' | 'failing' | 'done' | 'not run';

/** The tests of one exercise (or one extra group) of one chapter. */
export interface Exercise {
  /** `chapter01-data-models`, or `project` for the tests of `shared/` and `scripts/`. */
  readonly chapter: string;
  /** `1.1`, or the block title for a group without a number. */
  readonly id: string;
  /** [major, minor] for a numbered exercise. */
  readonly number?: readonly [number, number];
  readonly title: string;
  readonly tests: TestRecord[];
  passed: number;
  failed: number;
  state: ExerciseState;
}

const NUMBERED = /^(?:exercise\s+)?(\d+)\.(\d+)\b[:.]?\s*(.*)$/i;

/** The chapter folder a test file belongs to, or `project` for the shared and script tests. */
export function chapterOf(file: string): string {
  const match = /(?:^|\/)tests\/(chapter\d\d-[^/]+)\//.exec(file);
  return match ? match[1]! : 'project';
}

/** A stub's "not implemented" error, recognised in a message even when a wrapper quoted it. */
export interface StubRef {
  readonly exercise: string;
  readonly edit: string;
  readonly read: string;
}

const STUB = /Exercise (.+?) is not implemented yet\.\s*\n\s*edit: (\S+)\s*\n\s*read: ([^\n]+)/;

export function stubOf(failure: TestFailure | undefined): StubRef | undefined {
  if (failure === undefined) return undefined;
  const match = STUB.exec(failure.message);
  return match ? { exercise: match[1]!, edit: match[2]!, read: match[3]!.trim() } : undefined;
}

/** Groups records by chapter and exercise: numbered exercises in number order, then the rest. */
export function groupByExercise(records: readonly TestRecord[]): Map<string, Exercise[]> {
  const chapters = new Map<string, Map<string, Exercise>>();
  for (const record of records) {
    const chapter = chapterOf(record.file);
    const top = record.suite[0] ?? record.name;
    const match = NUMBERED.exec(top);
    const id = match ? `${Number(match[1])}.${Number(match[2])}` : top;
    let groups = chapters.get(chapter);
    if (groups === undefined) chapters.set(chapter, (groups = new Map()));
    let exercise = groups.get(id);
    if (exercise === undefined) {
      exercise = {
        chapter,
        id,
        ...(match ? { number: [Number(match[1]), Number(match[2])] as const } : {}),
        title: match ? match[3]! : top,
        tests: [],
        passed: 0,
        failed: 0,
        state: 'not run',
      };
      groups.set(id, exercise);
    } else if (match && !exercise.title.split(' / ').includes(match[3]!)) {
      (exercise as { title: string }).title += ` / ${match[3]!}`;
    }
    exercise.tests.push(record);
  }
  const result = new Map<string, Exercise[]>();
  for (const chapter of [...chapters.keys()].sort()) {
    const list = [...chapters.get(chapter)!.values()];
    for (const exercise of list) settle(exercise);
    const numbered = list.filter((e) => e.number !== undefined).sort((a, b) => a.number![0] - b.number![0] || a.number![1] - b.number![1]);
    const extra = list.filter((e) => e.number === undefined);
    result.set(chapter, [...numbered, ...extra]);
  }
  return result;
}

function settle(exercise: Exercise): void {
  exercise.passed = exercise.tests.filter((t) => t.state === 'passed').length;
  exercise.failed = exercise.tests.filter((t) => t.state === 'failed').length;
  const failures = exercise.tests.filter((t) => t.state === 'failed');
  if (exercise.passed + exercise.failed === 0) exercise.state = 'not run';
  else if (exercise.failed === 0) exercise.state = 'done';
  // A test whose assertion met a stub's error may not quote it, so one stub error is enough.
  else if (exercise.passed === 0 && failures.some((t) => stubOf(t.error) !== undefined)) exercise.state = 'not started';
  else exercise.state = 'failing';
}

/** The exercise to work on next: the first one not done, chapters in order. */
export function nextExercise(groups: ReadonlyMap<string, readonly Exercise[]>): Exercise | undefined {
  for (const [chapter, exercises] of groups) {
    if (chapter === 'project') continue;
    const next = exercises.find((e) => e.state === 'failing' || e.state === 'not started');
    if (next) return next;
  }
  return groups.get('project')?.find((e) => e.state === 'failing');
}

/**
 * The learner's files a test file imports through `@impl` (its error classes aside): the files
 * to edit when one of its tests fails.
 */
export function filesUnderTest(testFile: string, root: string): string[] {
  let source: string;
  try {
    source = readFileSync(join(root, testFile), 'utf8');
  } catch {
    return [];
  }
  const files = new Set<string>();
  for (const match of source.matchAll(/from '@impl\/([^']+)\.js'/g)) {
    if (!/\/errors$/.test(match[1]!)) files.add(`chapters/${match[1]!}.ts`);
  }
  // `05-joins.test.ts` is about `joins.ts`: when one import matches the file's topic, name it alone.
  const topic = testFile.split('/').pop()!.replace(/^\d+-/, '').replace(/\.test\.ts$/, '');
  const named = [...files].filter((f) => f.endsWith(`/${topic}.ts`));
  return named.length > 0 ? named : [...files];
}

/** vitest's JSON report, as far as this module reads it. */
export interface VitestJsonReport {
  readonly testResults: ReadonlyArray<{
    readonly name: string;
    readonly status?: string;
    /** Why a file failed to load, when it did. */
    readonly message?: string;
    readonly assertionResults: ReadonlyArray<{
      readonly ancestorTitles: readonly string[];
      readonly title: string;
      readonly status: string;
      readonly failureMessages?: readonly string[] | null;
    }>;
  }>;
}

/** Records from a JSON report; `root` is stripped from file names. */
export function recordsFromJson(report: VitestJsonReport, root: string): TestRecord[] {
  const rootSlash = root.replace(/\\/g, '/').replace(/\/$/, '');
  const records: TestRecord[] = [];
  for (const file of report.testResults) {
    let name = file.name.replace(/\\/g, '/');
    if (name.startsWith(rootSlash + '/')) name = name.slice(rootSlash.length + 1);
    for (const t of file.assertionResults) {
      const state = t.status === 'passed' ? 'passed' : t.status === 'failed' ? 'failed' : 'skipped';
      const message = t.failureMessages?.[0];
      records.push({
        file: name,
        suite: t.ancestorTitles,
        name: t.title,
        state,
        ...(message !== undefined ? { error: failureFromText(message) } : {}),
      });
    }
  }
  return records;
}

/** The test files of a JSON report that failed to load, with the reason; `root` is stripped. */
export function loadErrorsFromJson(report: VitestJsonReport, root: string): Array<{ file: string; error: TestFailure }> {
  const rootSlash = root.replace(/\\/g, '/').replace(/\/$/, '');
  return report.testResults
    .filter((f) => f.status === 'failed' && f.assertionResults.length === 0)
    .map((f) => {
      const name = f.name.replace(/\\/g, '/');
      return { file: name.startsWith(rootSlash + '/') ? name.slice(rootSlash.length + 1) : name, error: failureFromText(f.message ?? '') };
    });
}

/**
 * A failure as the JSON report writes it (`Name: message`, then the stack's `at` lines) split
 * back into name, message and stack, as the live reporter receives it.
 */
export function failureFromText(text: string): TestFailure {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^\s+at /.test(l));
  const head = (at < 0 ? lines : lines.slice(0, at)).join('\n');
  const named = /^([A-Z]\w*(?:Error|Exception)): ([\s\S]*)$/.exec(head);
  return {
    message: named ? named[2]! : head,
    ...(named ? { name: named[1]! } : {}),
    ...(at >= 0 ? { stack: text } : {}),
  };
}
