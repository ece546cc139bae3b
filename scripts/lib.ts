/**
 * Helpers for the project's scripts. They spawn tools with the current Node binary and the
 * tools' JavaScript entry points (never through a shell), so every script works the same on
 * Linux, macOS and Windows.
 */

import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

export const tools = {
  vitest: join(root, 'node_modules', 'vitest', 'vitest.mjs'),
  tsc: join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
  typedoc: join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'),
  markdownlint: join(root, 'node_modules', 'markdownlint-cli', 'markdownlint.js'),
  tsx: join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
  eslint: join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'),
} as const;

/**
 * The vitest flags of `verify`'s check:isolation run: a fresh worker thread per test file, so no
 * module state carries from one file to the next whatever the configuration says
 * (`tests/scripts/isolation.test.ts` proves it).
 */
export const isolationFlags = ['--isolate', '--pool=threads'] as const;

export interface RunOptions {
  readonly env?: Record<string, string>;
  /** Capture output instead of streaming it. */
  readonly quiet?: boolean;
}

/** Runs a Node entry point with arguments; returns its exit status and captured output. */
export function runNode(entry: string, args: readonly string[], options: RunOptions = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [entry, ...args], {
    cwd: root,
    env: { ...process.env, ...options.env },
    stdio: options.quiet ? 'pipe' : 'inherit',
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** {@link runNode} without blocking, output captured: lets independent steps share the CPU. */
export function runNodeAsync(
  entry: string,
  args: readonly string[],
  options: { readonly env?: Record<string, string> } = {},
): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, ...args], { cwd: root, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ status: code ?? 1, output }));
  });
}

/** Chapter folders under `tests/`, e.g. `chapter01-data-models`, in order. */
export function testChapters(): string[] {
  const dir = join(root, 'tests');
  return readdirSync(dir)
    .filter((name) => /^chapter\d\d-/.test(name))
    .sort();
}

/** Chapter folders under `solutions/`. */
export function solutionChapters(): string[] {
  const dir = join(root, 'solutions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /^chapter\d\d-/.test(name))
    .sort();
}

/** What we read from vitest's JSON report. */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** Full names of the tests that passed. */
  passedNames: string[];
  /** Full names of the tests that failed. */
  failedNames: string[];
}

/** One vitest run: counts per test file, and the files that failed to load at all. */
export interface VitestRun {
  readonly status: number;
  readonly files: Map<string, TestCounts>;
  /** Test files that failed to load (a syntax error, a failed import), with vitest's message. */
  readonly loadErrors: Map<string, string>;
  readonly output: string;
}

interface VitestJson {
  testResults: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults: Array<{ status: string; fullName: string }>;
  }>;
}

/** Reads vitest's JSON report: counts per test file, keyed by repository-relative path. */
function readReport(reportFile: string): { files: Map<string, TestCounts>; loadErrors: Map<string, string> } {
  const files = new Map<string, TestCounts>();
  const loadErrors = new Map<string, string>();
  if (!existsSync(reportFile)) return { files, loadErrors };
  const json = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestJson;
  const rootSlash = root.replace(/\\/g, '/');
  for (const file of json.testResults) {
    let name = file.name.replace(/\\/g, '/');
    if (name.startsWith(rootSlash)) name = name.slice(rootSlash.length).replace(/^\//, '');
    const counts: TestCounts = { passed: 0, failed: 0, skipped: 0, passedNames: [], failedNames: [] };
    for (const t of file.assertionResults) {
      if (t.status === 'passed') {
        counts.passed++;
        counts.passedNames.push(t.fullName);
      } else if (t.status === 'failed') {
        counts.failed++;
        counts.failedNames.push(t.fullName);
      } else counts.skipped++;
    }
    // A file that failed to load has no test results: count it as one failure, and say so.
    if (file.assertionResults.length === 0 && file.status === 'failed') {
      counts.failed = 1;
      counts.failedNames.push('(the file failed to load)');
      loadErrors.set(name, file.message ?? '');
    }
    files.set(name, counts);
  }
  return { files, loadErrors };
}

function reportPath(report: string): string {
  mkdirSync(join(root, '.vitest-results'), { recursive: true });
  const file = join(root, '.vitest-results', `${report}.json`);
  rmSync(file, { force: true });
  return file;
}

/** The JSON report always; the human-readable one only where someone may read the output. */
const reporterArgs = (file: string, human = true) => [
  ...(human ? ['--reporter=default'] : []),
  '--reporter=json',
  `--outputFile.json=${file}`,
];

/**
 * Runs vitest once with a JSON report and returns the counts per test file, keyed by the file's
 * path relative to the repository root (with forward slashes). A file that failed to load counts
 * as one failed test.
 */
export function runVitest(args: readonly string[], options: RunOptions & { readonly report: string }): VitestRun {
  const reportFile = reportPath(options.report);
  const result = runNode(tools.vitest, ['run', ...args, ...reporterArgs(reportFile)], options);
  return { status: result.status ?? 1, ...readReport(reportFile), output: (result.stdout ?? '') + (result.stderr ?? '') };
}

/** {@link runVitest} without blocking, output always captured: lets several runs share the CPU. */
export async function runVitestAsync(
  args: readonly string[],
  options: { readonly env?: Record<string, string>; readonly report: string; readonly human?: boolean },
): Promise<VitestRun> {
  const reportFile = reportPath(options.report);
  const { status, output } = await runNodeAsync(tools.vitest, ['run', ...args, ...reporterArgs(reportFile, options.human ?? false)], options);
  return { status, ...readReport(reportFile), output };
}

/** Sums counts over files whose path passes `filter`. */
export function total(files: Map<string, TestCounts>, filter: (file: string) => boolean = () => true): TestCounts {
  const sum: TestCounts = { passed: 0, failed: 0, skipped: 0, passedNames: [], failedNames: [] };
  for (const [file, c] of files) {
    if (!filter(file)) continue;
    sum.passed += c.passed;
    sum.passedNames.push(...c.passedNames.map((n) => `${file} > ${n}`));
    sum.failedNames.push(...c.failedNames.map((n) => `${file} > ${n}`));
    sum.failed += c.failed;
    sum.skipped += c.skipped;
  }
  return sum;
}
