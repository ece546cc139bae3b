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

import { NotImplementedError } from '../../shared/errors.js';
import type { RegisterInput, RegisterOp, RegisterOutput, RegisterState } from './register.js';

const SPEC = { exercise: '8.1 A linearizability checker', file: 'chapter08-consensus/register-checker.ts', section: '8.1 A linearizability checker' };

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
  throw new NotImplementedError(SPEC);
}

/**
 * Whether `history` is linearizable; with an order that shows it, or an explanation. Throws a
 * `HistoryError` (from `errors.ts`) for a history it cannot read: an id used twice, a
 * call that is not a finite number, an `ok` or `fail` operation without a finite return, a
 * return before its call, an unknown operation, a completed read that returned neither a number
 * nor `null`, a completed cas that returned neither `true` nor `false`.
 */
export function checkRegister(history: readonly RegisterOp[], options: RegisterCheckOptions = {}): RegisterVerdict {
  throw new NotImplementedError(SPEC);
}
