/**
 * `npm run check:mutants [-- chapterNN] [--list <file>]`: the tests must catch every known-buggy
 * version of a solution, and pass every correct variant of one.
 *
 * - Mutants (`tests/chapterNN-topic/mutants.ts`): each must make at least one test run and fail.
 *   A mutant whose text does not match exactly once is "stale"; one whose replacement does not
 *   typecheck, or makes a test file fail to load, is "broken". Either fails the check: neither
 *   proves anything about the tests.
 * - Variants (`tests/chapterNN-topic/variants.ts`): correct code unlike the reference. Each must
 *   pass every test it runs; a test that fails a correct variant is a defect too.
 *
 * Each job copies nothing but the files it changes: a slot keeps copies of `solutions/`
 * (`.mutant-work-<pid>-<slot>-<n>/`, at the same depth as `solutions/`, so relative imports of
 * `shared/` still resolve), writes the edited files into them, runs the tests, and puts the
 * originals back. Mutants run in batches, several to a vitest run (see `runBatch`).
 * `--list <file>` checks one mutants or variants file instead of the chapters' own (the tests of
 * the scripts use it with fixtures).
 */

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { Edit, Mutant, Variant } from '../shared/testing/mutant.js';
import { root, runNodeAsync, runVitestAsync, testChapters, tools, type TestCounts } from './lib.js';
import type { BatchProject } from './mutant-batch/vitest.config.js';
import type { BatchFileResult } from './mutant-batch/reporter.js';
import {
  applyEdits,
  ImportGraph,
  judgeMutant,
  judgeVariant,
  mutantEdits,
  MutantTypechecker,
  type MutantVerdict,
  type VariantVerdict,
  solutionReader,
} from './mutants-lib.js';

interface Job {
  readonly kind: 'mutant' | 'variant';
  readonly chapter: string;
  readonly name: string;
  readonly description: string;
  readonly edits: readonly Edit[];
  readonly tests: readonly string[];
}

const args = process.argv.slice(2);
const listIndex = args.indexOf('--list');
const listFile = listIndex >= 0 ? args[listIndex + 1] : undefined;
const filter = args.filter((a, i) => !a.startsWith('-') && !(listIndex >= 0 && i === listIndex + 1));

const graph = new ImportGraph(join(root, 'solutions'), (path) => {
  try {
    return statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
});

/** The chapter's test files, relative to its test folder. */
function testFilesOf(chapter: string): string[] {
  const dir = join(root, 'tests', chapter);
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => f.replace(/\\/g, '/'))
    .filter((f) => f.endsWith('.test.ts'))
    .sort();
}

/**
 * The test files a mutant or variant runs when it names none: those of its chapter that load a
 * file it changes (a test that never loads the file cannot see the change), or all of them when
 * none does. The graph follows imports, literal dynamic imports and worker entry points named by
 * `new URL(…, import.meta.url)`; a test that loads solution code some other way (a computed
 * path) must list its tests in the mutant.
 */
function testsLoading(chapter: string, files: readonly string[]): readonly string[] {
  const targets = files.map((file) => resolve(root, 'solutions', file));
  const selected = testFilesOf(chapter).filter((t) => {
    const loaded = graph.closure(join(root, 'tests', chapter, t));
    return targets.some((target) => loaded.has(target));
  });
  return selected.length > 0 ? selected : [''];
}

/** The jobs of one list; `chapterOf` names the chapter whose tests judge each edit. */
async function jobsFrom(file: string, chapterOf: (edits: readonly Edit[]) => string): Promise<Job[]> {
  const module = (await import(pathToFileURL(file).href)) as {
    mutants?: readonly Mutant[];
    variants?: readonly Variant[];
  };
  const jobs: Job[] = [];
  for (const m of module.mutants ?? []) {
    const chapter = chapterOf(mutantEdits(m));
    jobs.push({ kind: 'mutant', chapter, name: m.name, description: m.description, edits: mutantEdits(m), tests: m.tests ?? testsLoading(chapter, [m.file]) });
  }
  for (const v of module.variants ?? []) {
    const chapter = chapterOf(v.edits);
    jobs.push({ kind: 'variant', chapter, name: v.name, description: v.description, edits: v.edits, tests: v.tests ?? testsLoading(chapter, v.edits.map((e) => e.file)) });
  }
  return jobs;
}

const jobs: Job[] = [];
if (listFile !== undefined) {
  // A fixture list names its chapter by the files it edits.
  const path = resolve(root, listFile);
  jobs.push(...(await jobsFrom(path, (edits) => edits[0]?.file.split('/')[0] ?? '')));
} else {
  for (const chapter of testChapters()) {
    if (filter.length > 0 && !filter.some((f) => chapter.includes(f))) continue;
    for (const list of ['mutants.ts', 'variants.ts']) {
      const path = join(root, 'tests', chapter, list);
      if (existsSync(path)) jobs.push(...(await jobsFrom(path, () => chapter)));
    }
  }
}

/** Names this run's work folders and reports, so that two runs at once never share one (verify runs this script's own tests beside it). */
const runId = process.pid;

const started = performance.now();
const problems: string[] = [];
let caught = 0;
let passing = 0;
const label = (job: Job) => `${job.kind} ${job.chapter}/${job.name}`;

// Stale and broken edits are caught before their tests run: each job is applied and typechecked
// when a slot takes it, so the typechecking overlaps with the other slots' test runs.
const read = solutionReader(root);
const typechecker = new MutantTypechecker(root);

/** The job's changed files, or undefined (with the problem recorded) when it is stale or broken. */
function prepare(job: Job): ReadonlyMap<string, string> | undefined {
  const applied = applyEdits(job.edits, read);
  if (!applied.ok) {
    problems.push(`STALE    ${label(job)}: ${applied.problem}. Update tests/${job.chapter}/${job.kind}s.ts.`);
    return undefined;
  }
  const typeErrors = typechecker.check(applied.files);
  if (typeErrors.length > 0) {
    problems.push(`BROKEN   ${label(job)}: it does not typecheck (${typeErrors[0]}). Mutants and variants must compile.`);
    return undefined;
  }
  return applied.files;
}

/** A mutant's verdict, counted and printed, or recorded as a problem. */
function recordMutant(job: Job, verdict: MutantVerdict): void {
  if (verdict.kind === 'caught') {
    caught++;
    console.log(`  caught   ${job.chapter}/${job.name}: ${verdict.failing} failing test(s), first ${verdict.firstFailingTest}`);
  } else if (verdict.kind === 'escaped') {
    problems.push(`ESCAPED  ${label(job)}: ${job.description}. No test failed; add one that does.`);
  } else {
    problems.push(`BROKEN   ${label(job)}: ${verdict.why}. A mutant must load and run; fix its replacement.`);
  }
}

/** A variant's verdict, counted and printed, or recorded as a problem. */
function recordVariant(job: Job, verdict: VariantVerdict): void {
  if (verdict.kind === 'passes') {
    passing++;
    console.log(`  passes   ${job.chapter}/${job.name} (variant): ${verdict.passed} tests`);
  } else if (verdict.kind === 'fails') {
    const shown = verdict.failingTests.slice(0, 5).map((t) => `\n             fails: ${t}`).join('');
    problems.push(`FAILS    ${label(job)}: ${job.description}. A correct variant failed ${verdict.failingTests.length} test(s); such a test is a defect:${shown}`);
  } else {
    problems.push(`BROKEN   ${label(job)}: ${verdict.why}.`);
  }
}

/** Writes a job's files into a work folder; returns a function that puts the originals back. */
function install(work: string, files: ReadonlyMap<string, string>): () => void {
  const originals = new Map<string, string>();
  for (const [file, text] of files) {
    const target = join(work, file);
    originals.set(target, readFileSync(target, 'utf8'));
    writeFileSync(target, text);
  }
  return () => {
    for (const [target, text] of originals) writeFileSync(target, text);
  };
}

const targetsOf = (job: Job) => job.tests.map((t) => `tests/${job.chapter}/${t}`);

/** One job in a vitest run of its own. */
async function runOne(work: string, slot: number, job: Job, files: ReadonlyMap<string, string>): Promise<void> {
  const restore = install(work, files);
  try {
    // A mutant needs one failing test: the run stops at the first (`--bail`). A variant must pass
    // every test, so it runs them all. Worker threads start faster than the processes that
    // learners' runs use; code that runs away takes the whole run down, which reports the job
    // as broken, never as caught or passing.
    const flags = job.kind === 'mutant' ? ['--bail=1', '--pool=threads'] : ['--pool=threads'];
    const report = await runVitestAsync([...flags, ...targetsOf(job)], { report: `mutant-${runId}-${slot}`, env: { DDIA_IMPL_ROOT: work } });
    if (job.kind === 'mutant') {
      recordMutant(job, judgeMutant(report));
    } else {
      recordVariant(job, judgeVariant(report));
    }
  } finally {
    restore();
  }
}

/**
 * Several jobs of one kind in one vitest run (scripts/mutant-batch/): each is a project with its
 * own copy of `solutions/`; a mutant's project stops at its own first failing test, a variant's
 * runs every test. Starting vitest costs about as much as a mutant's tests, so this halves the
 * check's time. A run that ends without its report (code that ran away took it down) is run again
 * one job at a time, so each gets its own verdict.
 */
async function runBatch(works: readonly string[], slot: number, batch: ReadonlyArray<{ job: Job; files: ReadonlyMap<string, string> }>): Promise<void> {
  const restores = batch.map(({ files }, i) => install(works[i]!, files));
  const dir = join(root, '.vitest-results');
  mkdirSync(dir, { recursive: true });
  const batchFile = join(dir, `mutant-batch-${runId}-${slot}.json`);
  const reportFile = join(dir, `mutant-batch-${runId}-${slot}-report.json`);
  rmSync(reportFile, { force: true });
  const projects: BatchProject[] = batch.map(({ job }, i) => {
    if (job.kind === 'variant') return { name: `m${i}`, implRoot: works[i]!, include: targetsOf(job) };
    const failedFlag = join(dir, `mutant-batch-${runId}-${slot}-${i}.failed`);
    rmSync(failedFlag, { force: true });
    return { name: `m${i}`, implRoot: works[i]!, include: targetsOf(job), failedFlag };
  });
  writeFileSync(batchFile, JSON.stringify(projects));
  let results: Record<string, BatchFileResult[]> | undefined;
  try {
    await runNodeAsync(tools.vitest, ['run', '--config', 'scripts/mutant-batch/vitest.config.ts'], {
      env: { DDIA_MUTANT_BATCH: batchFile, DDIA_MUTANT_REPORT: reportFile },
    });
    if (existsSync(reportFile)) results = JSON.parse(readFileSync(reportFile, 'utf8')) as Record<string, BatchFileResult[]>;
  } finally {
    for (const restore of restores) restore();
    for (const file of [batchFile, reportFile, ...projects.flatMap((p) => p.failedFlag ?? [])]) rmSync(file, { force: true });
  }
  for (const [i, { job, files }] of batch.entries()) {
    if (results === undefined) {
      await runOne(works[0]!, slot, job, files);
      continue;
    }
    const report = { files: new Map<string, TestCounts>(), loadErrors: new Map<string, string>() };
    for (const r of results[`m${i}`] ?? []) {
      report.files.set(r.file, { passed: r.passed.length, failed: r.failed.length, skipped: r.skipped, passedNames: r.passed, failedNames: r.failed });
      if (r.loadError !== undefined) report.loadErrors.set(r.file, r.loadError);
    }
    if (job.kind === 'mutant') recordMutant(job, judgeMutant(report));
    else recordVariant(job, judgeVariant(report));
  }
}

/** Mutants per batch: enough to spread vitest's start-up, few enough to keep slots busy. */
const batchSize = 10;
/** Variants per batch: fewer, since each runs all its tests, not only up to the first failure. */
const variantBatchSize = 4;
const slots = Math.min(availableParallelism(), jobs.length);
let next = 0;
await Promise.all(
  Array.from({ length: slots }, async (_, slot) => {
    const works = Array.from({ length: batchSize }, (_, i) => join(root, `.mutant-work-${runId}-${slot}-${i}`));
    for (const work of works) {
      rmSync(work, { recursive: true, force: true });
      cpSync(join(root, 'solutions'), work, { recursive: true });
    }
    try {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const files = prepare(job);
        if (files === undefined) continue;
        const batch = [{ job, files }];
        const size = job.kind === 'mutant' ? batchSize : variantBatchSize;
        while (batch.length < size && next < jobs.length && jobs[next]!.kind === job.kind) {
          const more = jobs[next++]!;
          const moreFiles = prepare(more);
          if (moreFiles !== undefined) batch.push({ job: more, files: moreFiles });
        }
        await runBatch(works, slot, batch);
      }
    } finally {
      for (const work of works) rmSync(work, { recursive: true, force: true });
    }
  }),
);

for (const p of problems) console.error(`  ${p}`);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const where = listFile !== undefined ? ` (${relative(root, resolve(root, listFile)).replace(/\\/g, '/')})` : '';
console.log(
  `check:mutants${where}: ${caught} mutant(s) caught, ${passing} variant(s) passing, ${problems.length} problem(s), ${seconds} s`,
);
if (problems.length > 0 || jobs.length === 0) {
  if (jobs.length === 0) console.error('check:mutants: no mutants or variants found');
  process.exit(1);
}
