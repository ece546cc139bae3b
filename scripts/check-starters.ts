/**
 * `npm run check:starters`: every chapter test must fail against the untouched starters.
 *
 * A test that a stub passes asserts nothing, so this runs all of `tests/chapterNN-*` against
 * `chapters/` and fails if any test passes. Tests under `tests/shared/` test the shared bench
 * itself, which has no starter, and are not run here.
 */

import { runVitest, testChapters, total } from './lib.js';

const chapters = testChapters();
if (chapters.length === 0) {
  console.log('check:starters: no chapter tests yet');
  process.exit(0);
}

const { files } = runVitest(
  chapters.map((c) => `tests/${c}/`),
  { quiet: true, report: 'starters' },
);

let ok = true;
console.log('Chapter tests against the untouched starters (every one must fail):');
for (const chapter of chapters) {
  const counts = total(files, (f) => f.startsWith(`tests/${chapter}/`));
  const verdict = counts.passed === 0 && counts.failed > 0 ? 'ok' : 'PROBLEM';
  if (verdict !== 'ok') ok = false;
  console.log(`  ${chapter.padEnd(32)} ${String(counts.failed).padStart(4)} failing, ${counts.passed} passing  ${verdict}`);
  for (const name of counts.passedNames) console.log(`      passes on the starter: ${name}`);
  if (counts.failed + counts.passed === 0) console.log('      no tests ran for this chapter');
}
if (!ok) {
  console.error('check:starters failed: a test that passes on a stub asserts nothing. Make it depend on the exercise.');
  process.exit(1);
}
console.log('check:starters: ok');
