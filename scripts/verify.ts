/**
 * `npm run verify`: everything CI checks, in one command.
 *
 * Runs every step even after one fails, so one run shows every problem, then prints a summary
 * and, as its last line, "N passed, N failed": the test totals against `solutions/` (the
 * chapters', the shared code's and the scripts' tests).
 */

import { performance } from 'node:perf_hooks';
import { isolationFlags, runNodeAsync, runVitestAsync, tools, total, type TestCounts } from './lib.js';

/** A step: runs without blocking, its output captured and printed when it ends. */
interface Step {
  readonly name: string;
  readonly run: () => Promise<{ ok: boolean; output: string }>;
}

let solutionCounts = { passed: 0, failed: 0 };

const tool = (entry: string, args: readonly string[]) => async () => {
  const { status, output } = await runNodeAsync(entry, args);
  return { ok: status === 0, output };
};
const script = (file: string) => tool(tools.tsx, [file]);

// The static checks are single-threaded and independent: they run at the same time.
const quick: Step[] = [
  { name: 'typecheck', run: tool(tools.tsc, ['-p', 'tsconfig.json']) },
  { name: 'lint:md', run: tool(tools.markdownlint, ['**/*.md']) },
  { name: 'docs', run: tool(tools.typedoc, ['--logLevel', 'Warn', '--skipErrorChecking']) }, // typecheck reports type errors
  { name: 'check:api', run: script('scripts/check-api.ts') },
  { name: 'lint', run: tool(tools.eslint, ['.']) },
];

/** The totals of the test runs against `solutions/`, summed over the runs that count them. */
function countSolutions(files: Map<string, TestCounts>): TestCounts {
  const counts = total(files);
  solutionCounts = { passed: solutionCounts.passed + counts.passed, failed: solutionCounts.failed + counts.failed };
  return counts;
}

/** One run against `solutions/` whose tests count in the closing line. */
const solutionRun = (name: string, paths: readonly string[]): Step => ({
  name,
  run: async () => {
    const { status, files, output } = await runVitestAsync(['--mode', 'solutions', ...paths], { report: name.replace(':', '-'), human: true });
    const counts = countSolutions(files);
    return { ok: status === 0 && counts.failed === 0 && counts.passed > 0, output };
  },
});

const tests: Step[] = [
  solutionRun('test:solutions', ['--exclude', 'tests/scripts/**']),
  {
    // The suite runs without per-file isolation for speed (vitest.config.ts). This run isolates
    // every file, so a test that passes only thanks to another file's module state fails here.
    // The tests of the scripts (tests/scripts/) only start processes and are left out. Threads:
    // a fresh one per file isolates as well as a process does, and starts faster.
    name: 'check:isolation',
    run: async () => {
      const { status, files } = await runVitestAsync(['--mode', 'solutions', ...isolationFlags, 'tests/chapter', 'tests/shared/'], { report: 'isolation' });
      const counts = total(files);
      const ok = status === 0 && counts.failed === 0 && counts.passed > 0;
      const failures = counts.failedNames.map((n) => `  fails alone: ${n}`).join('\n');
      return { ok, output: ok ? `${counts.passed} tests pass with every file isolated` : `check:isolation: ${counts.failed} test(s) fail when every file runs alone\n${failures}` };
    },
  },
  { name: 'check:starters', run: script('scripts/check-starters.ts') },
];

const results: Array<{ name: string; ok: boolean; seconds: number }> = [];
const started = performance.now();

async function run(step: Step): Promise<void> {
  const stepStarted = performance.now();
  const { ok, output } = await step.run();
  console.log(`\n=== ${step.name} ===`);
  if (output.trim() !== '') console.log(output.trimEnd());
  results.push({ name: step.name, ok, seconds: (performance.now() - stepStarted) / 1000 });
}

// The tests of the scripts mostly wait for the processes they start: they run beside the rest.
// Those processes share two cores with every other step, so a test may wait minutes, not the
// twenty seconds that bound a chapter's test (vitest.config.ts): a slow child is load, not a bug.
const scriptTests = solutionRun('test:scripts', ['--testTimeout', '180000', '--hookTimeout', '180000', 'tests/scripts/']);
const mutants: Step = { name: 'check:mutants', run: script('scripts/check-mutants.ts') };

// Three lanes share the machine: the mutants (the longest step, parallel inside); the tests of
// the scripts; and the static checks side by side, then the other test runs one after another.
// Each step prints its output when it ends, so outputs never interleave.
await Promise.all([
  run(mutants),
  run(scriptTests),
  (async () => {
    await Promise.all(quick.map(run));
    for (const step of tests) await run(step);
  })(),
]);

const order = [...quick, ...tests, scriptTests, mutants].map((s) => s.name);
results.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
console.log('\n=== verify summary ===');
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(18)} ${r.seconds.toFixed(1)} s`);
console.log(`  total ${((performance.now() - started) / 1000).toFixed(1)} s`);
const failedSteps = results.filter((r) => !r.ok).map((r) => r.name);
if (failedSteps.length > 0) console.log(`verify failed: ${failedSteps.join(', ')}`);
else console.log('verify: all checks passed');
console.log(`${solutionCounts.passed} passed, ${solutionCounts.failed} failed`);
process.exit(failedSteps.length > 0 ? 1 : 0);
