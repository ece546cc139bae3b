/**
 * The files of the workshop repository, for the commands that copy it: `export:student` (a
 * handout), `grade` (a scratch copy per student) and the tests of the scripts.
 */

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What is never copied: installed packages, git metadata and everything the tools write. */
const GENERATED = /^(node_modules|\.git|\.vitest-results|\.workshop|docs-site|\.bench-data|\.mutant-work[^/]*)$|\.log$/;

/**
 * The repository's files under `base`, relative, with forward slashes, sorted: what git tracks
 * or would track (`.gitignore` respected) in a git checkout, else every file but generated ones.
 */
export function repositoryFiles(base: string): string[] {
  const git = existsSync(join(base, '.git'))
    ? spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: base, encoding: 'utf8' })
    : undefined;
  if (git !== undefined && git.status === 0) {
    return git.stdout
      .split('\0')
      .filter((f) => f !== '' && existsSync(join(base, f)))
      .sort();
  }
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(base, dir), { withFileTypes: true })) {
      if (GENERATED.test(entry.name)) continue;
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(path);
    }
  };
  walk('');
  return out.sort();
}

/** Copies the listed files (relative paths) from `from` to `to`, creating folders as needed. */
export function copyFiles(from: string, to: string, files: readonly string[]): void {
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(from, file), join(to, file));
  }
}

/** Makes `dir/node_modules` a link to `modules` (a junction on Windows, which needs no rights). */
export function linkNodeModules(dir: string, modules: string): void {
  symlinkSync(modules, join(dir, 'node_modules'), 'junction');
}
