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
import { captureSimulations, type Captured } from '../sim/capture.js';

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
 * Runs `scenario` once per seed. The first failure is rethrown with its seed and replay command,
 * and, if the scenario built simulations, the last events of the last one as a diagram.
 * Scenarios must draw all randomness from the seed they are given.
 */
export function forEachSeed(count: number, scenario: (seed: number) => void, first = 1): void {
  for (const seed of sweepSeeds(count, first)) runSeed(seed, () => scenario(seed));
}

/**
 * @internal Runs one seed of a sweep. `scenario` may name the simulation to show with `watch`;
 * otherwise the last one it built is shown. If that simulation recorded nothing (trace off), the
 * seed runs once more with every trace on, and that run's diagram is shown: the same seed gives
 * the same run, so it is the failing one. During a replay every trace is on from the start. The
 * error is rethrown with the seed and replay command.
 */
export function runSeed(seed: number, scenario: (watch: (simulation: Captured) => void) => void, diagramEvents = 40): void {
  let watched: Captured | undefined;
  const watch = (simulation: Captured) => {
    watched = simulation;
  };
  // A replay (`npm run replay -- … --seed N`) records from the start: it is run to be looked at.
  const run = captureSimulations(() => scenario(watch), pinnedSeed() !== undefined);
  if (!run.failed) return;
  const error = run.error;
  let shown = watched ?? run.simulations.at(-1);
  let note = '';
  if (shown !== undefined && !shown.trace.recording) {
    watched = undefined;
    const replay = captureSimulations(() => scenario(watch), true);
    shown = watched ?? replay.simulations.at(-1);
    note = replay.failed
      ? ' (the seed replayed with the trace on)'
      : ' (the seed replayed with the trace on, and this time it passed: does the scenario draw randomness outside its seed?)';
  }
  if (shown !== undefined && shown.trace.recording && error instanceof Error) {
    const diagram = shown.trace.diagram({ last: diagramEvents });
    error.message += `\n\nThe simulation's last events${note} (time flows down, one column per node):\n${diagram}`;
  }
  throw withReplay(error, seed);
}
