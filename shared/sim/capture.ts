/**
 * Which simulations a piece of code builds, so that a failing seed can show what they did.
 *
 * A seed sweep runs its scenario inside {@link captureSimulations}; every `Simulation` built
 * meanwhile registers here. When the scenario fails with its trace off (for speed), the sweep
 * runs the same seed again with `forceTrace`, which turns recording on in every simulation the
 * scenario builds: same seed, same run, now with a diagram to print. Recording changes no random
 * draw and no event order, so the replay is the failing run.
 * @module
 */

/** What a captured simulation offers: its trace. */
export interface Captured {
  readonly trace: {
    readonly recording: boolean;
    readonly events: readonly unknown[];
    diagram(options?: { readonly last?: number }): string;
  };
}

interface Capture {
  readonly forceTrace: boolean;
  readonly simulations: Captured[];
  /** The capture this one runs inside (a sweep inside a sweep), which sees its simulations too. */
  readonly outer: Capture | undefined;
}

let current: Capture | undefined;

/**
 * Runs `run`, collecting every simulation it builds (with their traces on if `forceTrace`).
 * Returns them, with `run`'s error if it threw.
 */
export function captureSimulations(run: () => void, forceTrace = false): { simulations: Captured[]; error?: unknown; failed: boolean } {
  const outer = current;
  const capture: Capture = { forceTrace: forceTrace || outer?.forceTrace === true, simulations: [], outer };
  current = capture;
  try {
    run();
    return { simulations: capture.simulations, failed: false };
  } catch (error) {
    return { simulations: capture.simulations, error, failed: true };
  } finally {
    current = outer;
  }
}

/** @internal Called by each new simulation: registers it with the capture under way, if any. */
export function registerSimulation(simulation: Captured): void {
  for (let capture = current; capture !== undefined; capture = capture.outer) capture.simulations.push(simulation);
}

/** @internal Whether a capture wants traces on, asked before the simulation exists. */
export function tracesForced(): boolean {
  return current?.forceTrace === true;
}
