/**
 * `npm run check:mutants [-- chapterNN]`: the tests must catch every known-buggy version.
 *
 * For each mutant listed in `tests/chapterNN-topic/mutants.ts`, copies `solutions/` to a work
 * folder, applies the mutant's text replacement, runs that chapter's tests against the copy, and
 * expects at least one failure. Work folders (`.mutant-work-N/`) sit at the same depth as
 * `solutions/`, so the copy's relative imports of `shared/` still resolve to the one real
 * `shared/` folder. Mutants run a few at a time, one work folder each.
 */

import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Mutant } from '../shared/testing/mutant.js';
import { root, runVitestAsync, testChapters, total } from './lib.js';

const filter = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const jobs: Array<{ chapter: string; mutant: Mutant }> = [];
for (const chapter of testChapters()) {
  if (filter.length > 0 && !filter.some((f) => chapter.includes(f))) continue;
  const list = join(root, 'tests', chapter, 'mutants.ts');
  if (!existsSync(list)) continue;
  const { mutants } = (await import(pathToFileURL(list).href)) as { mutants: readonly Mutant[] };
  for (const mutant of mutants) jobs.push({ chapter, mutant });
}

let caught = 0;
const problems: string[] = [];

async function runOne(slot: number, chapter: string, mutant: Mutant): Promise<void> {
  const work = join(root, `.mutant-work-${slot}`);
  rmSync(work, { recursive: true, force: true });
  cpSync(join(root, 'solutions'), work, { recursive: true });
  const target = join(work, mutant.file);
  const source = existsSync(target) ? readFileSync(target, 'utf8') : '';
  const hits = source.split(mutant.find).length - 1;
  if (hits !== 1) {
    problems.push(`${chapter}/${mutant.name}: its text occurs ${hits} times in solutions/${mutant.file}; it must occur exactly once. Update tests/${chapter}/mutants.ts.`);
    return;
  }
  writeFileSync(target, source.replace(mutant.find, mutant.replace));
  const targets = (mutant.tests ?? ['']).map((t) => `tests/${chapter}/${t}`);
  const { files } = await runVitestAsync(targets, { report: `mutant-${slot}`, env: { DDIA_IMPL_ROOT: work } });
  const counts = total(files);
  if (counts.failed > 0) {
    caught++;
    console.log(`  caught   ${chapter}/${mutant.name}: ${counts.failed} failing test(s)`);
  } else {
    problems.push(`${chapter}/${mutant.name} ESCAPED: ${mutant.description}. No test failed; add one that does.`);
  }
}

const slots = Math.max(1, Math.min(3, availableParallelism()));
let next = 0;
await Promise.all(
  Array.from({ length: slots }, async (_, slot) => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      await runOne(slot, job.chapter, job.mutant);
    }
    rmSync(join(root, `.mutant-work-${slot}`), { recursive: true, force: true });
  }),
);

for (const p of problems) console.error(`  ${p}`);
console.log(`check:mutants: ${caught} caught, ${problems.length} not caught or stale`);
if (problems.length > 0) process.exit(1);
