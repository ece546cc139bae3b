/**
 * Seed sweeps for simulations: run a scenario under many seeds, and when one fails, show what
 * the simulation was doing.
 *
 * ```ts
 * forEachSimulation(20, (seed, watch) => {
 *   const sim = watch(new Simulation<Msg, Replica>({ seed, nodes, factory }));
 *   sim.runUntilQuiet();
 *   expect(sim.node('n1').log).toEqual(sim.node('n2').log);
 * });
 * ```
 *
 * A failure's message keeps its original text and diff, then adds the last events of the
 * watched simulation as a space-time diagram, then the seed and the one command that replays
 * exactly that run (`npm run replay -- <file> --seed N --test "<name>"`, the same on every OS).
 * A simulation built with `trace: false` (for speed) is replayed with its trace on to draw it.
 * @module
 */

import type { Trace } from '../sim/trace.js';
import { runSeed, sweepSeeds } from './replay.js';

/** Options of {@link forEachSimulation}. */
export interface SimulationSweepOptions {
  /** The first seed of the sweep (default 1). */
  readonly first?: number;
  /** How many of the last trace events to draw on failure (default 40). */
  readonly diagramEvents?: number;
}

/** Registers a simulation whose trace is drawn if the scenario fails; returns it unchanged. */
export type Watch = <T extends { readonly trace: Trace }>(simulation: T) => T;

/**
 * Runs `scenario` once per seed (`count` seeds, or only the pinned one during a replay). The
 * first failure is rethrown with the watched simulation's recent events (the last simulation
 * built if none is watched; replayed with its trace on if it was off), its seed and its replay
 * command.
 */
export function forEachSimulation(
  count: number,
  scenario: (seed: number, watch: Watch) => void,
  options: SimulationSweepOptions = {},
): void {
  for (const seed of sweepSeeds(count, options.first ?? 1)) {
    runSeed(
      seed,
      (register) =>
        scenario(seed, (simulation) => {
          register(simulation);
          return simulation;
        }),
      options.diagramEvents,
    );
  }
}
