/**
 * `npm run replay -- <test file> --seed N [--test "name"] [--solutions]`
 *
 * Re-runs one randomized test with one seed: the command a failing test prints. It sets the seed
 * in the environment of the vitest process it starts, which works in every shell, including the
 * Windows command prompt.
 */

import { runNode, tools } from './lib.js';

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
if (seed === undefined || !/^-?\d+$/.test(seed)) {
  console.error('usage: npm run replay -- <test file> --seed N [--test "name"] [--solutions]');
  process.exit(2);
}
const vitestArgs = ['run', ...files];
if (test !== undefined) vitestArgs.push('-t', test);
if (solutions) vitestArgs.push('--mode', 'solutions');
console.log(`replaying with seed ${seed}${solutions ? ' against solutions/' : ''}`);
const result = runNode(tools.vitest, vitestArgs, { env: { DDIA_SEED: seed } });
process.exit(result.status ?? 1);
