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

import { LockWait, ScheduleStuck, TransactionAborted } from './errors.js';
import { decodeValue, describeStep, encodeValue, POSTGRES, POSTGRES_LEVEL, rowId, rowKey, TABLE, type AnomalyName, type HermitageCase, type Outcome, type Step, type TxnName, type Verdict } from './hermitage.js';
import type { IsolationLevel, Transaction, TransactionEngine } from './transaction.js';

const TXNS: readonly TxnName[] = ['T1', 'T2', 'T3'];

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
  const reads = new Map<string, string>();
  const committed: TxnName[] = [];
  const aborted = new Map<TxnName, string>();
  const queues = new Map<TxnName, Step[]>();
  const txns = new Map<TxnName, Transaction>();
  const lastWait = new Map<TxnName, LockWait>();

  /** Runs one step: 'done', 'waits' (it stays queued) or 'ended' (its transaction is over). */
  const attempt = (step: Step): 'done' | 'waits' | 'ended' => {
    try {
      runStep(txns.get(step.txn)!, step, reads);
    } catch (error) {
      if (error instanceof LockWait) {
        lastWait.set(step.txn, error);
        return 'waits';
      }
      if (error instanceof TransactionAborted) {
        aborted.set(step.txn, `${error.reason}: ${error.detail}`);
        return 'ended';
      }
      throw error;
    }
    if (step.op === 'commit') committed.push(step.txn);
    if (step.op === 'abort') aborted.set(step.txn, 'its script aborted it');
    return step.op === 'commit' || step.op === 'abort' ? 'ended' : 'done';
  };

  const runQueues = (): void => {
    for (let progress = true; progress; ) {
      progress = false;
      for (const name of TXNS) {
        const queue = queues.get(name);
        const step = queue?.[0];
        if (queue === undefined || step === undefined) continue;
        const result = attempt(step);
        if (result === 'waits') continue;
        progress = true;
        if (result === 'ended') queue.length = 0;
        else queue.shift();
      }
    }
  };

  for (const step of order) {
    if (aborted.has(step.txn)) continue; // the database aborted it: its later steps are dropped
    if (!txns.has(step.txn)) txns.set(step.txn, engine.begin());
    const queue = queues.get(step.txn) ?? [];
    queues.set(step.txn, queue);
    queue.push(step);
    runQueues();
  }

  const stuck = TXNS.filter((name) => (queues.get(name)?.length ?? 0) > 0);
  if (stuck.length > 0) {
    throw new ScheduleStuck(stuck.map((name) => ({ txn: name, step: describeStep(queues.get(name)![0]!), waitsFor: lastWait.get(name)?.message ?? 'a lock' })));
  }
  return { reads, committed, aborted, final: readTable(engine) };
}

function runStep(txn: Transaction, step: Step, reads: Map<string, string>): void {
  switch (step.op) {
    case 'read': {
      const value = txn.get(rowKey(step.id));
      reads.set(step.as, value === undefined ? 'none' : String(decodeValue(value)));
      return;
    }
    case 'write':
      txn.put(rowKey(step.id), encodeValue(typeof step.value === 'number' ? step.value : step.value(reads)));
      return;
    case 'delete':
      txn.delete(rowKey(step.id));
      return;
    case 'select': {
      const rows = txn.scan(TABLE).map((e) => [rowId(e.key), decodeValue(e.value)] as const);
      reads.set(step.as, rows.filter(([, v]) => step.where(v)).map(([id, v]) => `${id}:${v}`).join(','));
      return;
    }
    case 'commit':
      txn.commit();
      return;
    case 'abort':
      txn.abort();
      return;
  }
}

/** The table as a transaction that begins after the schedule sees it. */
function readTable(engine: TransactionEngine): Map<number, number> {
  const txn = engine.begin();
  const rows = new Map(txn.scan(TABLE).map((e) => [rowId(e.key), decodeValue(e.value)] as const));
  txn.commit();
  return rows;
}

/**
 * Every interleaving of `steps` that keeps each transaction's steps in their order, each once:
 * for transactions of a, b and c steps, (a + b + c)! / (a! b! c!) of them.
 */
export function* interleavings(steps: readonly Step[]): Generator<Step[]> {
  const perTxn = TXNS.map((name) => steps.filter((s) => s.txn === name)).filter((list) => list.length > 0);
  const next = perTxn.map(() => 0);
  const order: Step[] = [];
  function* extend(): Generator<Step[]> {
    if (order.length === steps.length) {
      yield [...order];
      return;
    }
    for (let i = 0; i < perTxn.length; i++) {
      const list = perTxn[i]!;
      if (next[i]! >= list.length) continue;
      order.push(list[next[i]!]!);
      next[i]!++;
      yield* extend();
      next[i]!--;
      order.pop();
    }
  }
  yield* extend();
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
  let runs = 0;
  for (const order of interleavings(testCase.script)) {
    runs++;
    const engine = makeEngine();
    loadRows(engine, testCase.rows);
    const outcome = runSchedule(engine, order);
    const anomaly = testCase.anomaly(outcome);
    if (anomaly !== undefined) return { verdict: 'allowed', runs, witness: { order, outcome, anomaly } };
  }
  return { verdict: 'prevented', runs };
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
