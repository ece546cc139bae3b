/** Exercise 6.4: serializability by strict two-phase locking and by serializable snapshot isolation. */

import { describe, expect, it } from 'vitest';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { LockWait, TransactionAborted } from '@impl/chapter06-transactions/errors.js';
import { LockManager } from '@impl/chapter06-transactions/lock-manager.js';
import { SerializableSnapshotEngine } from '@impl/chapter06-transactions/ssi.js';
import type { Transaction, TransactionEngine } from '@impl/chapter06-transactions/transaction.js';
import { TwoPhaseLockingEngine } from '@impl/chapter06-transactions/two-phase-locking.js';
import { b, text } from './helpers.js';
import { loaded, thrown } from './engines.js';

const NOTES = '6.4 Serializability';

/** Runs `step`, returning 'ok', 'wait' or the abort reason. */
function attempt(step: () => void): string {
  try {
    step();
    return 'ok';
  } catch (error) {
    if (error instanceof LockWait) return 'wait';
    if (error instanceof TransactionAborted) return error.reason;
    throw error;
  }
}

describe('6.4 serializability: strict two-phase locking', () => {
  it('a read holds a shared lock until commit: a writer of that row waits, and goes ahead after', () => {
    const engine = loaded(new TwoPhaseLockingEngine(new MemoryKV()), { x: '1' });
    const reader = engine.begin();
    const writer = engine.begin();
    expect(text(reader.get(b('x'))), because('the read itself is granted', NOTES)).toBe('1');
    const wait = thrown(() => writer.put(b('x'), b('2')));
    expect(wait, because('a write waits for the shared lock the reader holds to its end', NOTES)).toBeInstanceOf(LockWait);
    expect((wait as LockWait).holders, because('the holder is named', NOTES)).toEqual([reader.id]);
    expect(text(reader.get(b('x'))), because('so the reader\'s second read repeats the first', NOTES)).toBe('1');
    reader.commit();
    writer.put(b('x'), b('2'));
    writer.commit();
    expect(text(engine.begin().get(b('x'))), because('after the reader committed, the write goes ahead', NOTES)).toBe('2');
  });

  it('readers share a row; a reader waits for a writer\'s exclusive lock', () => {
    const engine = loaded(new TwoPhaseLockingEngine(new MemoryKV()), { x: '1' });
    const [r1, r2, w] = [engine.begin(), engine.begin(), engine.begin()];
    expect([text(r1.get(b('x'))), text(r2.get(b('x')))], because('shared locks are compatible', NOTES)).toEqual(['1', '1']);
    r1.commit();
    r2.commit();
    w.put(b('x'), b('2'));
    expect(attempt(() => engine.begin().get(b('x'))), because('a read waits for the uncommitted writer', NOTES)).toBe('wait');
  });

  it('a scan locks its whole range: an insert of a new key inside it waits, one outside does not (no phantoms)', () => {
    const engine = loaded(new TwoPhaseLockingEngine(new MemoryKV()), { a: '1', c: '3', e: '5' });
    const scanner = engine.begin();
    expect(scanner.scan({ start: b('a'), end: b('d') }).map((e) => text(e.key)), because('the scan sees a and c', NOTES)).toEqual(['a', 'c']);
    const inserter = engine.begin();
    expect(attempt(() => inserter.put(b('b'), b('new'))), because('a key that did not exist, inside a scanned range, is covered by the range lock: the insert waits', NOTES)).toBe('wait');
    const other = engine.begin();
    expect(attempt(() => other.put(b('x'), b('new'))), because('a key outside the range is free', NOTES)).toBe('ok');
    expect(scanner.scan({ start: b('a'), end: b('d') }).map((e) => text(e.key)), because('the repeated scan finds no phantom', NOTES)).toEqual(['a', 'c']);
    scanner.commit();
    expect(attempt(() => inserter.put(b('b'), b('new'))), because('after the scanner commits, the insert goes ahead', NOTES)).toBe('ok');
  });

  it('a scan waits for an uncommitted write inside its range', () => {
    const engine = loaded(new TwoPhaseLockingEngine(new MemoryKV()), { a: '1' });
    const writer = engine.begin();
    writer.put(b('b'), b('2'));
    expect(attempt(() => engine.begin().scan({ start: b('a'), end: b('c') })), because('a range lock waits for an exclusive lock inside the range', NOTES)).toBe('wait');
  });

  it('two readers upgrading to writers deadlock: one is aborted, the other commits', () => {
    const engine = loaded(new TwoPhaseLockingEngine(new MemoryKV()), { x: '10' });
    const [t1, t2] = [engine.begin(), engine.begin()];
    t1.get(b('x'));
    t2.get(b('x'));
    expect(attempt(() => t1.put(b('x'), b('11'))), because('T1 waits for T2\'s shared lock', NOTES)).toBe('wait');
    expect(attempt(() => t2.put(b('x'), b('11'))), because('T2 waiting for T1 closes the cycle: T2 is the victim', NOTES)).toBe('deadlock');
    expect(attempt(() => t1.put(b('x'), b('11'))), because('the survivor proceeds', NOTES)).toBe('ok');
    t1.commit();
  });

  it('the lock manager\'s range lock conflicts with exclusive locks on keys in the range, present or inserted later', () => {
    const locks = new LockManager();
    expect(locks.acquireRange(1, { start: b('a'), end: b('m') }).granted, because('a range lock on an empty range is granted', NOTES)).toBe(true);
    const insert = locks.acquire(2, b('g'), 'exclusive');
    expect(insert.granted ? [] : insert.holders, because('an exclusive lock on a key inside the range waits for the range\'s holder', NOTES)).toEqual([1]);
    expect(locks.acquire(2, b('m'), 'exclusive').granted, because('the range is half-open: its end is outside', NOTES)).toBe(true);
    const range = locks.acquireRange(3, { start: b('k'), end: b('z') });
    expect(range.granted ? [] : range.holders, because('a range lock waits for an exclusive lock inside it', NOTES)).toEqual([2]);
    expect(locks.acquire(1, b('c'), 'exclusive').granted, because('a transaction\'s own range lock does not block its writes', NOTES)).toBe(true);
  });
});

describe('6.4 serializability: serializable snapshot isolation', () => {
  function doctors(engine: TransactionEngine): { t1: Transaction; t2: Transaction; results: string[] } {
    loaded(engine, { alice: 'on', bob: 'on' });
    const [t1, t2] = [engine.begin(), engine.begin()];
    const results: string[] = [];
    const onCall = (t: Transaction): number => t.scan().filter((e) => text(e.value) === 'on').length;
    results.push(attempt(() => void onCall(t1)), attempt(() => void onCall(t2)));
    results.push(attempt(() => t1.put(b('alice'), b('off'))), attempt(() => t2.put(b('bob'), b('off'))));
    results.push(attempt(() => t1.commit()), attempt(() => t2.commit()));
    return { t1, t2, results };
  }

  it('write skew (the on-call doctors) does not commit: a transaction is aborted with a serialization failure naming the dangerous structure', () => {
    const engine = new SerializableSnapshotEngine(new MemoryKV());
    const { results } = doctors(engine);
    expect(results, because('SSI aborts a transaction of the dangerous structure instead of letting both commit', NOTES)).toContain('serialization-failure');
    const after = engine.begin().scan().filter((e) => text(e.value) === 'on');
    expect(after.length, because('at least one doctor is still on call: the outcome of some serial order', NOTES)).toBeGreaterThanOrEqual(1);
  });

  it('of the on-call doctors, exactly one is aborted: edges to and from an aborted transaction no longer count, so the survivor commits', () => {
    const engine = new SerializableSnapshotEngine(new MemoryKV());
    const { t1, t2, results } = doctors(engine);
    expect(results.filter((r) => r !== 'ok'), because(`one abort breaks the cycle; aborting the survivor too (it keeps an edge to and from T${t1.id}, which aborted) throws away work for nothing: got ${JSON.stringify(results)}`, NOTES)).toEqual(['serialization-failure']);
    expect([t1.status, t2.status].sort(), because('one committed, one aborted', NOTES)).toEqual(['aborted', 'committed']);
  });

  it('the explanation of a serialization failure names the transactions of the rw-dependencies', () => {
    const engine = loaded(new SerializableSnapshotEngine(new MemoryKV()), { x: '0', y: '0' });
    const [t1, t2] = [engine.begin(), engine.begin()];
    t1.get(b('y'));
    t2.get(b('x'));
    t1.put(b('x'), b('1'));
    t2.put(b('y'), b('1'));
    let error: unknown;
    for (const t of [t1, t2]) {
      try {
        t.commit();
      } catch (e) {
        error ??= e;
      }
    }
    expect(error, because('one of the two must not commit', NOTES)).toBeInstanceOf(TransactionAborted);
    expect((error as TransactionAborted).reason, because('the reason is a serialization failure', NOTES)).toBe('serialization-failure');
    expect((error as TransactionAborted).message, because('the explanation names both transactions', NOTES)).toMatch(new RegExp(`T${t1.id}.*T${t2.id}|T${t2.id}.*T${t1.id}`));
  });

  it('transactions without rw-dependency cycles all commit: reads of data nobody overwrote, writes to different keys', () => {
    const engine = loaded(new SerializableSnapshotEngine(new MemoryKV()), { x: '0', y: '0', z: '0' });
    const [t1, t2, t3] = [engine.begin(), engine.begin(), engine.begin()];
    t1.get(b('z'));
    t1.put(b('x'), b('1'));
    t2.get(b('z'));
    t2.put(b('y'), b('2'));
    t3.get(b('x')); // reads the old x: T3 -rw-> T1, one edge, no cycle
    expect([attempt(() => t1.commit()), attempt(() => t2.commit()), attempt(() => t3.commit())], because('a single rw-dependency is no dangerous structure: SSI must not abort', NOTES)).toEqual(['ok', 'ok', 'ok']);
  });

  it('a read by a transaction that committed before the writer began is no rw-antidependency: the writer saw its effects', () => {
    const engine = loaded(new SerializableSnapshotEngine(new MemoryKV()), { x: '0', z: '0' });
    const early = engine.begin();
    early.get(b('x'));
    early.commit();
    const [t2, t3] = [engine.begin(), engine.begin()];
    t2.get(b('z'));
    t3.put(b('z'), b('3')); // T2 -rw-> T3: T2 read z, T3 overwrote it, concurrently
    t2.put(b('x'), b('2')); // x was read by `early`, which committed before T2 began: no edge
    expect([attempt(() => t3.commit()), attempt(() => t2.commit())], because(`the order T${early.id}, T${t2.id}, T${t3.id} explains everything. SSI records rw-edges only from readers concurrent with the writer (still running, or committed after the writer's snapshot); an edge T${early.id} → T${t2.id} would make T${t2.id} a false pivot`, NOTES)).toEqual(['ok', 'ok']);
  });

  it('a read that skips a concurrent writer\'s newer version is tracked, as well as a write over a concurrent read', () => {
    // T2 writes x first; T1 then reads the old x (read side), and writes y that T2 read (write side).
    const engine = loaded(new SerializableSnapshotEngine(new MemoryKV()), { x: '0', y: '0' });
    const [t1, t2] = [engine.begin(), engine.begin()];
    t2.get(b('y'));
    t2.put(b('x'), b('2'));
    t1.get(b('x'));
    t1.put(b('y'), b('1'));
    const results = [attempt(() => t2.commit()), attempt(() => t1.commit())];
    expect(results, because('T1 -rw-> T2 (found when T1 read x) and T2 -rw-> T1 (found when T1 wrote y) form a cycle: one must abort', NOTES)).toContain('serialization-failure');
  });
});
