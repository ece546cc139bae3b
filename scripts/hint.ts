/**
 * `npm run hint -- chapterNN [N.M] [--reset]`: the next hint, one at a time.
 *
 * Without an exercise number it runs the chapter's tests and picks the first unfinished
 * exercise. Hints come from the `<details>` blocks of the chapter's notes (see scripts/notes.ts),
 * so the notes stay the one place they are written. Which hints were shown is remembered in
 * `.workshop/state.json` (git-ignored): each call shows the next one; `--reset` forgets them.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exerciseNotes } from './notes.js';
import { root } from './lib.js';
import { chapterResults, commandLine, findChapter, main, numbered, palette, readState, UsageError, writeState } from './workshop.js';

main('hint', () => {
  const { flags, positional } = commandLine('usage: npm run hint -- chapterNN [exercise number, e.g. 1.2] [--reset]', 2);
  const [chapterArg, exerciseArg] = positional;
  const reset = flags.has('--reset');
  const chapter = findChapter(chapterArg);
  const short = chapter.slice(0, 9);
  const notesPath = `chapters/${chapter}/README.md`;
  const notes = exerciseNotes(readFileSync(join(root, notesPath), 'utf8'));
  const { bold, dim, yellow } = palette();

  let id = exerciseArg?.replace(/^exercise\s*/i, '');
  if (id !== undefined && !/^\d+\.\d+$/.test(id)) throw new UsageError(`"${exerciseArg}" is not an exercise number; write it as in the notes, e.g. 1.2`);
  if (id === undefined) {
    console.error(dim(`Running ${short}'s tests to find your next exercise…`));
    const next = numbered(chapterResults([chapter], 'hint').get(chapter)).find((e) => e.state === 'failing' || e.state === 'not started');
    if (next === undefined) {
      console.log(`Every exercise of ${short} passes its tests: no hint needed. Name one to read its hints: npm run hint -- ${short} 1.1`);
      return 0;
    }
    id = next.id;
  }

  const exercise = notes.find((e) => e.id === id);
  if (exercise === undefined) {
    throw new UsageError(`${notesPath} has no exercise ${id}; its exercises are ${notes.map((e) => e.id).join(', ')}`);
  }
  const key = `${chapter} ${id}`;
  const state = readState();
  if (reset) {
    delete state.hints[key];
    writeState(state);
    console.log(`Forgot the hints shown for exercise ${id} of ${short}; the next call starts at the first.`);
    return 0;
  }
  const where = `${notesPath}, section "${exercise.heading}"`;
  const total = exercise.hints.length;
  if (total === 0) {
    console.log(`Exercise ${exercise.heading} has no hints in the notes. Read ${where}, and the test's message: it names the rule that failed.`);
    return 0;
  }
  const shown = Math.min(state.hints[key] ?? 0, total);
  const index = shown < total ? shown : total - 1;
  const hint = exercise.hints[index]!;
  state.hints[key] = index + 1;
  writeState(state);

  const lines = [bold(`Exercise ${exercise.heading}: hint ${index + 1} of ${total}${hint.title ? `: ${hint.title}` : ''}`), dim(`  from ${where}`), ''];
  lines.push(...hint.body.split('\n').map((l) => (l === '' ? l : `  ${l}`)), '');
  if (shown >= total) lines.push(yellow(`That was the last hint again: all ${total} are shown. Start over with: npm run hint -- ${short} ${id} --reset`));
  else if (index + 1 < total) lines.push(dim(`Another ${total - index - 1} hint(s): run the same command again.`));
  else lines.push(dim('That was the last hint for this exercise.'));
  console.log(lines.join('\n'));
  return 0;
});
