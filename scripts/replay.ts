/**
 * `npm run replay -- <test file> --seed N [--test "name"] [--solutions]`
 *
 * Re-runs one randomized test with one seed: the command a failing test prints, for example
 *
 *     npm run replay -- tests/chapter01-data-models/05-joins.test.ts --seed 17 --test "hash join and nested-loop join return the same rows on random tables (property)"
 *
 * It sets the seed in the environment of the vitest process it starts, which works in every
 * shell, including the Windows command prompt. The test name is matched exactly (vitest's `-t`
 * takes a regular expression, so the name is escaped, not passed as it is), and a replay that
 * runs no test fails loudly instead of passing.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root, runVitest, total } from './lib.js';

const usage = 'usage: npm run replay -- <test file> --seed N [--test "name"] [--solutions]';
const args = process.argv.slice(2);
let seed: string | undefined;
let test: string | undefined;
let solutions = false;
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--seed') seed = args[++i];
  else if (a === '--test') test = args[++i];
  else if (a === '--solutions') solutions = true;
  else files.push(a);
}
if (seed === undefined || !/^-?\d+$/.test(seed) || files.length === 0) {
  console.error(usage);
  process.exit(2);
}
for (const file of files) {
  if (!existsSync(join(root, file))) {
    console.error(`replay: no test file ${file}. Copy the command exactly as the failing test printed it.`);
    process.exit(2);
  }
}

/**
 * A `-t` pattern that matches exactly one test name. vitest matches the pattern against the
 * test's full name (its describe blocks and its own name, joined by spaces), so the name must
 * end the full name and begin it or follow a space.
 */
function exactNamePattern(name: string): string {
  const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return `(^| )${escaped}$`;
}

const vitestArgs = [...files];
if (test !== undefined) vitestArgs.push('-t', exactNamePattern(test));
if (solutions) vitestArgs.push('--mode', 'solutions');
console.log(`replaying with seed ${seed}${solutions ? ' against solutions/' : ''}`);
const run = runVitest(vitestArgs, { env: { DDIA_SEED: seed }, report: 'replay' });
const counts = total(run.files);
const ran = counts.passed + counts.failed;
if (ran === 0) {
  const which = test === undefined ? '' : ` named ${JSON.stringify(test)}`;
  console.error(`replay: no test${which} ran in ${files.join(', ')}. Check the name: it must match the test's own name exactly.`);
  process.exit(1);
}
console.log(`replay: ${ran} test(s) ran with seed ${seed}: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(run.status === 0 && counts.failed === 0 ? 0 : 1);
