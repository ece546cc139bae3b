/**
 * `npm start [-- chapterNN]`: the learner's loop.
 *
 * Runs the chapter's tests and shows, through the learner's reporter, the exercise table and
 * the first failing test of the first unfinished exercise, with the file to edit and the notes
 * section to read. It starts at the chapter shown last (or the first), and goes on to the next
 * chapter when every exercise of one passes. In a terminal it watches `chapters/`, re-runs on
 * every save and takes keys (scripts/start-keys.ts): h hint, d diff, p progress, n/b next and
 * previous exercise, q quit. Without a terminal it prints the status once and exits.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, watch } from 'node:fs';
import { join } from 'node:path';
import { groupByExercise, loadErrorsFromJson, recordsFromJson, type TestFailure, type TestRecord, type VitestJsonReport } from './exercises.js';
import { render } from './learner-reporter.js';
import { root, runVitestAsync, tools } from './lib.js';
import { KEYS, onKey, type View } from './start-keys.js';
import { chapterFolders, commandLine, findChapter, numbered, palette, readState, UsageError, writeState } from './workshop.js';

interface Results {
  readonly records: TestRecord[];
  readonly loadErrors: Array<{ file: string; error: TestFailure }>;
}

const { dim, bold } = palette();
const interactive = process.stdout.isTTY === true && process.stdin.isTTY === true;

async function runChapter(chapter: string): Promise<Results> {
  await runVitestAsync([`tests/${chapter}/`], { report: 'start' });
  const file = join(root, '.vitest-results', 'start.json');
  if (!existsSync(file)) return { records: [], loadErrors: [] };
  const report = JSON.parse(readFileSync(file, 'utf8')) as VitestJsonReport;
  return { records: recordsFromJson(report, root), loadErrors: loadErrorsFromJson(report, root) };
}

const exercisesOf = (results: Results, chapter: string) => numbered(groupByExercise(results.records).get(chapter));

/** The index of the exercise on screen: the chosen one, or the next unfinished one. */
function shownIndex(view: View, results: Results): number {
  const exercises = exercisesOf(results, view.chapter);
  if (view.index !== undefined) return Math.min(view.index, Math.max(0, exercises.length - 1));
  const next = exercises.findIndex((e) => e.state !== 'done');
  return next < 0 ? Math.max(0, exercises.length - 1) : next;
}

function screen(view: View, results: Results): string {
  const exercises = exercisesOf(results, view.chapter);
  const shown = exercises[shownIndex(view, results)];
  const focus = shown === undefined || view.index === undefined ? undefined : { chapter: view.chapter, id: shown.id };
  const lines = render(results.records, results.loadErrors, [], root, focus);
  if (exercises.length > 0 && exercises.every((e) => e.state === 'done')) lines.push(bold(`Every exercise of ${view.chapter.slice(0, 9)} passes.`));
  lines.push(interactive ? `Keys: ${KEYS}` : dim('In a terminal, npm start re-runs the tests on every save and takes keys; here it printed the status once.'));
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { positional } = commandLine('usage: npm start [-- chapterNN]', 1);
  const chapters = chapterFolders().filter((c) => existsSync(join(root, 'tests', c)));
  if (chapters.length === 0) throw new UsageError('no chapters with tests found');
  const state = readState();
  const first = positional[0] !== undefined ? findChapter(positional[0]) : chapters.includes(state.chapter ?? '') ? state.chapter! : chapters[0]!;
  let view: View = { chapter: first, index: undefined };
  let results: Results = { records: [], loadErrors: [] };

  /** Runs the view's chapter, moving on while a followed chapter is all done. */
  const run = async () => {
    if (interactive) process.stdout.write(dim(`\nRunning ${view.chapter.slice(0, 9)}'s tests…\n`));
    results = await runChapter(view.chapter);
    const at = chapters.indexOf(view.chapter);
    const done = (r: Results) => exercisesOf(r, view.chapter).every((e) => e.state === 'done');
    while (positional[0] === undefined && view.index === undefined && done(results) && at + 1 < chapters.length && chapters.indexOf(view.chapter) === at) {
      view = { chapter: chapters[at + 1]!, index: undefined };
      results = await runChapter(view.chapter);
    }
    writeState({ ...readState(), chapter: view.chapter });
  };
  const show = () => {
    if (interactive) process.stdout.write('\u001b[2J\u001b[H');
    process.stdout.write(screen(view, results) + '\n');
  };

  await run();
  show();
  if (!interactive) return;

  let running = false;
  let again = false;
  const rerun = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    do {
      again = false;
      await run();
    } while (again);
    running = false;
    show();
  };
  let debounce: NodeJS.Timeout | undefined;
  const watcher = watch(join(root, 'chapters'), { recursive: true }, () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void rerun(), 300);
  });
  const command = (script: string, args: string[]) => {
    process.stdout.write('\n');
    if (!existsSync(join(root, script))) process.stdout.write(`This copy of the workshop has no ${script} (a handout has no reference to compare with).\n`);
    else spawnSync(process.execPath, [tools.tsx, script, ...args], { cwd: root, stdio: 'inherit' });
    process.stdout.write(dim(`\nKeys: ${KEYS}  (Enter: back to the exercise)\n`));
  };
  process.stdin.setRawMode(true);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (key: string) => {
    const exercises = exercisesOf(results, view.chapter);
    const shown = shownIndex(view, results);
    const next = onKey(view, key, { chapters, exercises: exercises.length, shown });
    view = next.view;
    const id = exercises[shown]?.id;
    switch (next.action) {
      case 'quit':
        watcher.close();
        process.stdin.setRawMode(false);
        process.exit(0);
        break;
      case 'render':
        show();
        break;
      case 'run':
        void rerun();
        break;
      case 'hint':
        command('scripts/hint.ts', id === undefined ? [view.chapter] : [view.chapter, id]);
        break;
      case 'diff':
        command('scripts/diff.ts', [view.chapter]);
        break;
      case 'progress':
        command('scripts/progress.ts', [view.chapter.slice(0, 9)]);
        break;
      case 'none':
        break;
    }
  });
}

main().catch((error: unknown) => {
  if (!(error instanceof UsageError)) throw error;
  console.error(`start: ${error.message}`);
  process.exitCode = 2;
});
