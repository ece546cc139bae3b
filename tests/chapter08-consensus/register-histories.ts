/**
 * Register histories for the tests of exercise 8.1: a builder for hand-written ones, a generator
 * of random ones run against a real register, an independent check of a linearization order,
 * and the register as a model for the shared checker (the oracle the learner's checker is
 * compared with).
 */

import type { Model } from '../../shared/checkers/model.js';
import { Random } from '../../shared/random.js';
import type { RegisterInput, RegisterOp, RegisterOutput, RegisterState } from '@impl/chapter08-consensus/register.js';

export const read = { f: 'read' } as const;
export const write = (value: number) => ({ f: 'write', value }) as const;
export const cas = (from: number, to: number) => ({ f: 'cas', from, to }) as const;

/** Builds a hand-written history: ids count from 1 in the order operations are listed. */
export function historyOf(
  ...ops: ReadonlyArray<readonly [process: string, input: RegisterInput, output: RegisterOutput, call: number, ret: number, status?: RegisterOp['status']]>
): RegisterOp[] {
  return ops.map(([process, input, output, call, ret, status], i) => ({
    id: i + 1,
    process,
    input,
    output,
    status: status ?? 'ok',
    call,
    return: status === 'info' ? Infinity : ret,
  }));
}

/** The register's value after a step, or undefined if the step cannot give that output (the tests' own). */
function apply(state: RegisterState, input: RegisterInput, output: RegisterOutput): RegisterState | undefined {
  if (input.f === 'read') return output === undefined || output === state ? state : undefined;
  if (input.f === 'write') return input.value;
  const matches = state === input.from;
  if (output !== undefined && output !== matches) return undefined;
  return matches ? input.to : state;
}

/** The register for the shared checker (`shared/checkers/linearizability.ts`). */
export const registerModel: Model<RegisterState, RegisterInput, RegisterOutput> = {
  init: () => null,
  step: apply,
  key: (state) => String(state),
  describe: (input, output) => `${input.f}${input.f === 'write' ? `(${input.value})` : input.f === 'cas' ? `(${input.from}→${input.to})` : ''} → ${String(output)}`,
  readOnly: (input) => input.f === 'read',
};

/**
 * What is wrong with `order` as a linearization of `history`, or undefined when it is one: every
 * ok operation once, info ones at most once, no failed ones, no id twice, real time respected
 * (an operation that returned before another was called comes first), and each output what the
 * register gives when the operations run in that order.
 */
export function orderProblem(history: readonly RegisterOp[], order: readonly number[]): string | undefined {
  const byId = new Map(history.map((op) => [op.id, op]));
  const placed = new Set<number>();
  let state: RegisterState = null;
  for (const [at, id] of order.entries()) {
    const op = byId.get(id);
    if (op === undefined) return `position ${at} names #${id}, which is not in the history`;
    if (placed.has(id)) return `#${id} is placed twice`;
    if (op.status === 'fail') return `#${id} failed, so it never took effect, yet it is placed`;
    for (const other of history) {
      if (other.status === 'ok' && !placed.has(other.id) && other.id !== id && other.return < op.call) {
        return `#${id} is placed before #${other.id}, which returned (${other.return}) before #${id} was called (${op.call})`;
      }
    }
    const after = apply(state, op.input, op.status === 'ok' ? op.output : undefined);
    if (after === undefined) return `#${id} returned ${String(op.output)}, but at position ${at} the register holds ${String(state)}`;
    state = after;
    placed.add(id);
  }
  const missing = history.filter((op) => op.status === 'ok' && !placed.has(op.id)).map((op) => `#${op.id}`);
  return missing.length > 0 ? `the completed operations ${missing.join(', ')} are not placed` : undefined;
}

/** How a random history is made. */
export interface HistoryShape {
  readonly processes: number;
  readonly operations: number;
  /** Chance that an operation's client gives up (info) or is refused before acting (fail). */
  readonly uncertain: number;
}

/**
 * A random history of a real register: each operation takes effect at one instant between its
 * call and its return, so the history is linearizable. Some clients give up on an operation
 * before or after it took effect (info: that process is done) and some are refused before
 * anything happened (fail). Values written are small, so reads often see the same value twice.
 */
export function linearizableHistory(random: Random, shape: HistoryShape): RegisterOp[] {
  interface InFlight {
    readonly id: number;
    readonly input: RegisterInput;
    readonly call: number;
    output?: RegisterOutput;
    applied: boolean;
  }
  const ops: RegisterOp[] = [];
  const busy = new Map<string, InFlight>();
  const active = Array.from({ length: shape.processes }, (_, i) => `p${i + 1}`);
  let state: RegisterState = null;
  let time = 0;
  let started = 0;
  while ((started < shape.operations || busy.size > 0) && active.length > 0) {
    time++;
    const process = random.pick(active);
    const flight = busy.get(process);
    if (flight === undefined) {
      if (started >= shape.operations) continue;
      const r = random.int(0, 9);
      const input: RegisterInput = r < 4 ? read : r < 8 ? write(random.int(1, 4)) : cas(random.int(1, 4), random.int(1, 4));
      busy.set(process, { id: ++started, input, call: time, applied: false });
    } else if (!flight.applied && random.chance(0.5)) {
      if (random.chance(shape.uncertain / 2)) {
        // Refused before it acted: a definite failure.
        ops.push({ id: flight.id, process, input: flight.input, output: undefined, status: 'fail', call: flight.call, return: time });
        busy.delete(process);
        continue;
      }
      const output: RegisterOutput = flight.input.f === 'read' ? state : flight.input.f === 'write' ? undefined : state === flight.input.from;
      state = apply(state, flight.input, undefined) ?? state;
      flight.output = output;
      flight.applied = true;
    } else if (random.chance(shape.uncertain / 2)) {
      // The client gives up, before or after the operation took effect, and does nothing more.
      ops.push({ id: flight.id, process, input: flight.input, output: undefined, status: 'info', call: flight.call, return: Infinity });
      busy.delete(process);
      active.splice(active.indexOf(process), 1);
    } else if (flight.applied) {
      ops.push({ id: flight.id, process, input: flight.input, output: flight.output, status: 'ok', call: flight.call, return: time });
      busy.delete(process);
    }
  }
  // Operations of processes that never finished: unknown outcomes.
  for (const [process, flight] of busy) ops.push({ id: flight.id, process, input: flight.input, output: undefined, status: 'info', call: flight.call, return: Infinity });
  return ops.sort((a, b) => a.id - b.id);
}

/** The same history with one completed read (if any) answering a different value: often no longer linearizable. */
export function withOneReadChanged(random: Random, history: readonly RegisterOp[]): RegisterOp[] {
  const reads = history.filter((op) => op.status === 'ok' && op.input.f === 'read');
  if (reads.length === 0) return [...history];
  const victim = random.pick(reads);
  const others = [null, 1, 2, 3, 4].filter((v) => v !== victim.output);
  return history.map((op) => (op === victim ? { ...op, output: random.pick(others) } : op));
}

export { Random };
