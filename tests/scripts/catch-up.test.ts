import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TempRepo } from './support/temp-repo.js';

describe('npm run catch-up', () => {
  const repo = new TempRepo();
  afterAll(() => repo.remove());
  const read = (path: string) => readFileSync(join(repo.dir, path), 'utf8');
  const mine = 'chapters/chapter01-data-models/schema.ts';
  const starter02 = read('chapters/chapter02-storage-engines/bitcask.ts');
  const starter03 = read('chapters/chapter03-encoding/varint.ts');
  writeFileSync(join(repo.dir, mine), '// my half-done schema\n');

  it("copies the earlier chapters' reference over the learner's files after backing them up", () => {
    const run = repo.script('scripts/catch-up.ts', ['chapter03']);
    expect(run.status, run.output).toBe(0);
    const backup = /backed up in (\S+)\//.exec(run.stdout)?.[1];
    expect(backup, run.stdout).toBe('.workshop/backups/1-catch-up-to-chapter03');
    expect(read(`${backup!}/${mine}`), 'the backup holds what the learner wrote').toBe('// my half-done schema\n');
    expect(read(mine)).toBe(read('solutions/chapter01-data-models/schema.ts'));
    expect(read('chapters/chapter02-storage-engines/bitcask.ts')).toBe(read('solutions/chapter02-storage-engines/bitcask.ts'));
    expect(read('chapters/chapter03-encoding/varint.ts'), 'the chapter caught up to stays the learner’s').toBe(starter03);
    expect(existsSync(join(repo.dir, backup!, 'chapters/chapter02-storage-engines/sync-policy.ts')), 'given files are not replaced or backed up').toBe(false);
  });

  it('--undo puts the backed-up files back', () => {
    const run = repo.script('scripts/catch-up.ts', ['--undo']);
    expect(run.stdout, run.output).toMatch(/^Restored \d+ file\(s\)/);
    expect(read(mine)).toBe('// my half-done schema\n');
    expect(read('chapters/chapter02-storage-engines/bitcask.ts')).toBe(starter02);
    expect(repo.script('scripts/catch-up.ts', ['--undo']).stdout).toContain('no backup to restore');
  });
});
