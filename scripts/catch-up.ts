/**
 * `npm run catch-up -- chapterNN` and `npm run catch-up -- --undo`.
 *
 * To start at a later chapter whose end-to-end test builds on the earlier ones: copies the
 * reference files (`solutions/chapterMM-*`, every MM below NN) over yours in `chapters/`, after
 * backing up every file it replaces into `.workshop/backups/N-catch-up-to-chapterNN/` (printed).
 * `--undo` puts the files of the latest backup back. Nothing else in `chapters/` is touched.
 */

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib.js';
import { repositoryFiles } from './repo-files.js';
import { chapterFolders, commandLine, findChapter, main, readState, UsageError, writeState } from './workshop.js';

main('catch-up', () => {
  const { flags, positional } = commandLine('usage: npm run catch-up -- chapterNN | --undo', 1);
  const state = readState();
  if (flags.has('--undo')) {
    const backup = state.backups.pop();
    if (backup === undefined || !existsSync(join(root, backup))) {
      console.log('catch-up: there is no backup to restore.');
      return 0;
    }
    const files = repositoryFiles(join(root, backup));
    for (const file of files) cpSync(join(root, backup, file), join(root, file));
    writeState(state);
    console.log(`Restored ${files.length} file(s) of yours from ${backup}/ into chapters/. The backup stays there; delete it when you like.`);
    return 0;
  }
  const target = findChapter(positional[0]);
  if (!existsSync(join(root, 'solutions'))) throw new UsageError('there is no solutions/ folder in this copy (a handout has none): ask your teacher for the earlier chapters');
  const earlier = chapterFolders().filter((c) => c < target && existsSync(join(root, 'solutions', c)));
  if (earlier.length === 0) {
    console.log(`catch-up: ${target.slice(0, 9)} is the first chapter; there is nothing to catch up on.`);
    return 0;
  }
  const replaced: string[] = [];
  for (const chapter of earlier) {
    for (const file of readdirSync(join(root, 'solutions', chapter))) {
      const mine = join(root, 'chapters', chapter, file);
      const reference = join(root, 'solutions', chapter, file);
      if (!existsSync(mine) || !readFileSync(mine).equals(readFileSync(reference))) replaced.push(`chapters/${chapter}/${file}`);
    }
  }
  const backup = `.workshop/backups/${state.backups.length + 1}-catch-up-to-${target.slice(0, 9)}`;
  rmSync(join(root, backup), { recursive: true, force: true });
  for (const file of replaced) {
    const mine = join(root, file);
    if (existsSync(mine)) {
      mkdirSync(join(root, backup, file, '..'), { recursive: true });
      cpSync(mine, join(root, backup, file));
    }
    cpSync(join(root, file.replace(/^chapters\//, 'solutions/')), mine);
  }
  state.backups.push(backup);
  writeState(state);
  console.log(`Copied the reference of ${earlier.map((c) => c.slice(0, 9)).join(', ')} into chapters/: ${replaced.length} file(s) replaced.`);
  console.log(`Your files are backed up in ${backup}/`);
  console.log('Put them back with: npm run catch-up -- --undo');
  return 0;
});
