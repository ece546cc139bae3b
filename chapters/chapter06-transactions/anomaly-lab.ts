/**
 * Exercise 6.5: the anomaly lab. A deterministic scheduler runs the steps of a few transactions
 * in a given interleaving against any {@link TransactionEngine}; running every interleaving of a
 * case's steps gives the level's verdict: the anomaly is *prevented* when no interleaving shows
 * it, *allowed* when one does.
 *
 * How {@link runSchedule} runs an interleaving. Its steps are released one at a time, in order,
 * each to the queue of its transaction (a transaction begins when its first step is released).
 * After each release the scheduler makes passes over the transactions, T1, T2, T3, running the
 * step at the head of each queue, until a pass runs none:
 *
 * - a step that returns is done and leaves its queue;
 * - a step that throws `LockWait` changed nothing and stays at the head of its queue; the
 *   transaction's later steps wait behind it, and it is tried again on the next pass;
 * - a step that throws `TransactionAborted` ends its transaction: the steps queued behind it, and
 *   those released later, are dropped;
 * - `commit` and `abort` steps end their transaction too.
 *
 * When every step has been released and some transactions still wait, none can ever go on
 * (locks are released only when a transaction ends): the engine missed a deadlock, and the
 * scheduler throws `ScheduleStuck` (`errors.ts`) naming who waits where.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { encodeValue, POSTGRES, POSTGRES_LEVEL, rowKey, type AnomalyName, type HermitageCase, type Outcome, type Step, type Verdict } from './hermitage.js';
import type { IsolationLevel, TransactionEngine } from './transaction.js';

const LAB = { exercise: '6.5 The anomaly lab', file: 'chapter06-transactions/anomaly-lab.ts', section: '6.5 The anomaly lab' };

/** Writes a case's starting rows through one committed transaction. */
export function loadRows(engine: TransactionEngine, rows: ReadonlyMap<number, number>): void {
  const txn = engine.begin();
  for (const [id, value] of rows) txn.put(rowKey(id), encodeValue(value));
  txn.commit();
}

/**
 * Runs `order`, one interleaving of a case's steps, on `engine` as the module comment says, and
 * returns what it read, who committed (in commit order), who was aborted and why, and the table
 * afterwards. Throws `ScheduleStuck` when transactions are left waiting forever.
 */
export function runSchedule(engine: TransactionEngine, order: readonly Step[]): Outcome {
  throw new NotImplementedError(LAB);
}

/**
 * Every interleaving of `steps` that keeps each transaction's steps in their order, each once:
 * for transactions of a, b and c steps, (a + b + c)! / (a! b! c!) of them.
 */
export function* interleavings(steps: readonly Step[]): Generator<Step[]> {
  throw new NotImplementedError(LAB);
}

/** The verdict on one case at one level, with an interleaving that shows the anomaly if one does. */
export interface CaseVerdict {
  readonly verdict: Verdict;
  /** How many interleavings ran (all of them when the anomaly is prevented). */
  readonly runs: number;
  /** The first interleaving that showed the anomaly, what it ended with, and the anomaly in words. */
  readonly witness?: { readonly order: readonly Step[]; readonly outcome: Outcome; readonly anomaly: string };
}

/**
 * Runs the interleavings of `testCase`'s script, each on a fresh engine from `makeEngine` loaded
 * with the case's rows, and stops at the first that shows the anomaly: then the verdict is
 * `allowed`, with that interleaving as the witness. When none shows it, `prevented`.
 */
export function judge(makeEngine: () => TransactionEngine, testCase: HermitageCase): CaseVerdict {
  throw new NotImplementedError(LAB);
}

/** The lab's table: for each case, the verdict at each level. */
export type AnomalyTable = ReadonlyMap<AnomalyName, ReadonlyMap<IsolationLevel, Verdict>>;

/**
 * The table as Markdown, one row per case: the verdict at each of `levels`, then PostgreSQL's
 * published verdicts at read committed, repeatable read and serializable. A `*` follows a verdict
 * of ours that differs from PostgreSQL's at the corresponding level.
 */
export function formatTable(table: AnomalyTable, levels: readonly IsolationLevel[]): string {
  const header = ['anomaly', ...levels, 'PG read committed', 'PG repeatable read', 'PG serializable'];
  const rows = [...table].map(([name, row]) => [
    name,
    ...levels.map((level) => {
      const ours = row.get(level) ?? '?';
      return ours === POSTGRES[name][POSTGRES_LEVEL[level]] ? ours : `${ours} *`;
    }),
    ...POSTGRES[name],
  ]);
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
