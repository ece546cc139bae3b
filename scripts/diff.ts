/**
 * `npm run diff -- chapterNN [file] [--force]`: your file against the reference in solutions/,
 * as a unified diff (`-` your lines, `+` the reference's), coloured on a terminal (not when the
 * output is piped or `NO_COLOR` is set).
 *
 * Only for files whose exercises pass their tests: the diff is for comparing approaches after
 * solving, not for reading the answer. A file belongs to the numbered exercises whose test files
 * name it (as the learner's reporter finds the file to edit); a file no test names opens when the
 * whole chapter passes. `--force` shows the rest too, with a warning that it spoils them. Given
 * files (identical in both trees) are never shown.
 */

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { filesUnderTest } from './exercises.js';
import { root } from './lib.js';
import { unifiedDiff } from './line-diff.js';
import { chapterResults, commandLine, findChapter, main, numbered, palette, UsageError } from './workshop.js';

main('diff', () => {
  const { flags, positional } = commandLine('usage: npm run diff -- chapterNN [file] [--force]', 2);
  const [chapterArg, fileArg] = positional;
  const force = flags.has('--force');
  const chapter = findChapter(chapterArg);
  const short = chapter.slice(0, 9);
  const solutionDir = join(root, 'solutions', chapter);
  if (!existsSync(solutionDir)) throw new UsageError(`there is no solutions/${chapter}/ in this copy of the workshop (a handout has none); ask your teacher for the reference`);
  const { bold, cyan, dim, green, red, yellow } = palette();

  const differing = readdirSync(solutionDir)
    .filter((f) => f.endsWith('.ts') && existsSync(join(root, 'chapters', chapter, f)))
    .filter((f) => read('chapters', chapter, f) !== read('solutions', chapter, f))
    .sort();
  let files = differing;
  if (fileArg !== undefined) {
    const name = fileArg.replace(/\\/g, '/').split('/').pop()!.replace(/(\.ts)?$/, '.ts');
    if (!existsSync(join(solutionDir, name))) throw new UsageError(`solutions/${chapter}/ has no ${name}`);
    if (!differing.includes(name)) {
      console.log(`chapters/${chapter}/${name} is the same as the reference.`);
      return 0;
    }
    files = [name];
  }

  console.error(dim(`Running ${short}'s tests to see which exercises pass…`));
  const exercises = numbered(chapterResults([chapter], 'diff').get(chapter));
  const owners = new Map<string, string[]>();
  for (const exercise of exercises) {
    for (const testFile of new Set(exercise.tests.map((t) => t.file))) {
      for (const path of filesUnderTest(testFile, root)) {
        if (!path.startsWith(`chapters/${chapter}/`)) continue;
        const file = path.slice(`chapters/${chapter}/`.length);
        const list = owners.get(file) ?? [];
        if (!list.includes(exercise.id)) owners.set(file, [...list, exercise.id]);
      }
    }
  }
  const unfinished = new Set(exercises.filter((e) => e.state !== 'done').map((e) => e.id));
  const chapterDone = exercises.length > 0 && unfinished.size === 0;
  const blockers = (file: string) => {
    const ids = owners.get(file);
    if (ids === undefined) return chapterDone ? [] : ['the whole chapter'];
    return ids.filter((id) => unfinished.has(id));
  };

  const shown = force ? files : files.filter((f) => blockers(f).length === 0);
  const held = files.filter((f) => !shown.includes(f));
  const spoiled = force ? files.filter((f) => blockers(f).length > 0) : [];
  if (spoiled.length > 0) {
    console.error(yellow(`Warning: --force shows the reference for exercises whose tests do not pass yet (${[...new Set(spoiled.flatMap(blockers))].join(', ')}). It spoils them: try a hint first (npm run hint -- ${short}).`));
  }
  const out: string[] = [];
  for (const file of shown) {
    out.push(bold(`--- chapters/${chapter}/${file}  (yours)`), bold(`+++ solutions/${chapter}/${file}  (reference)`));
    for (const line of unifiedDiff(read('chapters', chapter, file), read('solutions', chapter, file))) {
      out.push(line.startsWith('@@') ? cyan(line) : line.startsWith('-') ? red(line) : line.startsWith('+') ? green(line) : line);
    }
    out.push('');
  }
  for (const file of held) {
    const ids = blockers(file);
    out.push(dim(`not shown: ${file}: its exercise${ids.length > 1 ? 's' : ''} ${ids.join(', ')} must pass first (or add --force, which spoils it)`));
  }
  if (files.length === 0) out.push(`Every file of chapters/${chapter}/ is the same as the reference.`);
  console.log(out.join('\n').trimEnd());
  return 0;
});

function read(tree: string, chapter: string, file: string): string {
  return readFileSync(join(root, tree, chapter, file), 'utf8');
}
