/**
 * `npm run verify` in a student's handout (`npm run export:student` copies this file there as
 * `scripts/verify.ts`): what a student can check without the solutions.
 *
 * - typecheck: the tests and the starters typecheck together (`@impl` maps to `chapters/`);
 * - lint: ESLint over the code, markdownlint over the notes;
 * - tests: every chapter's tests run against `chapters/`. They fail until the exercises are
 *   solved, so failing tests are progress, not a problem; what fails this step is a test file
 *   that cannot load (a syntax error, a missing export) or a run in which no test ran.
 *
 * Its last line is "N passed, N failed" over the chapter tests, like the teacher's verify.
 */

import { runNode, runVitest, testChapters, tools, total } from './lib.js';

let counts = { passed: 0, failed: 0 };

const steps: Array<{ name: string; run: () => boolean }> = [
  { name: 'typecheck', run: () => runNode(tools.tsc, ['-p', 'tsconfig.json']).status === 0 },
  { name: 'lint', run: () => runNode(tools.eslint, ['.']).status === 0 },
  { name: 'lint:md', run: () => runNode(tools.markdownlint, ['**/*.md']).status === 0 },
  {
    name: 'tests load and run',
    run: () => {
      const { files, loadErrors } = runVitest(
        testChapters().map((c) => `tests/${c}/`),
        { quiet: true, report: 'verify' },
      );
      const sum = total(files);
      counts = { passed: sum.passed, failed: sum.failed };
      for (const [file, message] of loadErrors) console.error(`  cannot load ${file}: ${message.split('\n')[0]}`);
      console.log(`  ${sum.passed} of ${sum.passed + sum.failed} chapter tests pass on your code; the rest fail until you solve their exercises.`);
      return loadErrors.size === 0 && sum.passed + sum.failed > 0;
    },
  },
];

const failed: string[] = [];
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`);
  if (!step.run()) failed.push(step.name);
}
console.log('\n=== verify summary ===');
for (const step of steps) console.log(`  ${failed.includes(step.name) ? 'FAIL' : 'ok  '}  ${step.name}`);
console.log(failed.length > 0 ? `verify failed: ${failed.join(', ')}` : 'verify: your copy is ready (failing tests are the exercises still to do)');
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(failed.length > 0 ? 1 : 0);
