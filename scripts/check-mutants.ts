/**
 * `npm run check:mutants [-- chapterNN]`: the tests must catch every known-buggy version.
 *
 * For each mutant listed in `tests/chapterNN-topic/mutants.ts`, copies `solutions/` to
 * `.mutant-work/`, applies the mutant's text replacement, runs that chapter's tests against the
 * copy, and expects at least one failure. `.mutant-work/` sits at the same depth as `solutions/`,
 * so the copy's relative imports of `shared/` still resolve to the one real `shared/` folder.
 */

import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Mutant } from '../shared/testing/mutant.js';
import { root, runVitest, testChapters, total } from './lib.js';

const filter = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const work = join(root, '.mutant-work');
let caught = 0;
let escaped = 0;

for (const chapter of testChapters()) {
  if (filter.length > 0 && !filter.some((f) => chapter.includes(f))) continue;
  const list = join(root, 'tests', chapter, 'mutants.ts');
  if (!existsSync(list)) continue;
  const { mutants } = (await import(pathToFileURL(list).href)) as { mutants: readonly Mutant[] };
  for (const mutant of mutants) {
    rmSync(work, { recursive: true, force: true });
    cpSync(join(root, 'solutions'), work, { recursive: true });
    const target = join(work, mutant.file);
    const source = readFileSync(target, 'utf8');
    const hits = source.split(mutant.find).length - 1;
    if (hits !== 1) {
      console.error(`mutant ${mutant.name}: its text occurs ${hits} times in solutions/${mutant.file}; it must occur once. Update tests/${chapter}/mutants.ts.`);
      escaped++;
      continue;
    }
    writeFileSync(target, source.replace(mutant.find, mutant.replace));
    const targets = (mutant.tests ?? ['']).map((t) => `tests/${chapter}/${t}`);
    const { files } = runVitest(targets, { quiet: true, report: 'mutant', env: { DDIA_IMPL_ROOT: work } });
    const counts = total(files);
    if (counts.failed > 0) {
      caught++;
      console.log(`  caught   ${chapter}/${mutant.name}: ${counts.failed} failing test(s)`);
    } else {
      escaped++;
      console.error(`  ESCAPED  ${chapter}/${mutant.name}: ${mutant.description}. No test failed; add one that does.`);
    }
  }
}
rmSync(work, { recursive: true, force: true });
console.log(`check:mutants: ${caught} caught, ${escaped} escaped`);
if (escaped > 0) process.exit(1);
