/** Exercise 6.2: read committed with row locks, and the lock manager's deadlock detection. */

import { describe, expect, it } from 'vitest';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { LockWait, TransactionAborted } from '@impl/chapter06-transactions/errors.js';
import { LockManager } from '@impl/chapter06-transactions/lock-manager.js';
import { ReadCommittedEngine } from '@impl/chapter06-transactions/read-committed.js';
import { b, text } from './helpers.js';
import { expectEnded, loaded, thrown } from './engines.js';

const NOTES = '6.2 Read committed';

function engineWith(rows: Record<string, string>): ReadCommittedEngine {
  return loaded(new ReadCommittedEngine(new MemoryKV()), rows);
}

describe('6.2 read committed', () => {
  it('no dirty reads: another transaction sees a write only once it commits, then at once', () => {
    const engine = engineWith({ x: '1' });
    const writer = engine.begin();
    const reader = engine.begin();
    writer.put(b('x'), b('2'));
    expect(text(writer.get(b('x'))), because('a transaction reads its own uncommitted write', NOTES)).toBe('2');
    expect(text(reader.get(b('x'))), because('no dirty read: an uncommitted write is invisible to others', NOTES)).toBe('1');
    writer.commit();
    expect(text(reader.get(b('x'))), because('read committed: each read sees the latest committed value, even in a transaction that began earlier', NOTES)).toBe('2');
  });

  it('no dirty writes: a second writer of a row waits for the first to commit, then overwrites it', () => {
    const engine = engineWith({ x: '1' });
    const t1 = engine.begin();
    const t2 = engine.begin();
    t1.put(b('x'), b('t1'));
    const wait = thrown(() => t2.put(b('x'), b('t2')));
    expect(wait, because('a write to a row another transaction has written but not committed must wait for its lock', NOTES)).toBeInstanceOf(LockWait);
    expect((wait as LockWait).holders, because('LockWait names the lock\'s holder', NOTES)).toEqual([t1.id]);
    t1.commit();
    t2.put(b('x'), b('t2'));
    t2.commit();
    expect(text(engine.begin().get(b('x'))), because('once the first writer committed, the waiting write goes ahead', NOTES)).toBe('t2');
  });

  it('a delete is a write: it takes the row lock too, so it neither overwrites nor is overwritten by an uncommitted write', () => {
    const engine = engineWith({ x: '1', y: '1' });
    const [t1, t2] = [engine.begin(), engine.begin()];
    t1.put(b('x'), b('t1'));
    expect(thrown(() => t2.delete(b('x'))), because('deleting a row another transaction has written but not committed is a dirty write: the delete waits for the row lock', NOTES)).toBeInstanceOf(LockWait);
    t1.commit();
    t2.delete(b('x'));
    t2.commit();
    const [t3, t4] = [engine.begin(), engine.begin()];
    t3.delete(b('y'));
    expect(thrown(() => t4.put(b('y'), b('t4'))), because('writing a row another transaction has deleted but not committed waits for the deleter\'s row lock', NOTES)).toBeInstanceOf(LockWait);
    t3.commit();
    t4.put(b('y'), b('t4'));
    t4.commit();
    const after = engine.begin();
    expect([text(after.get(b('x'))), text(after.get(b('y')))], because('each waiting write went ahead once the row lock was free', NOTES)).toEqual(['(none)', 't4']);
  });

  it('an aborted transaction leaves no trace and releases its locks', () => {
    const engine = engineWith({ x: '1' });
    const t1 = engine.begin();
    t1.put(b('x'), b('gone'));
    t1.put(b('y'), b('gone'));
    t1.abort();
    const t2 = engine.begin();
    t2.put(b('x'), b('2'));
    t2.commit();
    const after = engine.begin();
    expect([text(after.get(b('x'))), text(after.get(b('y')))], because('an abort undoes every write and frees the row locks', NOTES)).toEqual(['2', '(none)']);
  });

  it('a scan shows committed rows overlaid with the transaction\'s own writes, in order, with reverse and limit', () => {
    const engine = engineWith({ a: '1', b: '2', c: '3', d: '4' });
    const txn = engine.begin();
    txn.put(b('bb'), b('new'));
    txn.delete(b('c'));
    txn.put(b('a'), b('changed'));
    const show = (entries: { key: Uint8Array; value: Uint8Array }[]): string[] => entries.map((e) => `${text(e.key)}=${text(e.value)}`);
    expect(show(txn.scan()), because('own puts and deletes overlay the committed rows', NOTES)).toEqual(['a=changed', 'b=2', 'bb=new', 'd=4']);
    expect(show(txn.scan({ start: b('b'), end: b('d'), reverse: true, limit: 2 })), because('the range, direction and limit apply to the overlaid rows', NOTES)).toEqual(['bb=new', 'b=2']);
    expect(show(engine.begin().scan()), because('others see none of it before commit', NOTES)).toEqual(['a=1', 'b=2', 'c=3', 'd=4']);
  });

  it('a commit is atomic: a reader sees all of a transaction\'s writes or none', () => {
    const engine = engineWith({ x: '0', y: '0' });
    const writer = engine.begin();
    const reader = engine.begin();
    writer.put(b('x'), b('1'));
    writer.put(b('y'), b('1'));
    expect(text(reader.get(b('x'))), because('before the commit: the old value', NOTES)).toBe('0');
    writer.commit();
    expect(text(reader.get(b('y'))), because('after the commit: the new value of every key it wrote', NOTES)).toBe('1');
  });

  it('a deadlock aborts exactly one transaction, with a TransactionAborted naming the cycle, and the other proceeds', () => {
    const engine = engineWith({ a: '0', b: '0' });
    const t1 = engine.begin();
    const t2 = engine.begin();
    t1.put(b('a'), b('t1'));
    t2.put(b('b'), b('t2'));
    expect(thrown(() => t1.put(b('b'), b('t1'))), because('T1 waits for T2\'s lock on b', NOTES)).toBeInstanceOf(LockWait);
    const error = thrown(() => t2.put(b('a'), b('t2')));
    expect(error, because('T2 waiting for T1 would close the cycle T2 → T1 → T2: a deadlock, and T2, whose request closed it, is the victim', NOTES)).toBeInstanceOf(TransactionAborted);
    const aborted = error as TransactionAborted;
    expect([aborted.reason, aborted.txn], because('the error says why and which transaction', NOTES)).toEqual(['deadlock', t2.id]);
    expect(aborted.message, because('the explanation names the transactions on the cycle', NOTES)).toMatch(new RegExp(`T${t1.id}.*T${t2.id}|T${t2.id}.*T${t1.id}`));
    expect([t1.status, t2.status], because('one victim per cycle; the other is still running', NOTES)).toEqual(['active', 'aborted']);
    t1.put(b('b'), b('t1'));
    t1.commit();
    const after = engine.begin();
    expect([text(after.get(b('a'))), text(after.get(b('b')))], because('the survivor\'s retried write goes ahead and commits; the victim left nothing', NOTES)).toEqual(['t1', 't1']);
  });

  it('a three-transaction deadlock has exactly one victim, and the other two finish', () => {
    const engine = engineWith({});
    const [t1, t2, t3] = [engine.begin(), engine.begin(), engine.begin()];
    t1.put(b('a'), b('1'));
    t2.put(b('b'), b('2'));
    t3.put(b('c'), b('3'));
    expect(thrown(() => t1.put(b('b'), b('1'))), because('T1 waits for T2', NOTES)).toBeInstanceOf(LockWait);
    expect(thrown(() => t2.put(b('c'), b('2'))), because('T2 waits for T3: no cycle yet', NOTES)).toBeInstanceOf(LockWait);
    expect(thrown(() => t3.put(b('a'), b('3'))), because('T3 waiting for T1 closes T3 → T1 → T2 → T3', NOTES)).toBeInstanceOf(TransactionAborted);
    expect([t1.status, t2.status, t3.status], because('exactly one victim', NOTES)).toEqual(['active', 'active', 'aborted']);
    t2.put(b('c'), b('2'));
    t2.commit();
    t1.put(b('b'), b('1'));
    t1.commit();
    const after = engine.begin();
    expect(['a', 'b', 'c'].map((k) => text(after.get(b(k)))), because('the two survivors finish in wait order', NOTES)).toEqual(['1', '1', '2']);
  });
  it('an ended transaction refuses every operation and changes nothing: after commit, after abort, after losing a deadlock', () => {
    const engine = engineWith({ x: '1', y: '1' });
    const committed = engine.begin();
    committed.put(b('x'), b('2'));
    committed.commit();
    expectEnded(committed, 'committed', NOTES);
    const aborted = engine.begin();
    aborted.put(b('y'), b('gone'));
    aborted.abort();
    expectEnded(aborted, 'aborted', NOTES);
    expect(text(engine.begin().get(b('y'))), because('a commit refused after an abort must not apply the write set the abort dropped', NOTES)).toBe('1');
    const [t1, t2] = [engine.begin(), engine.begin()];
    t1.put(b('x'), b('t1'));
    t2.put(b('y'), b('t2'));
    thrown(() => t1.put(b('y'), b('t1')));
    expect(thrown(() => t2.put(b('x'), b('t2'))), because('T2 closes the cycle and is the victim', NOTES)).toBeInstanceOf(TransactionAborted);
    expectEnded(t2, 'aborted', NOTES);
    t1.put(b('y'), b('t1'));
    t1.commit();
    const after = engine.begin();
    expect([text(after.get(b('x'))), text(after.get(b('y')))], because('the victim\'s refused calls took no lock and wrote nothing: the survivor goes on and commits', NOTES)).toEqual(['t1', 't1']);
  });
});

describe('6.2 read committed: the lock manager', () => {
  it('shared locks are compatible with each other, exclusive ones with nothing another holds; own locks never conflict', () => {
    const locks = new LockManager();
    expect(locks.acquire(1, b('k'), 'shared').granted, because('a first lock is granted', NOTES)).toBe(true);
    expect(locks.acquire(2, b('k'), 'shared').granted, because('two readers may share a row', NOTES)).toBe(true);
    const refused = locks.acquire(3, b('k'), 'exclusive');
    expect(refused.granted ? [] : refused.holders, because('an exclusive request waits for every other holder', NOTES)).toEqual([1, 2]);
    locks.releaseAll(2);
    expect(locks.acquire(1, b('k'), 'exclusive').granted, because('a holder may upgrade to exclusive once it is the only one', NOTES)).toBe(true);
    expect(locks.acquire(1, b('k'), 'shared').granted, because('a transaction\'s own exclusive lock does not block its reads', NOTES)).toBe(true);
    const other = locks.acquire(2, b('k'), 'shared');
    expect(other.granted ? [] : other.holders, because('a shared request waits for another\'s exclusive lock', NOTES)).toEqual([1]);
    locks.releaseAll(1);
    expect(locks.acquire(2, b('k'), 'shared').granted, because('releasing frees the row', NOTES)).toBe(true);
  });

  it('the wait-for graph finds a cycle through the requester and names it; no cycle, no deadlock', () => {
    const locks = new LockManager();
    locks.acquire(1, b('a'), 'exclusive');
    locks.acquire(2, b('b'), 'exclusive');
    const wait = locks.acquire(1, b('b'), 'exclusive');
    expect(!wait.granted && wait.deadlock === undefined, because('T1 waiting for T2 is no deadlock', NOTES)).toBe(true);
    const dead = locks.acquire(2, b('a'), 'exclusive');
    expect(dead.granted ? undefined : dead.deadlock, because('T2 waiting for T1 closes a cycle, reported from the requester round to it', NOTES)).toEqual([2, 1, 2]);
  });

  it('a transaction that is granted a lock, or ends, no longer waits: its old wait-for edges close no cycle', () => {
    const locks = new LockManager();
    locks.acquire(1, b('a'), 'exclusive');
    locks.acquire(2, b('b'), 'exclusive');
    expect(locks.acquire(2, b('a'), 'exclusive').granted, because('T2 must wait for T1\'s lock on a', NOTES)).toBe(false);
    expect([...locks.waitsFor()], because('the refused request is an edge T2 → T1 of the wait-for graph', NOTES)).toEqual([[2, [1]]]);
    expect(locks.acquire(2, b('c'), 'exclusive').granted, because('T2 went on with another operation instead', NOTES)).toBe(true);
    expect([...locks.waitsFor()], because('a granted request forgets the requester\'s edges: T2 is not waiting any more', NOTES)).toEqual([]);
    const request = locks.acquire(1, b('b'), 'exclusive');
    expect(request.granted ? 'granted' : (request.deadlock ?? 'waits'), because('T1 waiting for T2 is no deadlock: T2 waits for nobody (a stale edge T2 → T1 would make a false cycle and abort T1 for nothing)', NOTES)).toBe('waits');
    locks.releaseAll(1);
    expect([...locks.waitsFor()], because('a transaction that ends leaves the wait-for graph', NOTES)).toEqual([]);
  });

  it('two waiters that wait for the same transaction are no cycle: a transaction reached twice is not a deadlock', () => {
    const locks = new LockManager();
    locks.acquire(4, b('d'), 'exclusive');
    locks.acquire(2, b('s'), 'shared');
    locks.acquire(3, b('s'), 'shared');
    locks.acquire(2, b('d'), 'exclusive');
    locks.acquire(3, b('d'), 'exclusive');
    const request = locks.acquire(1, b('s'), 'exclusive');
    expect(request.granted ? 'granted' : (request.deadlock ?? 'waits'), because('T1 → T2 → T4 and T1 → T3 → T4 meet at T4, which waits for nobody: a depth-first search that meets a transaction it has already seen has found no cycle, only a cycle back to the requester is one', NOTES)).toBe('waits');
  });
});
