/**
 * A seeded bank workload for the anomaly checker: transfers between accounts, and audits that
 * read every account and add up the balances. Each account is a list-append key whose elements
 * are the legs of the transfers that touched it, so the checker can read the history, and the
 * balance is the opening balance plus the amounts of the legs in the list.
 */

import { Random } from '../../shared/random.js';
import type { HistoryTxn } from '@impl/chapter06-transactions/history.js';
import type { TransactionEngine } from '@impl/chapter06-transactions/transaction.js';
import { runPlans, type Planned } from './workload.js';

export const ACCOUNTS: readonly string[] = Array.from({ length: 8 }, (_, i) => `account${i + 1}`);
export const OPENING_BALANCE = 100;
/** What every consistent view of the bank adds up to. */
export const TOTAL = ACCOUNTS.length * OPENING_BALANCE;

export interface BankRun {
  readonly history: HistoryTxn[];
  /** The total each committed audit (and the final read, `final`) saw, by transaction name. */
  readonly totals: ReadonlyMap<string, number>;
}

/**
 * Runs `transfers` transfers (read both accounts, then move 1 to 20 from one to the other) and
 * `audits` audits (read every account), mixed at random, at most `concurrency` at once.
 */
export function recordBank(engine: TransactionEngine, seed: number, transfers = 30, audits = 10, concurrency = 4): BankRun {
  const random = Random.stream(seed, 'bank workload');
  const amount = new Map<number, number>(); // leg element → signed amount
  let element = 1;
  const plans: Planned[][] = [];
  for (let t = 0; t < transfers + audits; t++) {
    if (random.int(1, transfers + audits) <= audits) {
      plans.push(ACCOUNTS.map((key) => ({ type: 'read', key })));
      continue;
    }
    const from = random.pick(ACCOUNTS);
    let to = random.pick(ACCOUNTS);
    while (to === from) to = random.pick(ACCOUNTS);
    const sum = random.int(1, 20);
    const out = element++;
    const into = element++;
    amount.set(out, -sum);
    amount.set(into, sum);
    plans.push([{ type: 'read', key: from }, { type: 'read', key: to }, { type: 'append', key: from, element: out }, { type: 'append', key: to, element: into }]);
  }
  const history = runPlans(engine, random, plans, concurrency, ACCOUNTS);
  const totals = new Map<string, number>();
  for (const txn of history) {
    if (txn.status !== 'committed' || txn.ops.length !== ACCOUNTS.length || txn.ops.some((op) => op.type !== 'read')) continue;
    let total = 0;
    for (const op of txn.ops) if (op.type === 'read') total += OPENING_BALANCE + op.list.reduce((sum, leg) => sum + amount.get(leg)!, 0);
    totals.set(txn.name, total);
  }
  return { history, totals };
}
