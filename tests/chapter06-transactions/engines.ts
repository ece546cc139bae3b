/** The chapter's four engines, each on a fresh in-memory store, by isolation level. */

import { MemoryKV } from '../../shared/memory-kv.js';
import { b } from './helpers.js';
import { ReadCommittedEngine } from '@impl/chapter06-transactions/read-committed.js';
import { SnapshotEngine } from '@impl/chapter06-transactions/snapshot-isolation.js';
import { SerializableSnapshotEngine } from '@impl/chapter06-transactions/ssi.js';
import type { IsolationLevel, TransactionEngine } from '@impl/chapter06-transactions/transaction.js';
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
