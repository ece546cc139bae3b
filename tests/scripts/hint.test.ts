import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exerciseNotes } from '../../scripts/notes.js';
import { findChapter, UsageError } from '../../scripts/workshop.js';
import { TempRepo } from './support/temp-repo.js';

const WHY = 'hints come from the notes, one at a time, in the order the notes give them';

describe('the hints of the notes', () => {
  const notes = [
    '## Exercises',
    '### 1.1 Schemas',
    '```md',
    '### 9.9 not a heading inside code',
    '```',
    '<details>',
    '<summary>Hint: the order of checks</summary>',
    '',
    'Unknown columns first.',
    '',
    '</details>',
    '### 1.2 Storage',
    '<details>',
    '<summary>Hints</summary>',
    '',
    '- First item,',
    '  continued.',
    '- Second item.',
    '',
    '</details>',
    '### End to end',
    '<details><summary>not an exercise</summary>',
    '</details>',
    '## Hints',
    '<details>',
    '<summary>1.1: a second one, from a hints section</summary>',
    'Later.',
    '</details>',
    '<details>',
    '<summary>2.3: for an exercise without a heading</summary>',
    'Tested only.',
    '</details>',
  ].join('\n');
  const exercises = exerciseNotes(notes);

  it('an exercise is a numbered heading; its hints are its <details> blocks, then those a hints section names it in', () => {
    expect(exercises.map((e) => e.id), WHY).toEqual(['1.1', '1.2', '2.3']);
    expect(exercises[0]!.hints, WHY).toEqual([
      { title: 'the order of checks', body: 'Unknown columns first.' },
      { title: 'a second one, from a hints section', body: 'Later.' },
    ]);
    expect(exercises[2]!.hints.map((h) => h.body)).toEqual(['Tested only.']);
  });

  it('a block that is only a bulleted list gives one hint per item', () => {
    expect(exercises[1]!.hints, WHY).toEqual([
      { title: '', body: 'First item,\ncontinued.' },
      { title: '', body: 'Second item.' },
    ]);
  });

  it('chapters are the chapters/chapterNN-* folders on disk, named with two digits', () => {
    const base = mkdtempSync(join(tmpdir(), 'ddia-chapters-'));
    try {
      for (const c of ['chapter01-data-models', 'chapter05-partitioning', 'notes']) mkdirSync(join(base, 'chapters', c), { recursive: true });
      expect(findChapter('chapter05', base)).toBe('chapter05-partitioning');
      expect(findChapter('chapters/chapter01-data-models/', base)).toBe('chapter01-data-models');
      expect(() => findChapter('chapter5', base)).toThrow(UsageError);
      expect(() => findChapter('chapter02', base)).toThrow(/one of: chapter01, chapter05/);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('npm run hint', () => {
  const repo = new TempRepo();
  afterAll(() => repo.remove());
  const readme = readFileSync(join(repo.dir, 'chapters/chapter02-storage-engines/README.md'), 'utf8');

  it('shows the next hint of the named exercise on each call, and remembers in .workshop/state.json', () => {
    const first = repo.script('scripts/hint.ts', ['chapter02', '1.2']);
    expect(first.stdout, first.output).toMatch(/^Exercise 1\.2 The hash index and recovery: hint 1 of (\d+)/);
    const second = repo.script('scripts/hint.ts', ['chapter02', '1.2']);
    expect(second.stdout, WHY).toMatch(/hint 2 of \d+/);
    const body = second.stdout.split('\n').slice(3).find((l) => l.trim() !== '')!.trim();
    expect(readme, 'the hint is text of the notes').toContain(body);
    expect(readme.indexOf(body), WHY).toBeGreaterThan(readme.indexOf(first.stdout.split('\n')[3]!.trim()));
    const state = JSON.parse(readFileSync(join(repo.dir, '.workshop/state.json'), 'utf8')) as { hints: Record<string, number> };
    expect(state.hints['chapter02-storage-engines 1.2']).toBe(2);
    repo.script('scripts/hint.ts', ['chapter02', '1.2', '--reset']);
    expect(repo.script('scripts/hint.ts', ['chapter02', '1.2']).stdout, '--reset starts over').toMatch(/hint 1 of/);
  });

  it('without an exercise it picks the first unfinished one from the tests: 1.1 on the starters, 1.2 once 1.1 passes', () => {
    const untouched = repo.script('scripts/hint.ts', ['chapter01']);
    expect(untouched.stdout, untouched.output).toMatch(/^Exercise 1\.1 Schemas: hint 1 of 1: the order of checks/);
    repo.solve('chapter01-data-models', 'schema.ts');
    const next = repo.script('scripts/hint.ts', ['chapter01']);
    expect(next.stdout, next.output).toMatch(/^Exercise 1\.2 Table storage: hint 1 of 2: keys and values/);
  });

  it('a one-digit chapter is refused with the list of chapters', () => {
    const run = repo.script('scripts/hint.ts', ['chapter1']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('use two digits, one of: chapter01');
  });
});
