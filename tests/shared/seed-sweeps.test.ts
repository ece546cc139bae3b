import { describe, expect, it } from 'vitest';
import { Simulation } from '../../shared/sim/index.js';
import { forEachSimulation } from '../../shared/testing/simulation.js';
import { Gossip, type TestMessage } from './support/nodes.js';

describe('forEachSimulation, the seed sweep for simulations', () => {
  it('runs the scenario once per seed, each seed a different run', () => {
    const seen: number[] = [];
    const traces = new Set<string>();
    forEachSimulation(4, (seed, watch) => {
      const sim = watch(new Simulation<TestMessage, Gossip>({ seed, nodes: ['a', 'b', 'c'], factory: (ctx) => new Gossip(ctx, 3) }));
      sim.runUntilQuiet();
      seen.push(seed);
      traces.add(sim.trace.toJSON());
    });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(traces.size).toBe(4);
  });

  it('a failure keeps its message and adds the last events, the seed and the replay command', () => {
    let message = '';
    try {
      forEachSimulation(5, (seed, watch) => {
        const sim = watch(new Simulation<TestMessage, Gossip>({ seed, nodes: ['a', 'b'], factory: (ctx) => new Gossip(ctx, 3) }));
        sim.runUntilQuiet();
        if (seed === 3) throw new Error('replicas diverged');
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^replicas diverged/);
    expect(message).toMatch(/last events[\s\S]*time ms\s+a\s+b/);
    expect(message).toMatch(/Failed with seed 3\. Replay exactly this run with:/);
    expect(message).toMatch(/npm run replay -- tests\/shared\/seed-sweeps\.test\.ts --seed 3 --test "a failure keeps/);
  });
});
