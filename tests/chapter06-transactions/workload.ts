/**
 * A seeded list-append workload run against any engine, recorded as a history for the anomaly
 * checker (exercise 6.6). Each key's value is its list as comma-separated text; an append is a
 * read of the list and a write of the longer one in the same transaction.
 */

import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { Random } from '../../shared/random.js';
import { LockWait, TransactionAborted } from '@impl/chapter06-transactions/errors.js';
import type { HistoryOp, HistoryTxn } from '@impl/chapter06-transactions/history.js';
import type { Transaction, TransactionEngine } from '@impl/chapter06-transactions/transaction.js';

/** One operation a transaction will do: read a key's list, or append a unique element to it. */
export type Planned = { readonly type: 'read'; readonly key: string } | { readonly type: 'append'; readonly key: string; readonly element: number };

export interface Workload {
  readonly keys: readonly string[];
  readonly transactions: number;
  /** How many transactions run at once at most. */
  readonly concurrency: number;
  /**
   * `random`: 1 to 4 reads or appends of random keys. `write-skew`: read two keys, then append to
   * one of them, the pattern that snapshot isolation lets through.
   */
  readonly shape: 'random' | 'write-skew';
}

function plan(random: Random, workload: Workload): Planned[][] {
  let element = 1;
  const key = (): string => workload.keys[random.int(0, workload.keys.length - 1)]!;
  return Array.from({ length: workload.transactions }, () => {
    if (workload.shape === 'write-skew') {
      const a = key();
      let b = key();
      while (b === a) b = key();
      return [{ type: 'read', key: a }, { type: 'read', key: b }, { type: 'append', key: random.chance(0.5) ? a : b, element: element++ }];
    }
    return Array.from({ length: random.int(1, 4) }, (): Planned => (random.chance(0.5) ? { type: 'read', key: key() } : { type: 'append', key: key(), element: element++ }));
  });
}

const readList = (txn: Transaction, key: string): number[] => {
  const value = txn.get(utf8(key));
  return value === undefined || value.length === 0 ? [] : fromUtf8(value).split(',').map(Number);
};

interface Running {
  readonly name: string;
  readonly txn: Transaction;
  readonly plan: readonly Planned[];
  readonly done: HistoryOp[];
}

/**
 * Runs the workload on `engine`, interleaving the transactions' operations at random from `seed`,
 * and returns the history: every transaction with what it saw and whether it committed, then a
 * committed transaction `final` that reads every key.
 */
export function recordHistory(engine: TransactionEngine, seed: number, workload: Workload): HistoryTxn[] {
  const random = Random.stream(seed, 'list-append workload');
  const plans = plan(random, workload);
  return runPlans(engine, random, plans, workload.concurrency, workload.keys);
}

/**
 * Runs the transactions `plans` on `engine`, at most `concurrency` at once, interleaving their
 * operations at random from `random`; then a committed transaction `final` reads every one of
 * `keys`. An append reads the list and writes the longer one in one step. Returns the history.
 */
export function runPlans(engine: TransactionEngine, random: Random, plans: readonly (readonly Planned[])[], concurrency: number, keys: readonly string[]): HistoryTxn[] {
  const history: HistoryTxn[] = [];
  const active: Running[] = [];
  let started = 0;
  let waitsInARow = 0;
  while (started < plans.length || active.length > 0) {
    const canStart = started < plans.length && active.length < concurrency;
    const choice = random.int(0, active.length - (canStart ? 0 : 1));
    if (choice === active.length) {
      active.push({ name: `T${started + 1}`, txn: engine.begin(), plan: plans[started]!, done: [] });
      started++;
      continue;
    }
    const running = active[choice]!;
    try {
      const op = running.plan[running.done.length];
      if (op === undefined) {
        running.txn.commit();
        history.push({ name: running.name, status: 'committed', ops: running.done });
        active.splice(choice, 1);
      } else if (op.type === 'read') {
        running.done.push({ type: 'read', key: op.key, list: readList(running.txn, op.key) });
      } else {
        const list = readList(running.txn, op.key);
        running.txn.put(utf8(op.key), utf8([...list, op.element].join(',')));
        running.done.push(op);
      }
      waitsInARow = 0;
    } catch (error) {
      if (error instanceof LockWait) {
        if (++waitsInARow > 100 * concurrency) throw new Error(`the workload is stuck: every transaction waits (${error.message})`);
        continue;
      }
      if (!(error instanceof TransactionAborted)) throw error;
      history.push({ name: running.name, status: 'aborted', ops: running.done });
      active.splice(choice, 1);
      waitsInARow = 0;
    }
  }
  const final = engine.begin();
  history.push({ name: 'final', status: 'committed', ops: keys.map((key) => ({ type: 'read', key, list: readList(final, key) })) });
  final.commit();
  return history;
}
