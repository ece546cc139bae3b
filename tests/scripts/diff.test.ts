import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from '../../scripts/line-diff.js';
import { palette } from '../../scripts/workshop.js';
import { TempRepo } from './support/temp-repo.js';

const ESC = String.fromCharCode(27);

describe('the line diff', () => {
  it('keeps the longest common subsequence and lists removals before additions', () => {
    expect(diffLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e'])).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
      { kind: 'same', text: 'd' },
      { kind: 'added', text: 'e' },
    ]);
  });

  it('prints unified hunks with three lines of context, and nothing for equal texts', () => {
    const a = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const b = [...a];
    b[1] = 'changed 2';
    b.splice(15, 1);
    expect(unifiedDiff(a.join('\n'), a.join('\n'))).toEqual([]);
    expect(unifiedDiff(a.join('\n') + '\n', b.join('\n') + '\n')).toEqual([
      '@@ -1,5 +1,5 @@',
      ' line 1',
      '-line 2',
      '+changed 2',
      ' line 3',
      ' line 4',
      ' line 5',
      '@@ -13,7 +13,6 @@',
      ' line 13',
      ' line 14',
      ' line 15',
      '-line 16',
      ' line 17',
      ' line 18',
      ' line 19',
    ]);
  });

  it('colours only a terminal without NO_COLOR', () => {
    const saved = process.env['NO_COLOR'];
    delete process.env['NO_COLOR'];
    try {
      const tty = { isTTY: true } as NodeJS.WriteStream;
      const pipe = { isTTY: false } as NodeJS.WriteStream;
      expect(palette(tty).red('x')).toBe(`${ESC}[31mx${ESC}[39m`);
      expect(palette(pipe).red('x')).toBe('x');
      process.env['NO_COLOR'] = '1';
      expect(palette(tty).red('x')).toBe('x');
    } finally {
      if (saved === undefined) delete process.env['NO_COLOR'];
      else process.env['NO_COLOR'] = saved;
    }
  });
});

describe('npm run diff', () => {
  const repo = new TempRepo();
  afterAll(() => repo.remove());
  const schema = 'chapters/chapter01-data-models/schema.ts';
  // A learner's solution of 1.1: the reference with one line of their own.
  const reference = readFileSync(join(repo.dir, 'solutions/chapter01-data-models/schema.ts'), 'utf8');
  writeFileSync(join(repo.dir, schema), reference.replace('\n', '\n// my own approach\n'));

  it("shows a solved exercise's file against the reference, and holds back the files of unsolved ones", () => {
    const run = repo.script('scripts/diff.ts', ['chapter01']);
    expect(run.status, run.output).toBe(0);
    expect(run.stdout).toContain(`--- ${schema}  (yours)`);
    expect(run.stdout).toContain('+++ solutions/chapter01-data-models/schema.ts  (reference)');
    expect(run.stdout, 'the one line the learner added is the whole diff').toMatch(/^-\/\/ my own approach$/m);
    expect(run.stdout.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l))).toEqual(['-// my own approach']);
    expect(run.stdout, 'a file of an unsolved exercise is not shown').toContain('not shown: joins.ts: its exercise 1.5 must pass first');
    expect(run.stdout).not.toContain('solutions/chapter01-data-models/joins.ts');
    expect(run.output, 'no colour when not a terminal').not.toContain(ESC);
  });

  it('--force shows an unsolved file, with a warning that it spoils the exercise', () => {
    const run = repo.script('scripts/diff.ts', ['chapter01', 'joins.ts', '--force']);
    expect(run.stderr).toMatch(/Warning: --force shows the reference for exercises whose tests do not pass yet \(1\.5\)\. It spoils them/);
    expect(run.stdout).toContain('+++ solutions/chapter01-data-models/joins.ts  (reference)');
    expect(run.stdout).toMatch(/^-\s+throw new NotImplementedError\(EXERCISE\);$/m);
  });
});
