/**
 * `npm run export:student -- <folder> [--no-git]`: writes a handout for students into an empty
 * folder outside the workshop: the repository without the answers.
 *
 * Left out: `solutions/`, every `mutants.ts` and `variants.ts` (each quotes lines of a
 * solution), the benchmarks (they run the solutions), the tests of the project's own scripts,
 * CONTRIBUTING.md and the teacher's scripts (check:api, check:mutants, check:starters, diff,
 * catch-up, grade, this export). Changed:
 *
 * - `tsconfig.json` maps `@impl` to `chapters/` instead of `solutions/`, so the tests typecheck
 *   against the starters (check:api proves they export the same API as the solutions);
 * - `scripts/verify.ts` is `scripts/verify-student.ts`: typecheck, lint, and the chapter tests
 *   run, expected to fail until solved (a file that cannot load fails it);
 * - `package.json` lists only the commands whose scripts are in the handout;
 * - `README.md` is written for students and says all this.
 *
 * Files come from what git tracks (and would track), so local state never leaks. The folder is
 * made a git repository with one commit, unless `--no-git` or git is missing.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { root } from './lib.js';
import { copyFiles, repositoryFiles } from './repo-files.js';
import { commandLine, main, UsageError } from './workshop.js';

/** The teacher's scripts: they need solutions/ or mutants, or only make sense with them. */
const TEACHER_SCRIPTS = new Set([
  'bench.ts',
  'catch-up.ts',
  'check-api.ts',
  'check-mutants.ts',
  'check-starters.ts',
  'diff.ts',
  'export-student.ts',
  'grade.ts',
  'line-diff.ts',
  'mutants-lib.ts',
  'verify.ts',
  'verify-student.ts',
]);

/** Whether a repository file goes into the handout as it is. */
function inHandout(file: string): boolean {
  if (/^(solutions|bench|tests\/scripts)\//.test(file)) return false;
  if (/^tests\/.*\/(mutants|variants)\.ts$/.test(file)) return false;
  if (file === 'CONTRIBUTING.md' || file === 'README.md' || file === 'tsconfig.json' || file === 'package.json') return false;
  const script = /^scripts\/([^/]+)$/.exec(file);
  return !(script && TEACHER_SCRIPTS.has(script[1]!));
}

/** The teacher's tsconfig.json with `@impl` mapped to the starters and no solutions/ or bench/. */
function handoutTsconfig(text: string): string {
  const config = JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as {
    compilerOptions: { paths?: Record<string, string[]> };
    include: string[];
  };
  if (config.compilerOptions.paths?.['@impl/*'] === undefined) throw new Error('tsconfig.json has no "@impl/*" path to map to chapters/');
  config.compilerOptions.paths['@impl/*'] = ['./chapters/*'];
  config.include = config.include.filter((dir) => dir !== 'solutions' && dir !== 'bench');
  const header = [
    '// One configuration for tsc, tsx, vitest and typedoc.',
    '// Tests import the code under test as "@impl/<chapter>/<file>.js": your code in chapters/.',
  ];
  return `{\n${header.map((l) => `  ${l}`).join('\n')}\n${JSON.stringify(config, null, 2).slice(2)}\n`;
}

/** The teacher's package.json with only the commands whose scripts the handout has. */
function handoutPackage(text: string, has: (file: string) => boolean): string {
  const pkg = JSON.parse(text) as { scripts: Record<string, string> };
  const scripts: Record<string, string> = {};
  for (const [name, command] of Object.entries(pkg.scripts)) {
    const file = /\btsx (scripts\/\S+\.ts)/.exec(command)?.[1];
    if (name === 'test:solutions' || (file !== undefined && !has(file))) continue;
    scripts[name] = command;
  }
  pkg.scripts = scripts;
  return JSON.stringify(pkg, null, 2) + '\n';
}

/** A section of the teacher's README, from its `## heading` to the next one. */
function section(readme: string, heading: string): string {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) return '';
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start + 1, end < 0 ? undefined : end).trimEnd() + '\n';
}

function handoutReadme(teacherReadme: string, scripts: Record<string, string>): string {
  const title = /^# .*$/m.exec(teacherReadme)?.[0] ?? '# Build a data-intensive database, chapter by chapter';
  const intro = teacherReadme.slice(teacherReadme.indexOf('\n') + 1, teacherReadme.indexOf('\n## ')).trim();
  const rows: Array<[string, string, string]> = [
    ['start', '`npm start`', 'your next exercise: its first failing test, the file to edit and the section to read; re-runs as you save'],
    ['test', '`npm test -- chapterNN`', "the chapter's tests against your code, one line per exercise"],
    ['test:watch', '`npm run test:watch -- chapterNN`', 'the same, re-run on every save'],
    ['hint', '`npm run hint -- chapterNN [N.M]`', 'the next hint for your current exercise (or N.M), one per call'],
    ['progress', '`npm run progress [-- chapterNN] [--markdown]`', 'every exercise: tests passed of total (`--markdown` for a table to send your teacher)'],
    ['replay', '`npm run replay -- <file> --seed N --test "name"`', 're-runs one randomized test with the seed a failure printed'],
    ['typecheck', '`npm run typecheck`', 'tsc over your code, the tests and the scripts'],
    ['lint', '`npm run lint`', 'ESLint, including the rules that keep code deterministic'],
    ['verify', '`npm run verify`', 'typecheck, lint, lint the notes, and run every chapter test once'],
  ];
  const table = rows.filter(([name]) => scripts[name] !== undefined).map(([, command, what]) => `| ${command} | ${what} |`);
  const first = scripts['start'] !== undefined ? '`npm start`' : '`npm test -- chapter01`';
  return `${title}

${intro}

This is the students' copy of the workshop: the notes, the starter code and the tests, without
the reference solutions.

## Set up

You need Node.js 20.19 or later. Then, in this folder:

\`\`\`sh
npm install
npm run verify
\`\`\`

\`npm run verify\` typechecks your code against the tests, lints the code and the notes, and runs
every chapter's tests once against your code in \`chapters/\`. The tests fail until you solve the
exercises, so failing tests do not fail \`verify\`: it fails only on a type error, a lint error,
or a test file that cannot load. Its last line counts the chapter tests that pass and fail
(\`0 passed, N failed\` on a fresh copy). If it says "your copy is ready", so is your machine.

Then run ${first}: it shows the first exercise to do.

## How to work a chapter

1. Read the chapter's notes: \`chapters/chapter01-data-models/README.md\`.
2. Fill in the starter code next to them. Every stub throws an error that names its exercise and
   the section of the notes to read.
3. Run the chapter's tests until they are green (always two digits): \`npm test -- chapter01\`.
   Stuck? \`npm run hint -- chapter01\` shows one hint at a time from the notes.

The notes sometimes mention \`solutions/\`: that is the reference your teacher keeps. It is not in
this copy, and neither are the teacher's checks that need it.

## Commands

| command | does |
|---|---|
${table.join('\n')}

${section(teacherReadme, 'Chapter map')}
${section(teacherReadme, 'Determinism and replaying a failure')}`;
}

main('export:student', () => {
  const { flags, positional } = commandLine('usage: npm run export:student -- <folder> [--no-git]', 1);
  if (positional[0] === undefined) throw new UsageError('usage: npm run export:student -- <folder> [--no-git]');
  const target = resolve(positional[0]);
  const inside = relative(root, target);
  if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) throw new UsageError(`${target} is inside the workshop; choose a folder outside it`);
  if (existsSync(target) && readdirSync(target).length > 0) throw new UsageError(`${target} is not empty`);
  mkdirSync(target, { recursive: true });

  const files = repositoryFiles(root);
  const kept = files.filter(inHandout);
  copyFiles(root, target, kept);
  writeFileSync(join(target, 'scripts', 'verify.ts'), readFileSync(join(root, 'scripts', 'verify-student.ts')));
  const has = (file: string) => existsSync(join(target, file));
  writeFileSync(join(target, 'tsconfig.json'), handoutTsconfig(readFileSync(join(root, 'tsconfig.json'), 'utf8')));
  const pkg = handoutPackage(readFileSync(join(root, 'package.json'), 'utf8'), has);
  writeFileSync(join(target, 'package.json'), pkg);
  const scripts = (JSON.parse(pkg) as { scripts: Record<string, string> }).scripts;
  writeFileSync(join(target, 'README.md'), handoutReadme(readFileSync(join(root, 'README.md'), 'utf8'), scripts));

  const leaked = repositoryFiles(target).filter((f) => f.startsWith('solutions/') || /(^|\/)(mutants|variants)\.ts$/.test(f));
  if (leaked.length > 0) throw new Error(`export:student: the handout holds answers: ${leaked.join(', ')}`);

  const changed = spawnSync('git', ['status', '--porcelain', '--', 'chapters'], { cwd: root, encoding: 'utf8' });
  if (changed.status === 0 && changed.stdout.trim() !== '') {
    console.warn('Warning: chapters/ has uncommitted changes; the handout has them as they are on disk:');
    console.warn(changed.stdout.trimEnd());
  }
  let repository = 'no git repository (--no-git)';
  if (!flags.has('--no-git')) {
    const git = (...args: string[]) => spawnSync('git', args, { cwd: target, encoding: 'utf8' });
    const ok =
      git('init', '-q').status === 0 &&
      git('add', '-A').status === 0 &&
      git('-c', 'user.name=DDIA workshop', '-c', 'user.email=workshop@example.invalid', 'commit', '-q', '-m', 'Workshop handout').status === 0;
    repository = ok ? 'a git repository with one commit' : 'no git repository (git failed; run git init yourself)';
  }
  console.log(`Wrote a handout to ${target}: ${kept.length + 3} files, ${repository}.`);
  console.log(`Left out: solutions/, ${files.filter((f) => /\/(mutants|variants)\.ts$/.test(f)).length} mutant and variant files, the benchmarks, the teacher's scripts and their tests.`);
  console.log('Students run: npm install, then npm run verify.');
  return 0;
});
