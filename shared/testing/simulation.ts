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
 * @module
 */

import type { Trace } from '../sim/trace.js';
import { sweepSeeds, withReplay } from './replay.js';

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
 * first failure is rethrown with the watched simulation's recent events, its seed and its replay
 * command.
 */
export function forEachSimulation(
  count: number,
  scenario: (seed: number, watch: Watch) => void,
  options: SimulationSweepOptions = {},
): void {
  for (const seed of sweepSeeds(count, options.first ?? 1)) {
    let watched: { readonly trace: Trace } | undefined;
    const watch: Watch = (simulation) => {
      watched = simulation;
      return simulation;
    };
    try {
      scenario(seed, watch);
    } catch (error) {
      if (watched !== undefined && watched.trace.recording && error instanceof Error) {
        const diagram = watched.trace.diagram({ last: options.diagramEvents ?? 40 });
        error.message += `\n\nThe simulation's last events (time flows down, one column per node):\n${diagram}`;
      }
      throw withReplay(error, seed);
    }
  }
}
