import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { groupByExercise, nextExercise, type TestRecord } from '../../scripts/exercises.js';
import { root, tools } from '../../scripts/lib.js';

const STUB = (exercise: string, file: string, section: string) => ({
  name: 'NotImplementedError',
  message: `Exercise ${exercise} is not implemented yet.\n  edit: chapters/${file}\n  read: chapters/${file.split('/')[0]}/README.md, section "${section}"`,
});

function record(file: string, suite: string, name: string, state: TestRecord['state'], error?: TestRecord['error']): TestRecord {
  return { file, suite: [suite], name, state, ...(error ? { error } : {}) };
}

describe('the learner reporter', () => {
  it('groups tests by exercise number across files and describe blocks, numbered before extra groups', () => {
    const f = 'tests/chapter02-storage-engines/23-sstable.test.ts';
    const groups = groupByExercise([
      record('tests/chapter02-storage-engines/corruption.test.ts', 'corruption', 'a', 'failed'),
      record(f, '2.10 later', 'b', 'passed'),
      record(f, '2.3 blocks', 'c', 'passed'),
      record(f, '2.3 SSTables', 'd', 'failed', STUB('2.3 SSTables', 'chapter02-storage-engines/sstable.ts', '2.3 SSTables')),
      record('tests/chapter01-data-models/01-schema.test.ts', 'exercise 1.1: schemas', 'e', 'passed'),
    ]);
    expect([...groups.keys()]).toEqual(['chapter01-data-models', 'chapter02-storage-engines']);
    const ch02 = groups.get('chapter02-storage-engines')!;
    expect(ch02.map((e) => [e.id, e.title, e.state])).toEqual([
      ['2.3', 'blocks / SSTables', 'failing'],
      ['2.10', 'later', 'done'],
      ['corruption', 'corruption', 'failing'],
    ]);
    expect(nextExercise(groups)?.id, 'the first unfinished exercise of the first unfinished chapter').toBe('2.3');
  });

  it('an exercise is "not started" while nothing passes and its stub still throws', () => {
    const stub = STUB('1.1 Schemas', 'chapter01-data-models/schema.ts', '1.1 Schemas');
    const file = 'tests/chapter01-data-models/01-schema.test.ts';
    const groups = groupByExercise([
      record(file, '1.1 schemas', 'a', 'failed', stub),
      record(file, '1.1 schemas', 'b', 'failed', { message: 'AssertionError: expected a SchemaError' }),
    ]);
    expect(groups.get('chapter01-data-models')![0]!.state).toBe('not started');
  });

  it('on the untouched chapter 01 starters it prints at most 40 lines, naming exercise 1.1, its file and its notes section first', () => {
    const run = spawnSync(process.execPath, [tools.vitest, 'run', 'tests/chapter01-data-models/'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', DDIA_IMPL_ROOT: `${root}/chapters` },
    });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.length, `the first run of a learner must be short; it printed:\n${run.stdout}`).toBeLessThanOrEqual(40);
    const next = lines.findIndex((l) => l.startsWith('Next: '));
    expect(lines[next], run.stdout).toContain('exercise 1.1');
    const after = lines.slice(next).join('\n');
    expect(after).toContain('edit: chapters/chapter01-data-models/schema.ts');
    expect(after).toMatch(/read: chapters\/chapter01-data-models\/README\.md, section "[^"]+"/);
    expect(run.stdout, 'an unwritten stub is one line, not a stack trace').not.toMatch(/^\s+at /m);
  });
});
