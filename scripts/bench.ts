/**
 * `npm run bench -- <name>`: runs the benchmarks in `bench/` whose file name starts with <name>,
 * e.g. `npm run bench -- chapter02` or `npm run bench -- shared`. Without a name, lists them.
 * Benchmarks measure wall-clock time and are never part of the tests.
 */

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, runNode, tools } from './lib.js';

const available = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (wanted.length === 0) {
  console.log(`usage: npm run bench -- <name>\navailable:\n${available.map((f) => `  ${f.replace('.bench.ts', '')}`).join('\n')}`);
  process.exit(0);
}
let failed = false;
for (const name of wanted) {
  const files = available.filter((f) => f.startsWith(name));
  if (files.length === 0) {
    console.error(`no benchmark matches "${name}"; available: ${available.join(', ') || 'none'}`);
    failed = true;
  }
  for (const file of files) {
    console.log(`\n=== ${file} ===`);
    const result = runNode(tools.tsx, ['--expose-gc', join('bench', file)]);
    if (result.status !== 0) failed = true;
  }
}
process.exit(failed ? 1 : 0);
