/**
 * `npm run verify`: everything CI checks, in one command.
 *
 * Runs every step even after one fails, so one run shows every problem, then prints a summary
 * and, as its last line, "N passed, N failed": the test totals against `solutions/`.
 */

import { performance } from 'node:perf_hooks';
import { runNode, runVitest, tools, total } from './lib.js';

interface Step {
  readonly name: string;
  readonly run: () => boolean;
}

let solutionCounts = { passed: 0, failed: 0 };

const script = (file: string) => () => runNode(tools.tsx, [file]).status === 0;

const steps: Step[] = [
  { name: 'typecheck', run: () => runNode(tools.tsc, ['-p', 'tsconfig.json']).status === 0 },
  { name: 'lint:md', run: () => runNode(tools.markdownlint, ['**/*.md']).status === 0 },
  { name: 'docs', run: () => runNode(tools.typedoc, ['--logLevel', 'Warn']).status === 0 },
  { name: 'check:api', run: script('scripts/check-api.ts') },
  { name: 'lint', run: () => runNode(tools.eslint, ['.']).status === 0 },
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
    // The tests of the scripts (tests/scripts/) only start processes and are left out.
    name: 'check:isolation',
    run: () => {
      const { status, files } = runVitest(['--mode', 'solutions', '--isolate', 'tests/chapter', 'tests/shared/'], { quiet: true, report: 'isolation' });
      const counts = total(files);
      if (counts.failed > 0) console.error(`check:isolation: ${counts.failed} test(s) fail when every file runs alone`);
      return status === 0 && counts.failed === 0 && counts.passed > 0;
    },
  },
  { name: 'check:starters', run: script('scripts/check-starters.ts') },
  { name: 'check:mutants', run: script('scripts/check-mutants.ts') },
];

const results: Array<{ name: string; ok: boolean; seconds: number }> = [];
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
