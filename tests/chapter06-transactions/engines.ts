/** The chapter's four engines, each on a fresh in-memory store, by isolation level. */

import { expect } from 'vitest';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { b } from './helpers.js';
import { TransactionStateError } from '@impl/chapter06-transactions/errors.js';
import { ReadCommittedEngine } from '@impl/chapter06-transactions/read-committed.js';
import { SnapshotEngine } from '@impl/chapter06-transactions/snapshot-isolation.js';
import { SerializableSnapshotEngine } from '@impl/chapter06-transactions/ssi.js';
import type { IsolationLevel, Transaction, TransactionEngine } from '@impl/chapter06-transactions/transaction.js';
import { TwoPhaseLockingEngine } from '@impl/chapter06-transactions/two-phase-locking.js';

export const ENGINES: ReadonlyMap<IsolationLevel, () => TransactionEngine> = new Map<IsolationLevel, () => TransactionEngine>([
  ['read-committed', () => new ReadCommittedEngine(new MemoryKV())],
  ['snapshot', () => new SnapshotEngine(new MemoryKV())],
  ['serializable-2pl', () => new TwoPhaseLockingEngine(new MemoryKV())],
  ['serializable-ssi', () => new SerializableSnapshotEngine(new MemoryKV())],
]);

/** The notes section that teaches each level. */
export const LEVEL_NOTES: Readonly<Record<IsolationLevel, string>> = {
  'read-committed': '6.2 Read committed',
  snapshot: '6.3 Snapshot isolation',
  'serializable-2pl': '6.4 Serializability',
  'serializable-ssi': '6.4 Serializability',
};

/** Runs `step` and returns the error it threw, failing if it threw none. */
export function thrown(step: () => unknown): unknown {
  try {
    step();
  } catch (error) {
    return error;
  }
  throw new Error('expected the operation to throw, but it returned');
}

/** `engine` after one committed transaction that wrote `rows` (UTF-8 keys and values). */
export function loaded<E extends TransactionEngine>(engine: E, rows: Record<string, string>): E {
  const load = engine.begin();
  for (const [k, v] of Object.entries(rows)) load.put(b(k), b(v));
  load.commit();
  return engine;
}

/**
 * Checks that `txn`, which has ended (`status`), refuses every operation with a
 * `TransactionStateError` naming it and the operation; that `abort()` after an abort does nothing;
 * and that `abort()` after a commit is refused.
 */
export function expectEnded(txn: Transaction, status: 'committed' | 'aborted', notes: string): void {
  expect(txn.status, because(`the transaction has ${status}`, notes)).toBe(status);
  const operations: readonly [string, () => unknown][] = [
    ['get', () => txn.get(b('x'))],
    ['put', () => txn.put(b('x'), b('late'))],
    ['delete', () => txn.delete(b('x'))],
    ['scan', () => txn.scan()],
    ['commit', () => txn.commit()],
  ];
  for (const [operation, call] of operations) {
    const error = thrown(call);
    expect(error, because(`${operation} on T${txn.id} after it ${status} is a mistake of the calling code: a TransactionStateError (TxnLifecycle.ensureActive), not a silent success`, notes)).toBeInstanceOf(TransactionStateError);
    expect([(error as TransactionStateError).txn, (error as TransactionStateError).operation], because('the error names the transaction and the refused operation', notes)).toEqual([txn.id, operation]);
  }
  if (status === 'aborted') {
    expect(() => txn.abort(), because('a second abort does nothing (TxnLifecycle.startAbort answers false)', notes)).not.toThrow();
  } else {
    expect(thrown(() => txn.abort()), because('a commit cannot be taken back: abort after commit is a TransactionStateError (TxnLifecycle.startAbort)', notes)).toBeInstanceOf(TransactionStateError);
  }
  expect(txn.status, because('refused operations change nothing, not even the status', notes)).toBe(status);
}
