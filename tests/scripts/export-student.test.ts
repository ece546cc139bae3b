import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, tools } from '../../scripts/lib.js';
import { linkNodeModules, repositoryFiles } from '../../scripts/repo-files.js';
import { chapterFolders } from '../../scripts/workshop.js';
import type { Mutant } from '../../shared/testing/mutant.js';
import { runIn } from './support/temp-repo.js';

const WHY = 'a handout must not hold the answers: no solution file and no line of a mutant';

describe('npm run export:student', () => {
  const parent = mkdtempSync(join(tmpdir(), 'ddia-handout-'));
  const handout = join(parent, 'handout');
  const exported = runIn(root, tools.tsx, ['scripts/export-student.ts', handout, '--no-git']);
  linkNodeModules(handout, join(root, 'node_modules'));
  const files = repositoryFiles(handout);
  const text = new Map(files.map((f) => [f, readFileSync(join(handout, f), 'utf8')]));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('leaves out solutions/, every mutants.ts and variants.ts, and every line of a mutant', async () => {
    expect(exported.status, exported.output).toBe(0);
    expect(files.filter((f) => f.startsWith('solutions/') || /(mutants|variants)\.ts$/.test(f)), WHY).toEqual([]);
    let checked = 0;
    for (const chapter of chapterFolders()) {
      const { mutants } = (await import(join(root, 'tests', chapter, 'mutants.ts'))) as { mutants: readonly Mutant[] };
      for (const mutant of mutants) {
        const starter = readFileSync(join(root, 'chapters', mutant.file), 'utf8');
        // Given code is in the starter too; only what a solution alone holds is an answer.
        for (const line of [mutant.find, mutant.replace].map((l) => l.trim()).filter((l) => l.length >= 20 && !starter.includes(l))) {
          checked++;
          const where = [...text].filter(([, content]) => content.includes(line)).map(([f]) => f);
          expect(where, `${WHY}: mutant ${mutant.name} quotes ${JSON.stringify(line)}`).toEqual([]);
        }
      }
    }
    expect(checked, 'the mutants were read').toBeGreaterThan(20);
    const answers = new Set(
      repositoryFiles(root)
        .filter((f) => f.startsWith('solutions/'))
        .map((f) => readFileSync(join(root, f), 'utf8'))
        .filter((content, i, all) => all.indexOf(content) === i),
    );
    const starters = new Set(files.filter((f) => f.startsWith('chapters/')).map((f) => text.get(f)!));
    expect(files.filter((f) => answers.has(text.get(f)!) && !starters.has(text.get(f)!)), WHY).toEqual([]);
  });

  it('maps @impl to chapters/, lists only the commands it has, and its README says what verify checks', () => {
    expect(text.get('tsconfig.json')).toContain('"@impl/*": [\n        "./chapters/*"\n      ]');
    expect(text.get('tsconfig.json')).not.toContain('solutions');
    const scripts = Object.keys((JSON.parse(text.get('package.json')!) as { scripts: Record<string, string> }).scripts);
    expect(scripts).toEqual(expect.arrayContaining(['test', 'verify', 'hint', 'progress']));
    for (const teacherOnly of ['test:solutions', 'check:mutants', 'check:api', 'diff', 'export:student', 'bench']) expect(scripts).not.toContain(teacherOnly);
    expect(text.get('scripts/verify.ts')).toBe(readFileSync(join(root, 'scripts/verify-student.ts'), 'utf8'));
    expect(text.get('README.md')).toContain('failing tests do not fail `verify`');
    expect(text.get('README.md')).toContain('without\nthe reference solutions');
  });

  it('typechecks the tests against the starters, and runs chapter 01 on them: every test loads and fails', () => {
    const tsc = runIn(handout, tools.tsc, ['-p', 'tsconfig.json']);
    expect(tsc.status, `the handout must typecheck:\n${tsc.output}`).toBe(0);
    const run = runIn(handout, tools.vitest, ['run', 'tests/chapter01-data-models/']);
    expect(run.stdout, run.output).toMatch(/^(\d+) tests: 0 passed, \1 failed$/m);
    expect(run.stdout, 'every test file loads').not.toContain('Cannot run');
  }, 180_000);
});
