import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { root, tools } from '../../scripts/lib.js';

describe('npm run progress', () => {
  it('--markdown prints one table row per exercise of the chapter, with tests passed of total and state', () => {
    const run = spawnSync(process.execPath, [tools.tsx, 'scripts/progress.ts', 'chapter01', '--markdown'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DDIA_IMPL_ROOT: `${root}/chapters` },
    });
    const rows = run.stdout.trim().split('\n');
    expect(rows[0], run.stdout + run.stderr).toBe('| chapter | exercise | tests | state |');
    const exercises = rows.slice(2);
    expect(exercises.length, 'chapter 01 has fifteen exercises').toBe(15);
    expect(exercises[0]).toMatch(/^\| chapter01 \| 1\.1 schemas, checked on write \| 0\/\d+ \| not started \|$/);
    expect(run.status).toBe(0);
  });
});
