/**
 * `npm run verify`: everything CI checks, in one command.
 *
 * Runs every step even after one fails, so one run shows every problem, then prints a summary
 * and, as its last line, "N passed, N failed": the test totals against `solutions/`.
 */

import { performance } from 'node:perf_hooks';
import { runNode, runNodeAsync, runVitest, tools, total } from './lib.js';

interface Step {
  readonly name: string;
  readonly run: () => boolean;
}

/** A step that runs one tool on its own, so it can run beside the other quick checks. */
interface QuickStep {
  readonly name: string;
  readonly entry: string;
  readonly args: readonly string[];
}

let solutionCounts = { passed: 0, failed: 0 };

const script = (file: string) => () => runNode(tools.tsx, [file]).status === 0;

// The static checks are single-threaded and independent: they run at the same time, and each
// one's output is printed when it ends.
const quick: QuickStep[] = [
  { name: 'typecheck', entry: tools.tsc, args: ['-p', 'tsconfig.json'] },
  { name: 'lint:md', entry: tools.markdownlint, args: ['**/*.md'] },
  { name: 'docs', entry: tools.typedoc, args: ['--logLevel', 'Warn'] },
  { name: 'check:api', entry: tools.tsx, args: ['scripts/check-api.ts'] },
  { name: 'lint', entry: tools.eslint, args: ['.'] },
];

const steps: Step[] = [
  {
    name: 'test:solutions',
    run: () => {
      const { status, files } = runVitest(['--mode', 'solutions'], { report: 'solutions' });
      const counts = total(files);
      solutionCounts = { passed: counts.passed, failed: counts.failed };
      return status === 0 && counts.failed === 0 && counts.passed > 0;
    },
  },
  {
    // The suite runs without per-file isolation for speed (vitest.config.ts). This run isolates
    // every file, so a test that passes only thanks to another file's module state fails here.
    // The tests of the scripts (tests/scripts/) only start processes and are left out. Threads:
    // a fresh one per file isolates as well as a process does, and starts faster.
    name: 'check:isolation',
    run: () => {
      const { status, files } = runVitest(['--mode', 'solutions', '--isolate', '--pool=threads', 'tests/chapter', 'tests/shared/'], { quiet: true, report: 'isolation' });
      const counts = total(files);
      if (counts.failed > 0) console.error(`check:isolation: ${counts.failed} test(s) fail when every file runs alone`);
      return status === 0 && counts.failed === 0 && counts.passed > 0;
    },
  },
  { name: 'check:starters', run: script('scripts/check-starters.ts') },
  { name: 'check:mutants', run: script('scripts/check-mutants.ts') },
];

const results: Array<{ name: string; ok: boolean; seconds: number }> = [];
const quickStarted = performance.now();
await Promise.all(
  quick.map(async (step) => {
    const { status, output } = await runNodeAsync(step.entry, step.args);
    console.log(`\n=== ${step.name} ===`);
    if (output.trim() !== '') console.log(output.trimEnd());
    results.push({ name: step.name, ok: status === 0, seconds: (performance.now() - quickStarted) / 1000 });
  }),
);
results.sort((a, b) => quick.findIndex((q) => q.name === a.name) - quick.findIndex((q) => q.name === b.name));
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`);
  const started = performance.now();
  const ok = step.run();
  results.push({ name: step.name, ok, seconds: (performance.now() - started) / 1000 });
}

console.log('\n=== verify summary ===');
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(18)} ${r.seconds.toFixed(1)} s`);
const failedSteps = results.filter((r) => !r.ok).map((r) => r.name);
if (failedSteps.length > 0) console.log(`verify failed: ${failedSteps.join(', ')}`);
else console.log('verify: all checks passed');
console.log(`${solutionCounts.passed} passed, ${solutionCounts.failed} failed`);
process.exit(failedSteps.length > 0 ? 1 : 0);
