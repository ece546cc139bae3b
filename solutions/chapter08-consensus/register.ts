/**
 * The object of exercise 8.1: one register holding a number (or `null` before the first write),
 * with read, write and compare-and-set, and the shape of a history of operations on it.
 *
 * Given code: identical in `chapters/` and `solutions/`.
 * @module
 */

import type { Operation } from '../../shared/checkers/history.js';

/** What a client asked the register to do. */
export type RegisterInput =
  /** Read the value; the output is the number read, or `null` before any write. */
  | { readonly f: 'read' }
  /** Replace the value; the output is `undefined`. */
  | { readonly f: 'write'; readonly value: number }
  /** Replace the value with `to` if it is `from`; the output says whether it did. */
  | { readonly f: 'cas'; readonly from: number; readonly to: number };

/** What a completed operation returned: the value read, whether a cas swapped, or nothing. */
export type RegisterOutput = number | null | boolean | undefined;

/** The register's value: `null` until the first write. */
export type RegisterState = number | null;

/**
 * One operation of a register history (see `shared/checkers/history.ts` for the fields): `ok`
 * took effect between `call` and `return`; `fail` never took effect; `info` may have taken
 * effect once, at any time after `call`, or never (its `return` is `Infinity`).
 */
export type RegisterOp = Operation<RegisterInput, RegisterOutput>;

/** One line for people: `p1 write(3)`, `p2 read → 3`, `p1 cas(3→4) → true`, `p3 write(5) ?`. */
export function describeRegisterOp(op: RegisterOp): string {
  const what =
    op.input.f === 'read' ? 'read' : op.input.f === 'write' ? `write(${op.input.value})` : `cas(${op.input.from}→${op.input.to})`;
  const outcome = op.status === 'fail' ? ' failed' : op.status === 'info' ? ' ?' : op.input.f === 'write' ? '' : ` → ${String(op.output)}`;
  const until = op.return === Infinity ? '∞' : String(op.return);
  return `#${op.id} ${op.process} ${what}${outcome} [${op.call}, ${until}]`;
}
