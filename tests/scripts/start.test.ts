import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { onKey, type KeyContext, type View } from '../../scripts/start-keys.js';
import { root } from '../../scripts/lib.js';
import { TempRepo } from './support/temp-repo.js';

const chapters = ['chapter01-data-models', 'chapter02-storage-engines'];
const context = (exercises: number, shown: number): KeyContext => ({ chapters, exercises, shown });
const follow: View = { chapter: chapters[0]!, index: undefined };

describe('npm start: keys', () => {
  it('h, d, p ask for the hint, diff and progress of the view; q and Ctrl-C quit; other keys do nothing', () => {
    for (const [key, action] of [['h', 'hint'], ['d', 'diff'], ['p', 'progress'], ['q', 'quit'], ['\u0003', 'quit'], ['x', 'none'], ['\r', 'render']] as const) {
      expect(onKey(follow, key, context(15, 0)), `key ${JSON.stringify(key)}`).toEqual({ view: follow, action });
    }
  });

  it('n and b move between exercises from the one shown, and stop following the next unfinished one', () => {
    expect(onKey(follow, 'n', context(15, 3))).toEqual({ view: { chapter: chapters[0], index: 4 }, action: 'render' });
    expect(onKey({ chapter: chapters[0]!, index: 4 }, 'b', context(15, 4))).toEqual({ view: { chapter: chapters[0], index: 3 }, action: 'render' });
  });

  it('past either end of a chapter they move to the next or previous chapter, whose tests must run; past the last nothing', () => {
    expect(onKey(follow, 'n', context(15, 14))).toEqual({ view: { chapter: chapters[1], index: 0 }, action: 'run' });
    const second: View = { chapter: chapters[1]!, index: 0 };
    expect(onKey(second, 'b', context(19, 0))).toEqual({ view: { chapter: chapters[0], index: 0 }, action: 'run' });
    expect(onKey(second, 'n', context(19, 18)).action).toBe('none');
    expect(onKey(follow, 'b', context(15, 0)).action).toBe('none');
  });
});

describe('npm start without a terminal', () => {
  const repo = new TempRepo();
  afterAll(() => repo.remove());

  it("prints the first unfinished exercise's first failing test, the file to edit and the notes section once, and exits", () => {
    const run = repo.script('scripts/start.ts');
    expect(run.status, run.output).toBe(0);
    expect(run.stdout).toMatch(/^Next: exercise 1\.1: schemas, checked on write/m);
    expect(run.stdout).toContain('edit: chapters/chapter01-data-models/schema.ts');
    expect(run.stdout).toContain('read: chapters/chapter01-data-models/README.md, section "1.1 Schemas"');
    expect(run.stdout).toContain('here it printed the status once');
    expect(run.stdout, 'keys are offered only in a terminal').not.toContain('Keys:');
  });

  it('goes on to the next chapter when every exercise of one passes', () => {
    for (const file of readdirSync(`${root}/solutions/chapter01-data-models`)) repo.solve('chapter01-data-models', file);
    const run = repo.script('scripts/start.ts');
    expect(run.stdout, run.output).toMatch(/^Next: exercise 1\.1: log records/m);
    expect(run.stdout).toContain('edit: chapters/chapter02-storage-engines/log-record.ts');
  });
});
