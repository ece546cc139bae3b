/**
 * A temporary copy of the repository for the tests of the learner's and teacher's commands, so
 * that they can edit chapters/, write state and hand out copies without touching the real tree.
 * `node_modules` is linked, not copied. Make one per test file: every copy costs a second.
 */

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, tools } from '../../../scripts/lib.js';
import { copyFiles, linkNodeModules, repositoryFiles } from '../../../scripts/repo-files.js';

export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly output: string;
}

/** The environment of a command a learner types: nothing inherited from the vitest running us. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(VITEST|DDIA_|NODE_OPTIONS$|TEST$|MODE$)/.test(name)) env[name] = value;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Runs `node <entry> ...args` in `cwd` with a learner's environment. */
export function runIn(cwd: string, entry: string, args: readonly string[], env: Record<string, string> = {}): Ran {
  const run = spawnSync(process.execPath, [entry, ...args], { cwd, encoding: 'utf8', env: cleanEnv(env), maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, output: run.stdout + run.stderr };
}

export class TempRepo {
  readonly dir: string;

  constructor(prefix = 'ddia-repo-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    copyFiles(root, this.dir, repositoryFiles(root));
    linkNodeModules(this.dir, join(root, 'node_modules'));
  }

  /** Runs one of the copy's scripts (`scripts/hint.ts`) with tsx, as `npm run` would. */
  script(file: string, args: readonly string[] = [], env: Record<string, string> = {}): Ran {
    return runIn(this.dir, tools.tsx, [file, ...args], env);
  }

  /** Copies a file of the real repository's solutions/ over the copy's starter. */
  solve(chapter: string, file: string): void {
    cpSync(join(root, 'solutions', chapter, file), join(this.dir, 'chapters', chapter, file));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
