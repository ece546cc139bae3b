/**
 * The deterministic simulator: nodes, a faulty network, timers and crashes on virtual time.
 *
 * A {@link Simulation} owns an agenda of future events (message deliveries, timer firings, ticks
 * and actions scheduled by the test), ordered by `(time, sequence)`. Running the simulation pops
 * the earliest event, moves the virtual clock to its time and hands it to the node it concerns.
 * Nothing waits for real time, so a minute of timeouts runs in milliseconds, and every random
 * choice comes from one seed, so a seed replays a run exactly, event for event.
 *
 * ```ts
 * const sim = new Simulation<Ping>({ seed, nodes: ['a', 'b'], factory: (ctx) => new Pinger(ctx) });
 * sim.runUntil(() => sim.node('a').pongs === 3);
 * ```
 *
 * See `shared/README.md` for a walk-through.
 * @module
 */

import { UsageError } from '../errors.js';
import type { FileSystem } from '../fs/file-system.js';
import { SimDisk, type CrashOptions } from '../fs/sim-disk.js';
import { Random } from '../random.js';
import { registerSimulation, tracesForced } from './capture.js';
import { LocalClock, type ClockOptions } from './clock.js';
import { EventQueue } from './event-queue.js';
import { GuardedDisk } from './guarded-disk.js';
import { Fate, Network, type LinkOptions } from './network.js';
import { StaleNodeError, type NodeContext, type NodeFactory, type NodeId, type SimNode, type TimerId } from './node.js';
import { describeMessage, Trace, type Counters, type DropReason } from './trace.js';

/** A disk that can be crashed, as `SimDisk` can: it keeps only what survives under `options`. */
export interface CrashableDisk {
  /** Drops what a power failure would drop; `options` can keep or tear unsynced writes. */
  crash(options?: CrashOptions): void;
}

/** How {@link Simulation.crash} crashes a node: its disk's crash options, and its messages. */
export interface NodeCrashOptions extends CrashOptions {
  /**
   * Also drop the messages the node sent that are still in flight (default `false`: a message
   * already sent is on the wire and arrives even though its sender is gone, as on a real network).
   */
  readonly dropInFlight?: boolean;
}

/**
 * One node of a simulation, when a plain id is not enough. A plain id `'n1'` is
 * `{ id: 'n1', group: 'main' }`, started at once.
 */
export interface NodeSpec {
  readonly id: NodeId;
  /**
   * The group the node replicates with (`ctx.group`, `ctx.peers`), default `'main'`. `null`
   * puts it in no group: a client or a controller, which may talk to every node (`ctx.nodes`)
   * but is nobody's peer.
   */
  readonly group?: string | null;
  /** Start the node now (default `true`); `false` leaves it down until `sim.start(id)`. */
  readonly start?: boolean;
  /** Its local clocks: offset, drift, scheduled steps (default: a perfect clock). */
  readonly clock?: ClockOptions;
}

/** How to build a simulation. */
export interface SimulationOptions<M, N extends SimNode<M>> {
  /**
   * The seed every random choice derives from. Each directed link, each node incarnation's
   * `random` and each node's disk draws from a stream of its own, derived from the seed and the
   * names (`Random.stream`), so what one node does never shifts another's random choices.
   */
  readonly seed: number;
  /**
   * The nodes, as ids or {@link NodeSpec}s, in a fixed order (the column order of the diagram).
   * More can join during the run with {@link Simulation.addNode}.
   */
  readonly nodes: ReadonlyArray<NodeId | NodeSpec>;
  /** Builds a node for a context, at the start and on every restart. */
  readonly factory: NodeFactory<M, N>;
  /** Default behaviour of every link (latency, loss, duplication). */
  readonly network?: LinkOptions;
  /** When set, every node with an `onTick` handler gets one call every `tickMs` of virtual time. */
  readonly tickMs?: number;
  /**
   * Builds each node's disk, once per node: it survives the node's crashes. Default: a fresh
   * `SimDisk` per node, seeded from the simulation's seed. When the disk has a `crash()` method
   * (the simulated disk does), crashing the node crashes its disk too, so the restarted node sees
   * only what survives (by default: exactly what was synced).
   */
  readonly disk?: (node: NodeId, random: Random) => FileSystem;
  /**
   * Record every event in the trace (default `true`). Counters are kept either way. When a seed
   * sweep's scenario fails with the trace off, the sweep replays the seed with it on, to show
   * the failing run's diagram.
   */
  readonly trace?: boolean;
  /**
   * Deliver a deep copy of each message rather than the sent object (default `true`), so that a
   * sender mutating what it sent, or two receivers of one message, cannot share state the way
   * they never could over a real network. Messages must then be plain data: objects, arrays,
   * strings, numbers, booleans, bigints, `Uint8Array`s, maps and sets; sending a class instance
   * throws a `UsageError`.
   */
  readonly copyMessages?: boolean;
  /** The size of a message in bytes, for the `bytesSent` counter (default: {@link estimateBytes}). */
  readonly messageBytes?: (message: M) => number;
  /** One-line rendering of a message for the diagram (default: its `type` and JSON). */
  readonly describe?: (message: M) => string;
  /** Default event budget of each `run…` call (default 1,000,000); exceeding it throws. */
  readonly maxEvents?: number;
}

/** Limits of one `run…` call. */
export interface RunOptions {
  /** Throw a {@link SimulationError} (`reason: 'budget'`) after this many events. */
  readonly maxEvents?: number;
}

/** Limits of {@link Simulation.runUntil}. */
export interface RunUntilOptions extends RunOptions {
  /**
   * Throw a {@link SimulationError} (`reason: 'deadline'`) if the condition does not hold within
   * this many virtual milliseconds.
   */
  readonly withinMs?: number;
}

/** Where a node is in its life. */
export type NodeStatus =
  /** Declared or added with `start: false`, never started yet. */
  | 'not-started'
  | 'up'
  | 'crashed'
  /** Stopped cleanly with {@link Simulation.stop}: its disk kept everything it was given. */
  | 'stopped'
  /** Removed with {@link Simulation.removeNode}: gone for good. */
  | 'removed';

/** Why a run stopped without reaching its goal. */
export type SimulationFailure =
  /** The event budget ran out: a livelock, or a scenario that needs a larger `maxEvents`. */
  | 'budget'
  /** Nothing was left to happen and the awaited condition still did not hold. */
  | 'stalled'
  /** The awaited condition did not hold within `withinMs`. */
  | 'deadline';

/** A run could not reach its goal. The message ends with the last events of the trace. */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';
  /** What went wrong. */
  readonly reason: SimulationFailure;
  /** Virtual time when the run stopped, in milliseconds. */
  readonly time: number;

  constructor(reason: SimulationFailure, time: number, detail: string, tail: string) {
    super(`${detail} (virtual time ${time.toFixed(3)} ms)${tail ? `\nlast events:\n${tail}` : ''}`);
    this.reason = reason;
    this.time = time;
  }
}

// Event kinds, as small integers: the hot loop switches on them.
const DELIVER = 0;
const TIMER = 1;
const TICK = 2;
const ACTION = 3;
// A scheduled change of a node's clock: like an action, but not pending work.
const CLOCK = 4;

// One class for every event keeps the hot loop monomorphic (one hidden class, fast property reads).
class SimEvent<M> {
  time = 0;
  seq = 0;
  kind = DELIVER;
  /** Target node index (receiver, timer owner, ticking node); -1 for actions. */
  node = -1;
  /** The target's generation when scheduled; the event is void if it changed. */
  generation = 0;
  /** Sender index and generation, for deliveries. */
  from = -1;
  fromGeneration = 0;
  message: M | undefined = undefined;
  /** The trace's copy of the message as it was sent (only while recording). */
  traced: unknown = undefined;
  /** Message id, or timer id. */
  id = 0;
  name = '';
  cancelled = false;
  action: (() => void) | undefined = undefined;
}

/**
 * A deterministic simulation of `nodes` exchanging messages of type `M`.
 *
 * @typeParam M - the message type, usually a discriminated union.
 * @typeParam N - the node class, so that {@link Simulation.node} returns it typed.
 */
export class Simulation<M, N extends SimNode<M> = SimNode<M>> {
  /** The seed this simulation was built from. */
  readonly seed: number;
  private readonly idList: NodeId[] = [];
  /** The network: change latency, loss, duplication and partitions at any time. */
  readonly network: Network;
  /** The record of this run. */
  readonly trace: Trace;

  private clock = 0;
  private readonly queue = new EventQueue<SimEvent<M>>();
  private readonly factory: NodeFactory<M, N>;
  private readonly makeDisk: (node: NodeId, random: Random) => FileSystem;
  private readonly tickMs: number | undefined;
  private readonly copyMessages: boolean;
  private readonly messageBytes: (message: M) => number;
  private readonly maxEvents: number;
  // Per node, by index.
  private readonly instances: Array<N | undefined> = [];
  private readonly up: boolean[] = [];
  private readonly status: NodeStatus[] = [];
  private readonly groups: Array<string | null> = [];
  // Bumped on every change of membership: contexts recompute their lists of nodes.
  private membership = 0;
  // Bumped on every crash: contexts, timers and in-flight messages of an older generation are void.
  private readonly generation: number[] = [];
  private readonly restarts: number[] = [];
  // Messages from a generation below dropBelow[i] are dropped on arrival (a crash with dropInFlight).
  private readonly dropBelow: number[] = [];
  private readonly disks: FileSystem[] = [];
  private readonly clocks: LocalClock[] = [];
  // A paused node's deliveries and timers wait in held[i] until it resumes at pauseEnds[i].
  private readonly paused: boolean[] = [];
  private readonly pauseEnds: number[] = [];
  private readonly held: Array<Array<SimEvent<M>>> = [];
  // The node whose disk crashed it during the current step, or -1.
  private crashedByDisk = -1;
  private readonly timers = new Map<TimerId, SimEvent<M>>();
  private nextTimerId = 1;
  private nextMessageId = 1;
  // The network writes each message's latencies here: no array per send.
  private readonly delays = [0, 0];
  // Deliveries, timers and actions still queued; ticks do not count (they never stop).
  private pendingWork = 0;

  /** Builds the nodes and starts them (their `onStart` runs at virtual time 0). */
  constructor(options: SimulationOptions<M, N>) {
    const specs = options.nodes.map(toSpec);
    const ids = specs.map((spec) => spec.id);
    if (ids.length === 0) throw new UsageError('a simulation needs at least one node');
    if (new Set(ids).size !== ids.length) throw new UsageError(`node ids must be unique: ${ids.join(', ')}`);
    if (options.tickMs !== undefined && !(options.tickMs > 0)) {
      throw new UsageError(`tickMs must be > 0, got ${options.tickMs}`);
    }
    this.seed = options.seed;
    this.factory = options.factory;
    this.makeDisk = options.disk ?? ((_id: NodeId, random: Random) => new SimDisk(random));
    this.tickMs = options.tickMs;
    this.copyMessages = options.copyMessages ?? true;
    this.messageBytes = options.messageBytes ?? estimateBytes;
    this.maxEvents = options.maxEvents ?? 1_000_000;
    const describe = options.describe;
    this.trace = new Trace(
      [],
      // A seed sweep replaying a failure turns every trace on (capture.ts).
      tracesForced() || (options.trace ?? true),
      describe === undefined ? describeMessage : (message) => describe(message as M),
    );
    this.network = new Network(options.seed, (change) => this.trace.record({ kind: 'partition', time: this.clock, change }));
    registerSimulation(this);
    if (options.network !== undefined) this.network.configure(options.network);
    for (const spec of specs) this.join(spec);
    for (const spec of specs) if (spec.clock !== undefined) this.setClock(spec.id, spec.clock);
    for (let i = 0; i < specs.length; i++) if (specs[i]!.start !== false) this.boot(i);
  }

  /** Every node id, declared or added, removed ones included, in the order they joined. */
  get ids(): readonly NodeId[] {
    return this.idList;
  }

  /** The current virtual time, in milliseconds. */
  get now(): number {
    return this.clock;
  }

  /** Run totals: events, messages, bytes, fsyncs… (the same object as `trace.counters`). */
  get stats(): Readonly<Counters> {
    return this.trace.counters;
  }

  /** Events still to happen, not counting ticks. Zero means the simulation is quiet. */
  get pending(): number {
    return this.pendingWork;
  }

  /** The live instance of node `id`. Throws a `UsageError` while the node is not up. */
  node(id: NodeId): N {
    const i = this.network.indexOf(id);
    const instance = this.instances[i];
    if (!this.up[i] || instance === undefined) {
      throw new UsageError(`node ${id} is ${this.status[i]}; ${this.status[i] === 'not-started' ? 'start' : 'restart'} it first`);
    }
    return instance;
  }

  /** True while node `id` is running (started, and not crashed, stopped or removed). */
  isUp(id: NodeId): boolean {
    return this.up[this.network.indexOf(id)]!;
  }

  /** Where node `id` is in its life: not started, up, crashed, stopped or removed. */
  statusOf(id: NodeId): NodeStatus {
    return this.status[this.network.indexOf(id)]!;
  }

  /** The group of node `id` (`null`: none, a client or a controller). */
  groupOf(id: NodeId): string | null {
    return this.groups[this.network.indexOf(id)]!;
  }

  /**
   * Adds a node during the run: it gets links like everyone else's, a fresh disk, a place in its
   * group (every member's `ctx.group` now lists it) and, unless `start: false`, starts now.
   * Ids are never reused, not even a removed node's.
   */
  addNode(node: NodeId | NodeSpec): void {
    const spec = toSpec(node);
    if (this.ids.includes(spec.id)) throw new UsageError(`node id ${spec.id} is taken: ids are unique and never reused`);
    const i = this.join(spec);
    this.trace.record({ kind: 'add', time: this.clock, node: spec.id, group: this.groups[i] ?? null });
    if (spec.clock !== undefined) this.setClock(spec.id, spec.clock);
    if (spec.start !== false) this.start(spec.id);
  }

  /** Starts a node that has never run (declared or added with `start: false`). */
  start(id: NodeId): void {
    const i = this.network.indexOf(id);
    if (this.status[i] !== 'not-started') throw new UsageError(`node ${id} is ${this.status[i]}: start is for a node that never ran`);
    this.trace.record({ kind: 'start', time: this.clock, node: id });
    this.boot(i);
  }

  /**
   * Stops node `id` cleanly: like a crash, its instance, timers and context are gone and
   * messages on their way to it are lost, but its disk keeps everything, synced or not (the
   * operating system is still up), and its messages in flight arrive. `restart` brings it back.
   */
  stop(id: NodeId): void {
    const i = this.network.indexOf(id);
    if (!this.up[i]) throw new UsageError(`node ${id} is ${this.status[i]}; only a running node can stop`);
    this.takeDown(i, 'stopped', false, '');
  }

  /**
   * Removes node `id` from the simulation for good: stopped if it runs, out of its group and of
   * every `ctx.nodes`; messages to it are dropped. Its id, column and disk stay for the record.
   */
  removeNode(id: NodeId): void {
    const i = this.network.indexOf(id);
    if (this.status[i] === 'removed') throw new UsageError(`node ${id} is already removed`);
    if (this.up[i]) this.takeDown(i, 'removed', false, '');
    this.status[i] = 'removed';
    this.membership++;
    this.trace.record({ kind: 'remove', time: this.clock, node: id });
  }

  /** @internal Every node still in the simulation; its group; its group without itself. */
  membersOf(i: number): { nodes: NodeId[]; group: NodeId[]; peers: NodeId[]; version: number } {
    const nodes: NodeId[] = [];
    const group: NodeId[] = [];
    const mine = this.groups[i];
    for (let j = 0; j < this.ids.length; j++) {
      if (this.status[j] === 'removed') continue;
      nodes.push(this.ids[j]!);
      if (mine !== null && this.groups[j] === mine) group.push(this.ids[j]!);
    }
    return { nodes, group, peers: group.filter((id) => id !== this.ids[i]), version: this.membership };
  }

  /** @internal The current membership version. */
  get membershipVersion(): number {
    return this.membership;
  }

  private join(spec: NodeSpec): number {
    const i = this.network.addNode(spec.id);
    this.idList.push(spec.id);
    this.trace.addNode(spec.id);
    this.instances.push(undefined);
    this.up.push(false);
    this.status.push('not-started');
    this.groups.push(spec.group === undefined ? 'main' : spec.group);
    this.generation.push(0);
    this.restarts.push(0);
    this.dropBelow.push(0);
    this.disks.push(this.makeDisk(spec.id, Random.stream(this.seed, 'disk', spec.id)));
    this.clocks.push(new LocalClock());
    this.paused.push(false);
    this.pauseEnds.push(0);
    this.held.push([]);
    this.membership++;
    return i;
  }

  /**
   * The disk of node `id`, as built by the `disk` option (a `SimDisk` by default), for a test to
   * inspect or corrupt. Nodes use theirs through `context.disk`.
   */
  disk(id: NodeId): FileSystem {
    return this.disks[this.network.indexOf(id)]!;
  }

  /**
   * Crashes node `id` now: its instance is discarded with its memory and timers, messages in
   * flight to it will be dropped, and its old context becomes stale. Messages it already sent
   * still arrive, unless `dropInFlight` is set. Its disk, if it can crash, crashes too, under
   * the rest of `options` (by default a `SimDisk` keeps exactly what was synced;
   * `{ unsyncedWrites: 'tear-last' }` also keeps a torn prefix of the last unsynced write).
   */
  crash(id: NodeId, options: NodeCrashOptions = {}): void {
    const i = this.network.indexOf(id);
    if (!this.up[i]) throw new UsageError(`node ${id} is ${this.status[i]}; only a running node can crash`);
    const { dropInFlight, ...diskCrash } = options;
    const disk = this.disks[i]!;
    if (isCrashable(disk)) disk.crash(diskCrash);
    this.takeDown(i, 'crashed', dropInFlight === true, '');
  }

  /**
   * Arms a crash of node `id` at its `call`-th mutating disk call from now (1 = the next one):
   * that call crashes the disk (`SimDisk.scheduleCrash`) and the node with it, in the middle of
   * whatever handler made the call. What the handler sent before the call is on the wire; what
   * it would have done after never happens. The run goes on: the crash is not an error.
   * Needs the default `SimDisk` (or any disk with a `scheduleCrash` method).
   */
  crashAtDiskCall(id: NodeId, call: number, options: CrashOptions = {}): void {
    const disk = this.disks[this.network.indexOf(id)]!;
    if (!hasScheduledCrash(disk)) {
      throw new UsageError(`crashAtDiskCall(${id}): the node's disk cannot schedule a crash; use the default SimDisk`);
    }
    disk.scheduleCrash(call, options);
  }

  private takeDown(i: number, status: NodeStatus, dropInFlight: boolean, detail: string): void {
    this.up[i] = false;
    this.status[i] = status;
    this.generation[i]!++;
    if (dropInFlight) this.dropBelow[i] = this.generation[i]!;
    this.instances[i] = undefined;
    if (this.paused[i]) {
      this.paused[i] = false;
      // Held timers are cancelled with the others below; held deliveries are void.
      for (const event of this.held[i]!) if (event.kind === DELIVER) this.pendingWork--;
      this.held[i] = [];
    }
    for (const [timerId, event] of this.timers) {
      if (event.node === i) {
        event.cancelled = true;
        this.pendingWork--;
        this.timers.delete(timerId);
      }
    }
    if (status === 'crashed') {
      this.trace.counters.crashes++;
      this.trace.record({ kind: 'crash', time: this.clock, node: this.ids[i]!, detail, dropInFlight });
    } else if (status === 'stopped') {
      this.trace.record({ kind: 'stop', time: this.clock, node: this.ids[i]! });
    }
  }

  /** @internal The node's disk crashed it in the middle of a call (it has crashed itself). */
  crashedAtDiskCall(i: number, operation: string): void {
    if (!this.up[i]) return;
    this.crashedByDisk = i;
    this.takeDown(i, 'crashed', false, `during ${operation}`);
  }

  /** Restarts crashed or stopped node `id` now: the factory builds a fresh instance on the same disk. */
  restart(id: NodeId): void {
    const i = this.network.indexOf(id);
    const status = this.status[i];
    if (status !== 'crashed' && status !== 'stopped') {
      const hint = status === 'up' ? 'crash or stop it before restarting it' : status === 'not-started' ? 'use start' : 'a removed node never comes back';
      throw new UsageError(`node ${id} is ${status}: ${hint}`);
    }
    this.restarts[i]!++;
    this.trace.counters.restarts++;
    this.trace.record({ kind: 'restart', time: this.clock, node: id, incarnation: this.restarts[i]! });
    this.boot(i);
  }

  // ---- clocks and pauses ----

  /**
   * Changes node `id`'s clocks from now on: `offsetMs` sets its wall clock to the true time plus
   * the offset, `driftPpm` its rate, and each of `steps` jumps its wall clock at a true time to
   * come. The monotonic clock follows the drift and ignores offsets and steps. Every change is
   * traced.
   */
  setClock(id: NodeId, options: ClockOptions): void {
    const i = this.network.indexOf(id);
    const clock = this.clocks[i]!;
    if (options.driftPpm !== undefined) {
      clock.setDrift(this.clock, options.driftPpm);
      this.traceClock(i, `drift ${options.driftPpm} ppm`);
    }
    if (options.offsetMs !== undefined) {
      clock.setOffset(this.clock, options.offsetMs);
      this.traceClock(i, `offset ${options.offsetMs} ms`);
    }
    for (const step of options.steps ?? []) {
      if (!(step.atMs >= this.clock)) throw new UsageError(`clock step of ${id} at ${step.atMs} ms: it is already ${this.clock} ms`);
      const event = new SimEvent<M>();
      event.time = step.atMs;
      event.kind = CLOCK;
      event.node = i;
      event.action = () => this.stepClock(id, step.byMs);
      this.queue.push(event);
    }
  }

  /** Steps node `id`'s wall clock by `byMs` now (negative: back). Its monotonic clock does not move. */
  stepClock(id: NodeId, byMs: number): void {
    const i = this.network.indexOf(id);
    this.clocks[i]!.step(this.clock, byMs);
    this.traceClock(i, `step ${byMs >= 0 ? '+' : ''}${byMs} ms`);
  }

  /** What node `id`'s wall clock reads now (`ctx.now()` on the node). */
  wallClock(id: NodeId): number {
    return this.clocks[this.network.indexOf(id)]!.wall(this.clock);
  }

  /** What node `id`'s monotonic clock reads now (`ctx.monotonic()` on the node). */
  monotonicClock(id: NodeId): number {
    return this.clocks[this.network.indexOf(id)]!.monotonic(this.clock);
  }

  /**
   * Pauses running node `id` for `ms` of true time, as a long garbage-collection pause or a
   * stopped virtual machine would: it handles nothing, its timers fire late and the messages that
   * arrive wait, in order, until it resumes with the memory, timers and context it had. It is the
   * same incarnation, unaware of the gap unless it reads a clock: a zombie, not a new node.
   * Pausing a paused node extends the pause; a crash ends it.
   */
  pause(id: NodeId, ms: number): void {
    const i = this.network.indexOf(id);
    if (!this.up[i]) throw new UsageError(`node ${id} is ${this.status[i]}; only a running node can pause`);
    if (!(ms >= 0) || ms === Infinity) throw new UsageError(`pause(${id}): ms must be a finite number >= 0, got ${ms}`);
    const until = Math.max(this.clock + ms, this.paused[i] ? this.pauseEnds[i]! : 0);
    this.paused[i] = true;
    this.pauseEnds[i] = until;
    this.trace.record({ kind: 'pause', time: this.clock, node: id, untilMs: until });
    const generation = this.generation[i]!;
    this.at(until, () => {
      if (this.generation[i] === generation && this.paused[i] && this.clock >= this.pauseEnds[i]!) this.resume(i);
    });
  }

  /** True while node `id` is paused. */
  isPaused(id: NodeId): boolean {
    return this.paused[this.network.indexOf(id)]!;
  }

  private resume(i: number): void {
    this.paused[i] = false;
    const held = this.held[i]!;
    this.held[i] = [];
    this.trace.record({ kind: 'resume', time: this.clock, node: this.ids[i]!, held: held.length });
    // Everything that waited happens now, in the order it was due, before anything scheduled
    // for this instant while it waited (a later message on the same link must not overtake).
    for (const event of held) {
      event.time = this.clock;
      this.queue.pushAhead(event);
    }
  }

  private traceClock(i: number, change: string): void {
    const clock = this.clocks[i]!;
    this.trace.record({
      kind: 'clock',
      time: this.clock,
      node: this.ids[i]!,
      change,
      wallMs: clock.wall(this.clock),
      monotonicMs: clock.monotonic(this.clock),
    });
  }

  /** @internal Node `i`'s wall clock now. */
  wallClockOf(i: number): number {
    return this.clocks[i]!.wall(this.clock);
  }

  /** @internal Node `i`'s monotonic clock now. */
  monotonicClockOf(i: number): number {
    return this.clocks[i]!.monotonic(this.clock);
  }

  /**
   * Schedules `action` (a test's own step: crash a node, cut a link, call a node's method) at
   * virtual time `time`. `label`, if given, is noted in the trace.
   */
  at(time: number, action: () => void, label?: string): void {
    if (!(time >= this.clock)) throw new UsageError(`cannot schedule at ${time} ms: it is already ${this.clock} ms`);
    const event = new SimEvent<M>();
    event.time = time;
    event.kind = ACTION;
    event.action = action;
    event.name = label ?? '';
    this.pendingWork++;
    this.queue.push(event);
  }

  /** Schedules `action` `delayMs` virtual milliseconds from now; see {@link Simulation.at}. */
  after(delayMs: number, action: () => void, label?: string): void {
    this.at(this.clock + delayMs, action, label);
  }

  /** Processes the next event. Returns false when there is none. */
  step(): boolean {
    if (this.peekLive() === undefined) return false;
    const event = this.queue.pop()!;
    this.clock = event.time;
    this.trace.counters.events++;
    this.crashedByDisk = -1;
    try {
      this.dispatch(event);
    } catch (error) {
      // A node whose disk crashed under it is dead: whatever its handler throws on the way out
      // (the disk's SimulatedCrash, a StaleNodeError, an error wrapping either) is not the test's.
      if (this.crashedByDisk < 0 || (event.kind !== ACTION && event.node !== this.crashedByDisk)) throw error;
    }
    return true;
  }

  private dispatch(event: SimEvent<M>): void {
    switch (event.kind) {
      case DELIVER:
        if (this.paused[event.node]) {
          this.held[event.node]!.push(event);
          break;
        }
        this.pendingWork--;
        this.deliver(event);
        break;
      case TIMER:
        if (this.paused[event.node]) {
          this.held[event.node]!.push(event);
          break;
        }
        this.pendingWork--;
        this.fire(event);
        break;
      case TICK:
        this.tick(event);
        break;
      case ACTION:
        this.pendingWork--;
        if (event.name !== '') this.trace.record({ kind: 'note', time: this.clock, node: undefined, text: event.name });
        event.action!();
        break;
      case CLOCK:
        event.action!();
        break;
    }
  }

  /**
   * Runs until `condition()` holds (checked before every event) and returns the number of
   * events processed. Throws a {@link SimulationError} when the budget runs out, when nothing is
   * left to happen, or when `withinMs` passes first.
   */
  runUntil(condition: () => boolean, options: RunUntilOptions = {}): number {
    const budget = options.maxEvents ?? this.maxEvents;
    const deadline = options.withinMs === undefined ? Infinity : this.clock + options.withinMs;
    let processed = 0;
    while (!condition()) {
      const next = this.peekLive();
      if (next === undefined) {
        throw this.failure('stalled', 'the simulation is quiet (nothing left to happen) and the condition still does not hold');
      }
      if (next.time > deadline) {
        this.clock = deadline;
        throw this.failure('deadline', `the condition did not hold within ${options.withinMs} ms`);
      }
      if (processed >= budget) throw this.budgetFailure(budget, 'the condition still does not hold');
      this.step();
      processed++;
    }
    return processed;
  }

  /**
   * Runs every event due in the next `durationMs` virtual milliseconds, then sets the clock to
   * the end of that span. Returns the number of events processed.
   */
  runFor(durationMs: number, options: RunOptions = {}): number {
    if (!(durationMs >= 0)) throw new UsageError(`runFor needs a duration >= 0, got ${durationMs}`);
    const budget = options.maxEvents ?? this.maxEvents;
    const end = this.clock + durationMs;
    let processed = 0;
    for (;;) {
      const next = this.peekLive();
      if (next === undefined || next.time > end) break;
      if (processed >= budget) throw this.budgetFailure(budget, `${durationMs} ms have not passed yet`);
      this.step();
      processed++;
    }
    this.clock = end;
    return processed;
  }

  /**
   * Runs until no message is in flight and no timer or action is pending (ticks do not count),
   * and returns the number of events processed. A system that keeps itself busy (heartbeats,
   * retries forever) never gets quiet: it exhausts the budget and throws.
   */
  runUntilQuiet(options: RunOptions = {}): number {
    const budget = options.maxEvents ?? this.maxEvents;
    let processed = 0;
    while (this.pendingWork > 0) {
      if (processed >= budget) throw this.budgetFailure(budget, `${this.pendingWork} events are still pending`);
      this.step();
      processed++;
    }
    return processed;
  }

  /** The next event that will really happen: cancelled timers at the head are discarded. */
  private peekLive(): SimEvent<M> | undefined {
    let next = this.queue.peek();
    while (next !== undefined && next.cancelled) {
      this.queue.pop();
      next = this.queue.peek();
    }
    return next;
  }

  // ---- called through contexts ----

  private boot(i: number): void {
    const id = this.ids[i]!;
    const generation = this.generation[i]!;
    const check = (action: string): void => {
      if (!this.up[i] || this.generation[i] !== generation) throw new StaleNodeError(id, this.restarts[i]!, action);
    };
    const context = new Context<M>(
      this,
      i,
      id,
      this.restarts[i]!,
      Random.stream(this.seed, 'node', id, String(this.restarts[i]!)),
      new GuardedDisk(this.disks[i]!, check, this.trace.counters, (operation) => this.crashedAtDiskCall(i, operation)),
      check,
    );
    this.up[i] = true;
    this.status[i] = 'up';
    const outer = this.crashedByDisk;
    this.crashedByDisk = -1;
    try {
      const instance = this.factory(context);
      this.instances[i] = instance;
      if (this.tickMs !== undefined && instance.onTick !== undefined) this.scheduleTick(i);
      instance.onStart?.();
    } catch (error) {
      // Recovery (in the constructor or onStart) that crashed at a disk call: the node is down
      // again, as after any crash.
      if (this.crashedByDisk !== i) throw error;
    } finally {
      this.crashedByDisk = outer;
    }
  }

  /** @internal */
  sendFrom(from: number, toId: NodeId, message: M): void {
    const to = this.network.indexOf(toId);
    const id = this.nextMessageId++;
    const counters = this.trace.counters;
    const fromId = this.ids[from]!;
    counters.messagesSent++;
    counters.bytesSent += this.messageBytes(message);
    const recording = this.trace.recording;
    // The trace keeps a copy as sent, so a sender that later changes the object cannot rewrite history.
    const traced = recording ? snapshot(message) : undefined;
    if (recording) this.trace.record({ kind: 'send', time: this.clock, from: fromId, to: toId, id, message: traced });
    const delays = this.delays;
    const fate = this.network.decide(from, to, delays);
    if (fate === Fate.Partitioned || fate === Fate.Lost) {
      counters.messagesDropped++;
      const reason = fate === Fate.Lost ? 'loss' : 'partition';
      if (recording) this.trace.record({ kind: 'drop', time: this.clock, from: fromId, to: toId, id, reason, message: traced });
      return;
    }
    this.scheduleDelivery(from, to, id, message, delays[0]!, traced);
    if (fate === Fate.Twice) {
      counters.messagesDuplicated++;
      if (recording) this.trace.record({ kind: 'duplicate', time: this.clock, from: fromId, to: toId, id });
      this.scheduleDelivery(from, to, id, message, delays[1]!, traced);
    }
  }

  /** @internal */
  setTimerFor(node: number, name: string, delayMs: number): TimerId {
    if (!(delayMs >= 0) || delayMs === Infinity) {
      throw new UsageError(`timer "${name}" on ${this.ids[node]}: delay must be a finite number >= 0, got ${delayMs}`);
    }
    const event = new SimEvent<M>();
    // Timers run on the node's monotonic clock: a fast clock fires them early in true time.
    event.time = this.clock + this.clocks[node]!.trueDelay(delayMs);
    event.kind = TIMER;
    event.node = node;
    event.generation = this.generation[node]!;
    event.name = name;
    event.id = this.nextTimerId++;
    this.timers.set(event.id, event);
    this.pendingWork++;
    this.queue.push(event);
    return event.id;
  }

  /** @internal */
  cancelTimerFor(node: number, timer: TimerId): void {
    const event = this.timers.get(timer);
    if (event === undefined || event.node !== node) return;
    event.cancelled = true;
    this.pendingWork--;
    this.timers.delete(timer);
  }

  /** @internal */
  note(node: number, text: string): void {
    this.trace.record({ kind: 'note', time: this.clock, node: this.ids[node], text });
  }

  // ---- the hot loop's helpers ----

  private scheduleDelivery(from: number, to: number, id: number, message: M, delayMs: number, traced: unknown): void {
    const event = new SimEvent<M>();
    event.time = this.clock + delayMs;
    event.kind = DELIVER;
    event.node = to;
    event.generation = this.generation[to]!;
    event.from = from;
    event.fromGeneration = this.generation[from]!;
    event.message = this.copyMessages ? copyPlain(message) : message;
    event.traced = traced;
    event.id = id;
    this.pendingWork++;
    this.queue.push(event);
  }

  private deliver(event: SimEvent<M>): void {
    const to = event.node;
    const from = event.from;
    const counters = this.trace.counters;
    const message = event.message as M;
    let reason: DropReason | undefined;
    if (!this.up[to] || this.generation[to] !== event.generation || event.fromGeneration < this.dropBelow[from]!) {
      // A receiver that is stopped, removed or not started yet is down; otherwise a crash voided it.
      const status = this.status[to];
      reason = status === 'stopped' || status === 'removed' || status === 'not-started' ? 'down' : 'crash';
    } else if (this.network.blockedAt(from, to)) {
      reason = 'partition';
    }
    const fromId = this.ids[from]!;
    const toId = this.ids[to]!;
    if (reason !== undefined) {
      counters.messagesDropped++;
      this.trace.record({ kind: 'drop', time: this.clock, from: fromId, to: toId, id: event.id, reason, message: event.traced });
      return;
    }
    counters.messagesDelivered++;
    if (this.trace.recording) {
      this.trace.record({ kind: 'deliver', time: this.clock, from: fromId, to: toId, id: event.id, message: event.traced });
    }
    this.instances[to]!.onMessage(fromId, message);
  }

  private fire(event: SimEvent<M>): void {
    this.timers.delete(event.id);
    const node = event.node;
    this.trace.counters.timersFired++;
    this.trace.record({ kind: 'timer', time: this.clock, node: this.ids[node]!, name: event.name, timer: event.id });
    this.instances[node]!.onTimer?.(event.name, event.id);
  }

  private scheduleTick(node: number): void {
    const event = new SimEvent<M>();
    event.time = this.clock + this.tickMs!;
    event.kind = TICK;
    event.node = node;
    event.generation = this.generation[node]!;
    this.queue.push(event);
  }

  private tick(event: SimEvent<M>): void {
    const node = event.node;
    // A crash voids the tick chain; the restarted instance starts its own.
    if (!this.up[node] || this.generation[node] !== event.generation) return;
    this.scheduleTick(node);
    if (this.paused[node]) return; // a paused node misses its ticks
    this.instances[node]!.onTick!();
  }

  private failure(reason: SimulationFailure, detail: string): SimulationError {
    const tail = this.trace.recording ? this.trace.diagram({ last: 30 }) : '';
    return new SimulationError(reason, this.clock, `seed ${this.seed}: ${detail}`, tail);
  }

  private budgetFailure(budget: number, what: string): SimulationError {
    return this.failure(
      'budget',
      `ran ${budget} events and ${what}: a livelock (nodes keep each other busy forever)? ` +
        'If the scenario really needs more events, pass a larger maxEvents',
    );
  }
}

/** One node incarnation's handle on the simulation. Every method checks it is still live. */
class Context<M> implements NodeContext<M> {
  constructor(
    private readonly sim: Simulation<M, SimNode<M>>,
    private readonly index: number,
    readonly id: NodeId,
    readonly incarnation: number,
    private readonly rng: Random,
    private readonly guardedDisk: FileSystem,
    private readonly check: (action: string) => void,
  ) {}

  private members: { nodes: NodeId[]; group: NodeId[]; peers: NodeId[]; version: number } | undefined;

  private current(): { nodes: NodeId[]; group: NodeId[]; peers: NodeId[] } {
    let members = this.members;
    if (members === undefined || members.version !== this.sim.membershipVersion) {
      members = this.members = this.sim.membersOf(this.index);
    }
    return members;
  }

  get nodes(): readonly NodeId[] {
    return this.current().nodes;
  }

  get group(): readonly NodeId[] {
    return this.current().group;
  }

  get peers(): readonly NodeId[] {
    return this.current().peers;
  }

  get random(): Random {
    this.check('draw a random number');
    return this.rng;
  }

  get disk(): FileSystem {
    this.check('use its disk');
    return this.guardedDisk;
  }

  now(): number {
    this.check('read the clock');
    return this.sim.wallClockOf(this.index);
  }

  monotonic(): number {
    this.check('read the monotonic clock');
    return this.sim.monotonicClockOf(this.index);
  }

  send(to: NodeId, msg: M): void {
    this.check(`send a message to ${to}`);
    this.sim.sendFrom(this.index, to, msg);
  }

  setTimer(name: string, delayMs: number): TimerId {
    this.check(`set timer "${name}"`);
    return this.sim.setTimerFor(this.index, name, delayMs);
  }

  cancelTimer(timer: TimerId): void {
    this.check('cancel a timer');
    this.sim.cancelTimerFor(this.index, timer);
  }

  log(text: string): void {
    this.check('log');
    this.sim.note(this.index, text);
  }
}

/**
 * A deep copy of plain data: primitives, arrays, plain objects, byte arrays, maps and sets.
 * Much faster than `structuredClone` for the small messages nodes exchange. Other objects
 * (class instances) cannot cross a real network and are rejected.
 */
function copyPlain<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyPlain(value[i] as unknown);
    return out as T;
  }
  if (value instanceof Uint8Array) return value.slice() as T;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Object.prototype || proto === null) {
    const out: Record<string, unknown> = {};
    for (const key in value) out[key] = copyPlain((value as Record<string, unknown>)[key]);
    return out as T;
  }
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [copyPlain(k), copyPlain(v)])) as T;
  if (value instanceof Set) return new Set([...value].map((v) => copyPlain(v))) as T;
  const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
  throw new UsageError(
    `cannot send an instance of ${name}: messages must be plain data (objects, arrays, strings, ` +
      'numbers, Uint8Array), or set copyMessages: false',
  );
}

/**
 * The trace's copy of a message: plain data as `copyPlain` copies it, anything else as
 * `structuredClone` can, and what neither can copy (functions) as it is.
 */
function snapshot(message: unknown): unknown {
  try {
    return copyPlain(message);
  } catch {
    try {
      return structuredClone(message);
    } catch {
      return message;
    }
  }
}

function toSpec(node: NodeId | NodeSpec): NodeSpec {
  return typeof node === 'string' ? { id: node } : node;
}

function isCrashable(disk: FileSystem): disk is FileSystem & CrashableDisk {
  return typeof (disk as Partial<CrashableDisk>).crash === 'function';
}

function hasScheduledCrash(disk: FileSystem): disk is FileSystem & Pick<SimDisk, 'scheduleCrash'> {
  return typeof (disk as Partial<SimDisk>).scheduleCrash === 'function';
}

/**
 * A rough size in bytes of a plain-data value: string lengths, 8 per number, byte-array lengths,
 * plus key names. Good enough for counting traffic; pass `messageBytes` for exact sizes.
 */
export function estimateBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length;
    case 'number':
    case 'bigint':
      return 8;
    case 'boolean':
      return 1;
    case 'object': {
      if (value === null) return 1;
      if (value instanceof Uint8Array) return value.length;
      let size = 0;
      if (Array.isArray(value)) {
        for (const item of value) size += estimateBytes(item);
        return size;
      }
      for (const [key, item] of Object.entries(value)) size += key.length + estimateBytes(item);
      return size;
    }
    default:
      return 0;
  }
}
