/**
 * fast-check, always seeded. fast-check picks a random seed when none is given; we never let it,
 * so a property test is as reproducible as any other. The default seed is derived from the test's
 * name, so every test explores different inputs, the same ones on every run.
 * @module
 */

import fc from 'fast-check';
import { expect } from 'vitest';
import { hashSeed, pinnedSeed, withReplay } from './replay.js';

/** Options for {@link checkProperty}. */
export interface PropertyOptions {
  /** How many random cases to try (default 100). */
  readonly numRuns?: number;
}

/**
 * Asserts a fast-check property with a fixed seed. On failure the message shows fast-check's
 * shrunk counterexample, then the seed and one command that replays it.
 */
export function checkProperty<Ts>(property: fc.IProperty<Ts>, options: PropertyOptions = {}): void {
  const seed = pinnedSeed() ?? hashSeed(expect.getState().currentTestName ?? '');
  try {
    fc.assert(property, { seed, numRuns: options.numRuns ?? 100 });
  } catch (error) {
    throw withReplay(error, seed);
  }
}
