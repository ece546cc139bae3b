/**
 * Histories of client operations, the input of the linearizability checker.
 *
 * A client *invokes* an operation, then learns its outcome, which is one of three:
 *
 * - `ok`: it took effect, and returned `output`;
 * - `fail`: it certainly did not take effect (the server refused it before doing anything);
 * - `info`: nobody knows. The request timed out or the client crashed: the operation may have
 *   taken effect, at any time after its invocation, or never. An operation still pending when
 *   the test ends counts as `info` too.
 *
 * Each operation's `call` and `return` are positions on one real-time axis: the checker orders
 * two operations only when one returned before the other was called. {@link History} uses the
 * order in which it saw invocations and completions, which in a simulation is exactly the order
 * the events happened; it also keeps the virtual times for display. Hand-written histories may
 * use any numbers (equal numbers count as overlapping).
 * @module
 */

import { UsageError } from '../errors.js';

/** How an operation ended. */
export type OpStatus = 'ok' | 'fail' | 'info';

/** One completed (or abandoned) operation of a history. */
export interface Operation<I, O> {
  /** Unique within the history. */
  readonly id: number;
  /** The client that ran it. */
  readonly process: string;
  /** What was asked, e.g. `{ f: 'put', key: 'x', value: '1' }`. */
  readonly input: I;
  /** What was returned; meaningful only when `status` is `ok`. */
  readonly output: O | undefined;
  /** How it ended. */
  readonly status: OpStatus;
  /** When it was invoked, on the history's real-time axis. */
  readonly call: number;
  /** When its outcome was known; `Infinity` for `info`: it may take effect at any later time. */
  readonly return: number;
  /** Virtual time of the invocation in milliseconds, when recorded from a simulation. */
  readonly callTime?: number;
  /** Virtual time of the completion in milliseconds, when recorded from a simulation. */
  readonly returnTime?: number;
}

interface PendingOp<I> {
  readonly process: string;
  readonly input: I;
  readonly call: number;
  readonly callTime: number;
}

/**
 * Records a history as a test's clients run. Give it the simulation's clock so the operations
 * carry virtual times:
 *
 * ```ts
 * const history = new History<KvInput, KvOutput>(() => sim.now);
 * const id = history.invoke('client1', { f: 'put', key: 'x', value: '1' });
 * // … later, when the reply arrives:
 * history.ok(id);
 * ```
 */
export class History<I, O> {
  private readonly clock: () => number;
  private readonly pending = new Map<number, PendingOp<I>>();
  private readonly done: Array<Operation<I, O>> = [];
  private nextId = 1;
  // The real-time axis: one tick per invocation or completion, in the order they happened.
  private position = 0;

  /** `clock` gives the virtual time to stamp operations with (default: always 0). */
  constructor(clock: () => number = () => 0) {
    this.clock = clock;
  }

  /** Records that `process` invoked an operation; returns its id for the completion. */
  invoke(process: string, input: I): number {
    const id = this.nextId++;
    this.pending.set(id, { process, input, call: this.position++, callTime: this.clock() });
    return id;
  }

  /** Records that operation `id` took effect and returned `output`. */
  ok(id: number, output?: O): void {
    this.complete(id, 'ok', output);
  }

  /** Records that operation `id` certainly did not take effect. */
  fail(id: number): void {
    this.complete(id, 'fail', undefined);
  }

  /** Records that the outcome of operation `id` is unknown: it may or may not have taken effect. */
  info(id: number): void {
    this.complete(id, 'info', undefined);
  }

  /** True while operation `id` has no outcome yet. */
  isPending(id: number): boolean {
    return this.pending.has(id);
  }

  /** Every operation, in invocation order; those still pending are reported as `info`. */
  operations(): Array<Operation<I, O>> {
    const out: Array<Operation<I, O>> = [...this.done];
    for (const [id, p] of this.pending) {
      out.push({ id, process: p.process, input: p.input, output: undefined, status: 'info', call: p.call, return: Infinity, callTime: p.callTime });
    }
    return out.sort((a, b) => a.call - b.call);
  }

  private complete(id: number, status: OpStatus, output: O | undefined): void {
    const p = this.pending.get(id);
    if (p === undefined) throw new UsageError(`operation ${id} is not pending: it was never invoked, or already completed`);
    this.pending.delete(id);
    const returned = this.position++;
    this.done.push({
      id,
      process: p.process,
      input: p.input,
      output: status === 'ok' ? output : undefined,
      status,
      call: p.call,
      return: status === 'info' ? Infinity : returned,
      callTime: p.callTime,
      returnTime: this.clock(),
    });
  }
}
