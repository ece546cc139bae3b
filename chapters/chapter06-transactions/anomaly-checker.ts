/**
 * Exercise 6.6: an anomaly checker over a recorded history, after Elle (Kingsbury and Alvaro,
 * 2020) in a simplified form. The anomaly lab asks an engine; this asks a history, so it can
 * judge any database whose clients recorded what they did and saw.
 *
 * The history is a list-append workload (`history.ts`): every appended element is unique, so a
 * read of a key's list shows exactly which appends it saw. From the committed transactions the
 * checker builds the dependency graph of Adya (1999):
 *
 * - the **version order** of a key is the longest list any committed transaction read of it;
 *   every other read of the key must be a prefix of it;
 * - **ww**: the appender of an element → the appender of the next element in that order;
 * - **wr**: the appender of the last element of a list that was read → the reader;
 * - **rw**: the reader of a list → the appender of the element that comes next in that order
 *   (the reader did not see it, so it must come before that writer);
 *
 * leaving out edges from a transaction to itself. Aborted transactions add nothing: not their
 * appends, not their reads. A history is serializable only if the graph has no cycle. Cycles are
 * found as strongly connected components (Tarjan, 1972), first of the ww edges alone, then of ww
 * and wr, then of all three; each component is reported once, at the first of those that finds
 * it, with one cycle classified by its edges: **G0** (only ww), **G1c** (ww and wr),
 * **G-single** (exactly one rw), **G2-item** (two or more rw). At the first two levels the cycle
 * is a shortest one through the component's first transaction. At the last, the checker first
 * looks for a G-single cycle (an rw edge `A → B` and a path of ww and wr edges back from `B` to
 * `A`), and only when the component has none reports a shortest cycle, which is then G2-item.
 *
 * Lost updates (P4) are found directly ({@link lostUpdates}): a transaction read a key, then
 * appended to it, and the element after what it read is another transaction's.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { Dependency, DependencyCycle, HistoryTxn, LostUpdate } from './history.js';

const CHECKER = { exercise: '6.6 The anomaly checker', file: 'chapter06-transactions/anomaly-checker.ts', section: '6.6 The anomaly checker' };

/**
 * The dependency edges between the committed transactions of `history`, each (from, to, type,
 * key) once, none from a transaction to itself. Throws a `HistoryError` for a history the rules
 * of the module comment cannot read: two transactions with one name, an element appended twice,
 * a read of an element no committed transaction appended, or two reads of a key that are not
 * prefixes of one another.
 */
export function dependencyGraph(history: readonly HistoryTxn[]): Dependency[] {
  throw new NotImplementedError(CHECKER);
}

/**
 * Every lost update (P4) in `history`: a committed transaction that read a key and later
 * appended to it, where the element that follows what it last read before that append, in the
 * key's version order, is not its own. Only its first append to each key counts. Throws a
 * `HistoryError` for a history {@link dependencyGraph} cannot read.
 */
export function lostUpdates(history: readonly HistoryTxn[]): LostUpdate[] {
  throw new NotImplementedError(CHECKER);
}

/**
 * The cycles of the graph `edges`, as the module comment says: one per strongly connected
 * component of two or more transactions, found at the first level (ww; ww and wr; all) that
 * finds it, a G-single cycle in preference at the last level, classified by the edges of the
 * cycle reported. Empty when the graph is acyclic.
 */
export function findCycles(edges: readonly Dependency[]): DependencyCycle[] {
  throw new NotImplementedError(CHECKER);
}

/** Every cycle in the dependency graph of `history`: none means the history is serializable. */
export function checkHistory(history: readonly HistoryTxn[]): DependencyCycle[] {
  return findCycles(dependencyGraph(history));
}
