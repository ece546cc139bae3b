/**
 * The learner's reporter: what `npm test -- chapterNN` prints by default.
 *
 * One line per exercise (number, title, tests passed of total, state), then the whole failure of
 * only the first failing test of the first unfinished exercise, with the file to edit and the
 * notes section to read. A stub that is not written yet is one line, not a stack trace. Every
 * failure, as vitest prints it: add `--reporter=default` (or `--reporter=verbose`); scripts add
 * `--reporter=json`. Either flag replaces this reporter.
 */

import { relative } from 'node:path';
import type { Reporter, SerializedError, TestModule, Vitest } from 'vitest/node';
import {
  chapterOf,
  filesUnderTest,
  groupByExercise,
  nextExercise,
  stubOf,
  type Exercise,
  type TestFailure,
  type TestRecord,
} from './exercises.js';

const useColour = process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined && process.env['CI'] === undefined;
const paint = (code: number) => (text: string) => (useColour ? `\u001b[${code}m${text}\u001b[39m` : text);
const red = paint(31);
const green = paint(32);
const yellow = paint(33);
const dim = (text: string) => (useColour ? `\u001b[2m${text}\u001b[22m` : text);
const bold = (text: string) => (useColour ? `\u001b[1m${text}\u001b[22m` : text);

/** At most this many lines of one failure's message and diff. */
const MESSAGE_LINES = 24;

export default class LearnerReporter implements Reporter {
  private root = process.cwd();
  private watching = false;

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
    this.watching = vitest.config.watch;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    const records: TestRecord[] = [];
    const loadErrors: Array<{ file: string; error: SerializedError }> = [];
    for (const module of modules) {
      const file = this.relativePath(module.moduleId);
      for (const test of module.children.allTests()) {
        const result = test.result();
        const state = result.state === 'passed' ? 'passed' : result.state === 'failed' ? 'failed' : 'skipped';
        const error = result.errors?.[0];
        const suite: string[] = [];
        for (let parent = test.parent; parent.type === 'suite'; parent = parent.parent) suite.unshift(parent.name);
        records.push({ file, suite, name: test.name, state, ...(error ? { error: failureOf(error) } : {}) });
      }
      for (const error of module.errors()) loadErrors.push({ file, error });
    }
    const lines = render(records, loadErrors, unhandled, this.root);
    if (this.watching) lines.push('', dim('Watching for changes. Press h for help, q to quit.'));
    process.stdout.write(lines.join('\n') + '\n');
  }

  private relativePath(path: string): string {
    return relative(this.root, path).replace(/\\/g, '/');
  }
}

function failureOf(error: SerializedError & { diff?: string }): TestFailure {
  return {
    message: error.message,
    ...(error.name !== undefined ? { name: error.name } : {}),
    ...(typeof error.diff === 'string' ? { diff: error.diff } : {}),
    ...(error.stack !== undefined ? { stack: error.stack } : {}),
  };
}

const STATE_LABEL: Record<Exercise['state'], (s: string) => string> = {
  done: green,
  failing: red,
  'not started': dim,
  'not run': dim,
};

/**
 * The whole report, as lines. `focus` names the exercise to show in full (`npm start` moves it
 * with n and b); without it, the next unfinished one. Exported for `npm start` and the tests.
 */
export function render(
  records: readonly TestRecord[],
  loadErrors: ReadonlyArray<{ file: string; error: TestFailure }>,
  unhandled: ReadonlyArray<SerializedError>,
  root: string,
  focus?: { readonly chapter: string; readonly id: string },
): string[] {
  const lines: string[] = [''];
  const groups = groupByExercise(records);
  const focused = focus === undefined ? undefined : groups.get(focus.chapter)?.find((e) => e.id === focus.id);
  const next = focused ?? nextExercise(groups);
  const chapterCount = [...groups.keys()].filter((c) => c !== 'project').length;
  for (const [chapter, exercises] of groups) {
    const run = exercises.filter((e) => e.state !== 'not run');
    if (run.length === 0) continue;
    const passed = run.reduce((n, e) => n + e.passed, 0);
    const total = run.reduce((n, e) => n + e.passed + e.failed, 0);
    const label = chapter === 'project' ? 'shared code and scripts' : chapter;
    const expanded = chapterCount <= 1 ? chapter !== 'project' || passed < total : next?.chapter === chapter;
    const summary = passed === total ? green('done') : passed === 0 && run.every((e) => e.state === 'not started') ? dim('not started') : red('in progress');
    lines.push(`${bold(label)}  ${passed} of ${total} tests pass  ${summary}`);
    if (!expanded) continue;
    for (const exercise of run) {
      const id = exercise.number ? exercise.id.padEnd(5) : '  ·  ';
      const title = truncate(exercise.title, 58).padEnd(58);
      const count = `${exercise.passed}/${exercise.passed + exercise.failed}`.padStart(7);
      const marker = exercise === next ? (focused ? '  <- here' : '  <- next') : '';
      lines.push(`  ${id} ${title}${count}  ${STATE_LABEL[exercise.state](exercise.state)}${marker}`);
    }
  }
  for (const { file, error } of loadErrors) {
    lines.push('', red(`${bold('Cannot run')} ${file}: it failed to load, so none of its tests ran.`), ...indent(messageLines(error.message), '  '));
    const where = firstFrame(error.stack, root);
    if (where) lines.push(`  at ${where}`);
  }
  for (const error of unhandled) {
    lines.push('', red(bold('An error escaped the tests:')), ...indent(messageLines(`${error.name ?? 'Error'}: ${error.message}`), '  '));
  }
  if (next) lines.push('', ...renderNext(next, root));
  const totals = records.filter((r) => r.state !== 'skipped');
  const passed = totals.filter((r) => r.state === 'passed').length;
  const skipped = records.length - totals.length;
  lines.push('');
  lines.push(
    `${totals.length} tests: ${green(`${passed} passed`)}, ${totals.length - passed > 0 ? red(`${totals.length - passed} failed`) : '0 failed'}` +
      (skipped > 0 ? dim(`, ${skipped} not run (filtered out or skipped)`) : ''),
  );
  if (totals.length - passed > 0 || loadErrors.length > 0) {
    lines.push(dim('Every failure in full: add --reporter=default to the same command.'));
  }
  return lines;
}

function renderNext(exercise: Exercise, root: string): string[] {
  const heading = exercise.number ? `exercise ${exercise.id}: ${exercise.title}` : exercise.title;
  const test = exercise.tests.find((t) => t.state === 'failed');
  if (test === undefined) return [bold(`Exercise ${heading.replace(/^exercise /, '')}`) + green(`  done: all ${exercise.passed} tests pass`)];
  const chapterDir = chapterOf(test.file);
  const lines = [bold(`Next: ${heading}`) + dim(`  (${exercise.passed} of ${exercise.passed + exercise.failed} tests pass)`)];
  lines.push(`  test: ${test.file}`, `        ${[...test.suite.slice(1), test.name].join(' > ')}`);
  const stub = stubOf(test.error);
  if (stub) {
    // A wrapper (an end-to-end test meeting another chapter's stub) says why first.
    const message = test.error?.message ?? '';
    if (!message.startsWith('Exercise ')) lines.push(yellow(`  ${message.split('\n')[0]!}`));
    lines.push(`  edit: ${stub.edit}`, `  read: ${stub.read}`, yellow(`  Exercise ${stub.exercise} is not written yet: its stub throws NotImplementedError.`));
    lines.push(dim(`  Run just this file: npm test -- ${test.file}`));
    return lines;
  }
  const message = test.error?.message ?? '(no message)';
  const section = /\[notes: "([^"]+)"\]/.exec(message)?.[1];
  const files = filesUnderTest(test.file, root);
  if (files.length > 0) lines.push(`  edit: ${files.join(', ')}`);
  const crashed = firstFrame(test.error?.stack, root, /(^|\/)chapters\//);
  if (crashed) lines.push(`  threw at: ${crashed}`);
  if (section && chapterDir !== 'project') lines.push(`  read: chapters/${chapterDir}/README.md, section "${section}"`);
  lines.push('', ...indent(messageLines(`${test.error?.name && !message.startsWith(test.error.name) ? `${test.error.name}: ` : ''}${message}`), '  '));
  if (test.error?.diff) lines.push('', ...indent(messageLines(test.error.diff), '  '));
  const at = firstFrame(test.error?.stack, root, /(^|\/)tests\//);
  if (at) lines.push('', dim(`  failed at ${at}`));
  lines.push(dim(`  Run just this file: npm test -- ${test.file}`));
  return lines;
}

const ANSI = new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g');

function messageLines(text: string): string[] {
  const plain = useColour ? text : text.replace(ANSI, '');
  const lines = plain.replace(/\s+$/, '').split('\n');
  if (lines.length <= MESSAGE_LINES) return lines;
  return [...lines.slice(0, MESSAGE_LINES), dim(`… ${lines.length - MESSAGE_LINES} more lines (add --reporter=default to see them)`)];
}

/** The first stack frame inside the repository (and matching `only`, if given), as path:line. */
function firstFrame(stack: string | undefined, root: string, only?: RegExp): string | undefined {
  if (stack === undefined) return undefined;
  const rootSlash = root.replace(/\\/g, '/').replace(/\/$/, '');
  for (const line of stack.split('\n')) {
    const match = /\(?((?:[A-Za-z]:)?[^\s()]+?):(\d+):\d+\)?\s*$/.exec(line.trim().replace(/\\/g, '/'));
    if (!match) continue;
    let file = match[1]!.replace(/^file:\/\//, '');
    if (!file.startsWith(rootSlash + '/')) continue;
    file = file.slice(rootSlash.length + 1);
    if (file.includes('node_modules/')) continue;
    if (only && !only.test(file)) continue;
    return `${file}:${match[2]}`;
  }
  return undefined;
}

function indent(lines: readonly string[], prefix: string): string[] {
  return lines.map((l) => (l === '' ? l : prefix + l));
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
