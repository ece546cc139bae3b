import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { root, tools } from '../../scripts/lib.js';
import { applyEdits, judgeMutant, judgeVariant, type RunReport } from '../../scripts/mutants-lib.js';
import type { TestCounts } from '../../scripts/lib.js';

// These start check:mutants itself (a TypeScript program, then vitest): slow on a loaded machine.
const SPAWN_TIMEOUT_MS = 120_000;

const WHY = 'check:mutants counts a mutant as caught only when a test ran and failed';

function counts(passed: string[], failed: string[]): TestCounts {
  return { passed: passed.length, failed: failed.length, skipped: 0, passedNames: passed, failedNames: failed };
}

function report(files: Record<string, TestCounts>, loadErrors: Record<string, string> = {}): RunReport {
  return { files: new Map(Object.entries(files)), loadErrors: new Map(Object.entries(loadErrors)) };
}

describe('check:mutants cannot be fooled', () => {
  it('a find text must occur exactly once: twice or never is stale, and says how often', () => {
    const read = (file: string) => (file === 'a.ts' ? 'x = 1;\nx = 1;\ny = 2;\n' : undefined);
    const twice = applyEdits([{ file: 'a.ts', find: 'x = 1;', replace: 'x = 2;' }], read);
    expect(twice.ok === false && twice.problem, WHY).toContain('occurs 2 times');
    const never = applyEdits([{ file: 'a.ts', find: 'z = 3;', replace: 'z = 4;' }], read);
    expect(never.ok === false && never.problem, WHY).toContain('does not occur');
    const missing = applyEdits([{ file: 'b.ts', find: 'x', replace: 'y' }], read);
    expect(missing.ok === false && missing.problem, WHY).toContain('does not exist');
    const once = applyEdits([{ file: 'a.ts', find: 'y = 2;', replace: 'y = 3;' }], read);
    expect(once.ok && once.files.get('a.ts'), WHY).toBe('x = 1;\nx = 1;\ny = 3;\n');
  });

  it('edits apply in order, each to the text the earlier ones left, and $ in a replacement is literal', () => {
    const read = () => 'a b';
    const applied = applyEdits(
      [
        { file: 'f.ts', find: 'a', replace: '$&$&' },
        { file: 'f.ts', find: '$&$& b', replace: 'done' },
      ],
      read,
    );
    expect(applied.ok && applied.files.get('f.ts')).toBe('done');
  });

  it('a test file that fails to load is broken, not caught, even though vitest counts it as a failure', () => {
    const verdict = judgeMutant(
      report({ 'tests/x.test.ts': counts([], ['(the file failed to load)']) }, { 'tests/x.test.ts': 'SyntaxError: Unexpected token' }),
    );
    expect(verdict.kind, WHY).toBe('broken');
  });

  it('a run in which no test ran is broken; a failing test is caught; all passing is escaped', () => {
    expect(judgeMutant(report({})).kind, WHY).toBe('broken');
    expect(judgeMutant(report({ 't.ts': counts(['a'], ['b']) })).kind, WHY).toBe('caught');
    expect(judgeMutant(report({ 't.ts': counts(['a', 'b'], []) })).kind, WHY).toBe('escaped');
  });

  it('a correct variant must pass every test it runs, and some test must run', () => {
    const fails = judgeVariant(report({ 't.ts': counts(['a'], ['b']) }));
    expect(fails.kind === 'fails' && fails.failingTests, 'the failing test is named').toEqual(['t.ts > b']);
    expect(judgeVariant(report({})).kind).toBe('broken');
    expect(judgeVariant(report({ 't.ts': counts(['a'], []) })).kind).toBe('passes');
  });

  it('the command fails on a list of broken (syntax, types) and stale mutants, names every one, and runs no test for them', () => {
    const run = spawnSync(process.execPath, [tools.tsx, 'scripts/check-mutants.ts', '--list', 'tests/scripts/fixtures/mutants/not-checkable.ts'], {
      cwd: root,
      encoding: 'utf8',
    });
    const output = run.stdout + run.stderr;
    expect(run.status, `check:mutants must exit 1 on the fixtures; it printed:\n${output}`).toBe(1);
    expect(output).toMatch(/BROKEN +mutant chapter01-data-models\/fixture-syntax-error/);
    expect(output).toMatch(/BROKEN +mutant chapter01-data-models\/fixture-type-error/);
    expect(output).toMatch(/STALE +mutant chapter01-data-models\/fixture-matches-twice: .*occurs \d+ times/);
    expect(output).toMatch(/STALE +mutant chapter01-data-models\/fixture-matches-nothing: .*does not occur/);
    expect(output).toContain('0 mutant(s) caught');
  }, SPAWN_TIMEOUT_MS);

  it('mutants batched in one run get a verdict each: caught, escaped and broken side by side; so do variants, correct and not', () => {
    const run = spawnSync(process.execPath, [tools.tsx, 'scripts/check-mutants.ts', '--list', 'tests/scripts/fixtures/mutants/batched.ts'], {
      cwd: root,
      encoding: 'utf8',
    });
    const output = run.stdout + run.stderr;
    expect(run.status, `check:mutants must exit 1 on the fixtures; it printed:\n${output}`).toBe(1);
    expect(output, 'one project failing must not hide the others').toMatch(/caught +chapter01-data-models\/fixture-caught/);
    expect(output).toMatch(/ESCAPED +mutant chapter01-data-models\/fixture-escapes/);
    expect(output).toMatch(/BROKEN +mutant chapter01-data-models\/fixture-throws-on-load: .*failed to load/);
    expect(output).toContain('1 mutant(s) caught');
    expect(output, 'a variant batched beside a wrong one still passes').toMatch(/passes +chapter01-data-models\/fixture-variant-correct \(variant\): \d+ tests/);
    expect(output, 'a wrong variant fails and names its failing test').toMatch(/FAILS +variant chapter01-data-models\/fixture-variant-wrong: .*\n +fails: tests\/chapter01-data-models\/01-schema\.test\.ts > /);
    expect(output).toContain('1 variant(s) passing');
  }, SPAWN_TIMEOUT_MS);
});
