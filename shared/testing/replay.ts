/**
 * Seeds and replay commands for randomized tests.
 *
 * Every randomized test draws from a seed. When one fails, its message ends with the seed and one
 * command that re-runs exactly that test with exactly that seed, for example
 *
 *     npm run replay -- tests/chapter01-data-models/05-joins.test.ts --seed 17 --test "hash join and nested-loop join return the same rows on random tables (property)"
 *
 * The command is the same on Linux, macOS and Windows: `scripts/replay.ts` passes the seed to the
 * test through the environment itself, so no shell syntax such as `VAR=x` is needed.
 * @module
 */

import { expect } from 'vitest';

/** Environment variable through which `npm run replay` pins a test to one seed. */
export const SEED_ENV = 'DDIA_SEED';
/** Set by vitest.config.ts to the tree under test: `chapters`, `solutions` or a mutant folder. */
export const TREE_ENV = 'DDIA_TREE';

/** The seed pinned by `npm run replay`, if any. */
export function pinnedSeed(): number | undefined {
  const raw = process.env[SEED_ENV];
  if (raw === undefined || raw === '') return undefined;
  const seed = Number(raw);
  if (!Number.isInteger(seed)) throw new Error(`${SEED_ENV}=${raw} is not an integer seed`);
  return seed;
}

/** The command that replays the current test with `seed`. */
export function replayCommand(seed: number): string {
  const state = expect.getState();
  const root = process.cwd().replace(/\\/g, '/');
  let file = (state.testPath ?? '').replace(/\\/g, '/');
  if (file.startsWith(root + '/')) file = file.slice(root.length + 1);
  // The test name vitest reports includes the describe blocks, joined by " > ".
  const name = (state.currentTestName ?? '').split(' > ').pop() ?? '';
  const tree = process.env[TREE_ENV] === 'solutions' ? ' --solutions' : '';
  return `npm run replay -- ${file} --seed ${seed} --test ${JSON.stringify(name)}${tree}`;
}

/** Adds the seed and the replay command to a failure, keeping its original message and diff. */
export function withReplay(error: unknown, seed: number): unknown {
  const note = `\n\nFailed with seed ${seed}. Replay exactly this run with:\n  ${replayCommand(seed)}\n`;
  if (error instanceof Error) {
    error.message += note;
    return error;
  }
  return new Error(String(error) + note);
}

/**
 * A stable 32-bit hash of a string (FNV-1a), used to give each test its own default seed.
 * Returned as a signed 32-bit integer, the form fast-check prints, so both report one number.
 */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/**
 * The seeds a sweep should run: `count` seeds starting at `first`, or only the pinned one when a
 * replay is under way.
 */
export function sweepSeeds(count: number, first = 1): number[] {
  const pinned = pinnedSeed();
  if (pinned !== undefined) return [pinned];
  return Array.from({ length: count }, (_, i) => first + i);
}

/**
 * Runs `scenario` once per seed. The first failure is rethrown with its seed and replay command.
 * Scenarios must draw all randomness from the seed they are given.
 */
export function forEachSeed(count: number, scenario: (seed: number) => void, first = 1): void {
  for (const seed of sweepSeeds(count, first)) {
    try {
      scenario(seed);
    } catch (error) {
      throw withReplay(error, seed);
    }
  }
}
