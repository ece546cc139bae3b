/**
 * Exercise 8.1: a linearizability checker for one register.
 *
 * A history is linearizable when each operation that took effect can be given one instant
 * between its call and its return, such that the operations, run one at a time in the order of
 * those instants, return what the clients saw. `stepRegister` is the sequential specification;
 * `checkRegister` searches for such an order:
 *
 * - `fail` operations never took effect and are left out; `info` operations may be placed at any
 *   point after their call, or nowhere; `ok` operations must all be placed.
 * - An operation may go next only when every `ok` operation that returned before it was called
 *   is already placed (real time). Operations whose intervals touch (a return equal to a call)
 *   overlap: neither is before the other.
 * - The search is depth first and backtracks (Wing and Gong, 1993). It remembers every
 *   configuration it has explored, the set of placed operations together with the register's
 *   value, and never explores one twice (Lowe, 2017): the rest of the search depends on nothing
 *   else, and without this the search is exponential on histories that are not linearizable.
 * - Each attempt to place an operation (one call of `stepRegister`) is a step; past
 *   `options.maxSteps` steps the answer is `unknown`.
 * @module
 */

import { describeRegisterOp, type RegisterInput, type RegisterOp, type RegisterOutput, type RegisterState } from './register.js';
import { HistoryError } from './errors.js';

/** The checker's answer. */
export type RegisterVerdict =
  | {
      readonly verdict: 'ok';
      /** The ids of the operations that took effect, in an order that explains the history. */
      readonly order: readonly number[];
    }
  | {
      readonly verdict: 'illegal';
      /** Which operations could not be placed, and after how many placed ones. */
      readonly explanation: string;
    }
  | {
      /** The search used up its steps before it could decide. A test counts this as a failure. */
      readonly verdict: 'unknown';
      readonly explanation: string;
    };

/** Options of `checkRegister`. */
export interface RegisterCheckOptions {
  /**
   * How many times the search may try to place an operation (one call of `stepRegister` each)
   * before it answers `unknown`. Default 1,000,000.
   */
  readonly maxSteps?: number;
}

/**
 * The register's value after `input` is applied to `state`, or `undefined` when `input` applied
 * to `state` cannot return `output`. `output` is `undefined` when the outcome is unknown: then
 * any output is possible (a cas swaps exactly when the value matches).
 */
export function stepRegister(state: RegisterState, input: RegisterInput, output: RegisterOutput): RegisterState | undefined {
  switch (input.f) {
    case 'read':
      return output === undefined || output === state ? state : undefined;
    case 'write':
      return input.value;
    case 'cas': {
      const swaps = state === input.from;
      if (output !== undefined && output !== swaps) return undefined;
      return swaps ? input.to : state;
    }
  }
}

/** Throws a `HistoryError` for an operation the checker cannot read. */
function validate(history: readonly RegisterOp[]): void {
  const ids = new Set<number>();
  for (const op of history) {
    if (ids.has(op.id)) throw new HistoryError(op.id, 'the id is used twice');
    ids.add(op.id);
    if (!Number.isFinite(op.call)) throw new HistoryError(op.id, `call must be a finite number, got ${op.call}`);
    if (op.status !== 'info' && !Number.isFinite(op.return)) throw new HistoryError(op.id, `an ${op.status} operation must have a finite return, got ${op.return}`);
    if (op.return < op.call) throw new HistoryError(op.id, `it returns (${op.return}) before it is called (${op.call})`);
    const f = (op.input as { f: unknown }).f;
    if (f !== 'read' && f !== 'write' && f !== 'cas') throw new HistoryError(op.id, `unknown operation ${JSON.stringify(f)}`);
    if (op.status !== 'ok') continue;
    if (f === 'read' && op.output !== null && typeof op.output !== 'number') throw new HistoryError(op.id, `a completed read must return a number or null, got ${JSON.stringify(op.output)}`);
    if (f === 'cas' && typeof op.output !== 'boolean') throw new HistoryError(op.id, `a completed cas must return true or false, got ${JSON.stringify(op.output)}`);
  }
}

/**
 * Whether `history` is linearizable; with an order that shows it, or an explanation. Throws a
 * `HistoryError` (from `errors.ts`) for a history it cannot read: an id used twice, a call that
 * is not a finite number, an `ok` or `fail` operation without a finite return, a return before
 * its call, an unknown operation, a completed read that returned neither a number nor `null`, a
 * completed cas that returned neither `true` nor `false`.
 */
export function checkRegister(history: readonly RegisterOp[], options: RegisterCheckOptions = {}): RegisterVerdict {
  validate(history);
  // Failed operations never happened; a read whose outcome is unknown cannot matter.
  const ops = history.filter((op) => op.status !== 'fail' && !(op.status === 'info' && op.input.f === 'read'));
  const n = ops.length;
  const deadline = ops.map((op) => (op.status === 'ok' ? op.return : Infinity));
  const mustPlace = ops.filter((op) => op.status === 'ok').length;
  const placed = new Uint8Array(n);
  const seen = new Set<string>();
  const path: number[] = [];
  let best: number[] = [];
  const maxSteps = options.maxSteps ?? 1_000_000;
  let steps = 0;
  let outOfSteps = false;

  /** Whether operation i may be placed now: no unplaced ok operation returned before its call. */
  const ready = (i: number) => {
    for (let j = 0; j < n; j++) if (j !== i && placed[j] === 0 && deadline[j]! < ops[i]!.call) return false;
    return true;
  };

  const explore = (state: RegisterState, placedOk: number): boolean => {
    if (placedOk === mustPlace) return true;
    const key = `${placed.join('')}|${String(state)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    if (path.length > best.length) best = [...path];
    for (let i = 0; i < n; i++) {
      if (placed[i] === 1 || !ready(i)) continue;
      if (++steps > maxSteps) {
        outOfSteps = true;
        return false;
      }
      const op = ops[i]!;
      const after = stepRegister(state, op.input, op.status === 'ok' ? op.output : undefined);
      if (after === undefined) continue;
      placed[i] = 1;
      path.push(i);
      if (explore(after, placedOk + (op.status === 'ok' ? 1 : 0))) return true;
      path.pop();
      placed[i] = 0;
    }
    return false;
  };

  if (explore(null, 0)) return { verdict: 'ok', order: path.map((i) => ops[i]!.id) };
  if (outOfSteps) {
    return { verdict: 'unknown', explanation: `undecided: ${maxSteps} steps were not enough to decide ${n} operations; remember the configurations already explored, or raise maxSteps` };
  }
  const placedBest = new Set(best);
  const stuck = ops
    .map((op, i) => ({ op, i }))
    .filter(({ op, i }) => op.status === 'ok' && !placedBest.has(i))
    .sort((a, b) => a.op.return - b.op.return)
    .slice(0, 3)
    .map(({ op }) => describeRegisterOp(op));
  const prefix = best.map((i) => describeRegisterOp(ops[i]!)).join(', ') || 'none';
  return {
    verdict: 'illegal',
    explanation:
      `not linearizable: no order of the ${n} operations that took or may have taken effect explains every result. ` +
      `The longest consistent start found places ${best.length}: ${prefix}; after it none of these fits: ${stuck.join('; ')}`,
  };
}
