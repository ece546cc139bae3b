/**
 * `npm run check:determinism`: no wall clock, real sleeps or unseeded randomness in chapter code,
 * shared code or tests.
 *
 * Time comes from the simulator's virtual clock or an injected clock; randomness from a seeded
 * `Random` (shared/random.ts) or a seeded fast-check run. Benchmarks (bench/) and the project's
 * scripts may read the clock and are not checked. Comments are ignored.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './lib.js';

const forbidden: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bMath\.random\s*\(/, 'Math.random(): use a seeded Random from shared/random.ts'],
  [/\bDate\.now\s*\(/, 'Date.now(): use virtual time (the simulator clock or an injected clock)'],
  [/\bnew Date\s*\(/, 'new Date(): use virtual time (the simulator clock or an injected clock)'],
  [/\bperformance\.now\s*\(/, 'performance.now(): timing belongs in bench/, not in tests or code'],
  [/\b(setTimeout|setInterval|setImmediate)\s*\(/, 'real timers: schedule with virtual time instead'],
  [/\bprocess\.hrtime\b/, 'process.hrtime: timing belongs in bench/, not in tests or code'],
  [/\bcrypto\.(randomBytes|randomUUID|getRandomValues)\b/, 'unseeded randomness: use a seeded Random'],
];

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

const problems: string[] = [];
for (const top of ['chapters', 'solutions', 'shared', 'tests']) {
  let list: string[];
  try {
    list = files(join(root, top));
  } catch {
    continue;
  }
  for (const file of list) {
    const lines = readFileSync(file, 'utf8').split('\n');
    let inBlockComment = false;
    lines.forEach((raw, i) => {
      let line = raw;
      if (inBlockComment) {
        const end = line.indexOf('*/');
        if (end < 0) return;
        line = line.slice(end + 2);
        inBlockComment = false;
      }
      line = line.replace(/\/\*.*?\*\//g, '');
      const open = line.indexOf('/*');
      if (open >= 0) {
        inBlockComment = true;
        line = line.slice(0, open);
      }
      line = line.replace(/\/\/.*$/, '');
      for (const [pattern, why] of forbidden) {
        if (pattern.test(line)) problems.push(`${relative(root, file).replace(/\\/g, '/')}:${i + 1}: ${why}`);
      }
    });
  }
}

if (problems.length > 0) {
  console.error(`check:determinism: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('check:determinism: ok (no wall clock, real timers or unseeded randomness)');
