/**
 * The deterministic simulator, in one import:
 *
 * ```ts
 * import { Simulation, type NodeContext, type SimNode } from '../../shared/sim/index.js';
 * ```
 *
 * See `shared/README.md` for a walk-through.
 * @module
 */

export { type ClockOptions, type ClockStep } from './clock.js';
export { EventQueue, type QueueEntry } from './event-queue.js';
export { StaleNodeError, type NodeContext, type NodeFactory, type NodeId, type SimNode, type TimerId } from './node.js';
export { DEFAULT_LINK, Network, sampleLatency, type Latency, type LinkOptions, type ResolvedLink } from './network.js';
export {
  estimateBytes,
  Simulation,
  SimulationError,
  type CrashableDisk,
  type NodeCrashOptions,
  type NodeSpec,
  type NodeStatus,
  type RunOptions,
  type RunUntilOptions,
  type SimulationFailure,
  type SimulationOptions,
} from './simulation.js';
export { describeMessage, jsonReplacer, Trace, type Counters, type DiagramOptions, type DropReason, type TraceEvent } from './trace.js';
