/**
 * `npm run progress [-- chapterNN ...] [--markdown]`: every chapter's exercises, tests passed of
 * total and state, on the learner's code in `chapters/`. `--markdown` prints a table to paste
 * into an issue or a message to a teacher.
 */

import type { Exercise } from './exercises.js';
import { testChapters } from './lib.js';
import { chapterResults } from './workshop.js';

const args = process.argv.slice(2);
const markdown = args.includes('--markdown');
const wanted = args.filter((a) => !a.startsWith('-'));
const chapters = testChapters().filter((c) => wanted.length === 0 || wanted.some((w) => c.includes(w)));
if (chapters.length === 0) {
  console.error(`progress: no chapter matches ${wanted.join(', ')}; use two digits, e.g. chapter01`);
  process.exit(2);
}

const groups = chapterResults(chapters, 'progress');

const count = (e: Exercise) => `${e.passed}/${e.passed + e.failed}`;
const lines: string[] = [];
if (markdown) lines.push('| chapter | exercise | tests | state |', '|---|---|--:|---|');
for (const chapter of chapters) {
  const exercises = groups.get(chapter) ?? [];
  const passed = exercises.reduce((n, e) => n + e.passed, 0);
  const total = exercises.reduce((n, e) => n + e.passed + e.failed, 0);
  if (!markdown) lines.push(`${chapter}  ${passed} of ${total} tests pass`);
  for (const e of exercises) {
    const name = e.number ? `${e.id} ${e.title}` : e.title;
    if (markdown) lines.push(`| ${chapter.slice(0, 9)} | ${name.replace(/\|/g, '\\|')} | ${count(e)} | ${e.state} |`);
    else lines.push(`  ${(e.number ? e.id : '·').padEnd(5)} ${name.slice(e.number ? e.id.length + 1 : 0).padEnd(58)} ${count(e).padStart(7)}  ${e.state}`);
  }
}
console.log(lines.join('\n'));
