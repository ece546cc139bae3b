/**
 * The interface every distributed algorithm in the workshop implements, and the context through
 * which it acts.
 *
 * A node is a deterministic state machine, as in etcd's raft library: it reacts to inputs (a
 * message arrived, a timer fired, a tick) and acts only through its {@link NodeContext}: send a
 * message, set or cancel a timer, read its own clocks, draw random numbers, use its disk. It
 * never touches real time, real sockets or `Math.random`, so the simulator can run it
 * deterministically, fast, and under any fault it likes.
 *
 * Crash and restart: a crash throws the node instance away with everything in its memory and
 * every timer it set. A restart calls the node's factory again, with a new context and the same
 * disk, so the new instance sees only what the old one made durable. The old context is dead:
 * any call on it throws a {@link StaleNodeError}, so a zombie can never act. (A *paused* node is
 * another matter: it is the same incarnation, frozen for a while, and acts again when it resumes.)
 * @module
 */

import type { FileSystem } from '../fs/file-system.js';
import type { Random } from '../random.js';

/** A node's name, unique in its simulation, e.g. `"n1"`. */
export type NodeId = string;

/** Identifies a timer set with {@link NodeContext.setTimer}, so that it can be cancelled. */
export type TimerId = number;

/**
 * Everything a node may do to the world. One context belongs to one incarnation of one node:
 * after that node crashes, every method throws a {@link StaleNodeError}.
 *
 * @typeParam M - the type of the messages the nodes exchange, usually a discriminated union.
 */
export interface NodeContext<M> {
  /** This node's id. */
  readonly id: NodeId;
  /**
   * The nodes this one replicates with: the other members of its group, in the order they
   * joined. Empty for a node in no group (a client, a controller). Nodes added to or removed
   * from the group during the run appear here or vanish; crashed members stay.
   */
  readonly peers: readonly NodeId[];
  /** Every member of this node's group, itself included, in the order they joined; empty if none. */
  readonly group: readonly NodeId[];
  /** Every node it may talk to: all nodes of the simulation, itself included, but removed ones. */
  readonly nodes: readonly NodeId[];
  /** How many times this node has been restarted: 0 for the first instance. */
  readonly incarnation: number;
  /**
   * This node's own random generator, seeded from the simulation's seed. Draw every random
   * choice (election timeouts, jitter) from it.
   */
  readonly random: Random;
  /**
   * This node's disk. It survives crashes: a restarted node gets the same one, holding what the
   * previous incarnation made durable (on the default simulated disk, unsynced writes are lost on
   * a crash). Handles opened by a crashed incarnation are dead.
   */
  readonly disk: FileSystem;
  /**
   * This node's wall clock, in milliseconds: the time of day as its machine sees it. It reads the
   * simulation's time unless the test gives the node an offset, a drift or steps (which can
   * make it jump back). Use it to timestamp; measure intervals with {@link NodeContext.monotonic}.
   */
  now(): number;
  /**
   * This node's monotonic clock, in milliseconds: it drifts with the node's clock but never goes
   * back. Timers run on it. Readings are comparable within one node only.
   */
  monotonic(): number;
  /**
   * Sends `msg` to node `to`. The network may delay, drop, duplicate or reorder it; nothing is
   * returned and no failure is reported, as with a real datagram.
   */
  send(to: NodeId, msg: M): void;
  /**
   * Asks for {@link SimNode.onTimer} to be called with `name` after `delayMs` virtual
   * milliseconds, unless cancelled or the node crashes first. Returns the timer's id.
   */
  setTimer(name: string, delayMs: number): TimerId;
  /** Cancels a timer. Cancelling a timer that already fired or was cancelled does nothing. */
  cancelTimer(timer: TimerId): void;
  /** Adds a free-text note to the trace, shown in the space-time diagram (debugging aid). */
  log(text: string): void;
}

/**
 * A node: a state machine driven by the simulator. Implement the handlers you need; every
 * handler runs to completion before the next event, so there are no data races.
 *
 * @typeParam M - the message type.
 */
export interface SimNode<M> {
  /**
   * Runs once when the instance is created: at the start of the simulation, and after every
   * restart. Recover state from the disk and set the first timers here.
   */
  onStart?(): void;
  /** A message `msg` from node `from` has arrived. */
  onMessage(from: NodeId, msg: M): void;
  /** The timer called `name`, with id `timer`, has fired. */
  onTimer?(name: string, timer: TimerId): void;
  /** Called every `tickMs` of virtual time when the simulation has a tick interval. */
  onTick?(): void;
}

/** Builds a node instance for a context: called at the start and on every restart. */
export type NodeFactory<M, N extends SimNode<M> = SimNode<M>> = (context: NodeContext<M>) => N;

/** Thrown when a crashed incarnation of a node tries to act through its old context. */
export class StaleNodeError extends Error {
  override readonly name = 'StaleNodeError';
  /** The node whose old incarnation acted. */
  readonly node: NodeId;
  /** The incarnation that acted. */
  readonly incarnation: number;

  constructor(node: NodeId, incarnation: number, action: string) {
    super(
      `node ${node} (incarnation ${incarnation}) tried to ${action} after it crashed: ` +
        'a crashed node must never act again; drop every reference to the old instance',
    );
    this.node = node;
    this.incarnation = incarnation;
  }
}
