/** Exercise 6.3: snapshot isolation with MVCC: visibility, first-committer-wins, garbage collection. */

import { describe, expect, it } from 'vitest';
import { MemoryKV } from '../../shared/memory-kv.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { TransactionAborted } from '@impl/chapter06-transactions/errors.js';
import { SnapshotEngine } from '@impl/chapter06-transactions/snapshot-isolation.js';
import type { Transaction } from '@impl/chapter06-transactions/transaction.js';
import { b, text } from './helpers.js';
import { expectEnded, loaded, thrown } from './engines.js';

const NOTES = '6.3 Snapshot isolation';
const GC = '6.3 Snapshot isolation';

function engineWith(rows: Record<string, string>): SnapshotEngine {
  return loaded(new SnapshotEngine(new MemoryKV()), rows);
}

describe('6.3 snapshot isolation: visibility', () => {
  it('a transaction reads its snapshot: what committed before it began, and never what committed later', () => {
    const engine = engineWith({ x: '1', y: '1' });
    const reader = engine.begin();
    expect(text(reader.get(b('x'))), because('the snapshot holds what committed before it began', NOTES)).toBe('1');
    const writer = engine.begin();
    writer.put(b('x'), b('2'));
    writer.put(b('y'), b('2'));
    writer.commit();
    expect([text(reader.get(b('x'))), text(reader.get(b('y')))], because('a later commit is invisible to an older snapshot: reads repeat', NOTES)).toEqual(['1', '1']);
    expect(text(engine.begin().get(b('y'))), because('a snapshot taken after the commit sees it', NOTES)).toBe('2');
  });

  it('a transaction in progress when the snapshot was taken stays invisible, even after it commits', () => {
    const engine = engineWith({ x: '1' });
    const early = engine.begin();
    early.put(b('x'), b('early'));
    const reader = engine.begin(); // `early` is in progress now
    early.commit();
    expect(text(reader.get(b('x'))), because('the visibility rule: a writer that was in progress when the snapshot was taken is invisible to it for good', NOTES)).toBe('1');
    expect(reader.scan().map((e) => text(e.value)), because('scans follow the same rule', NOTES)).toEqual(['1']);
  });

  it('a transaction sees its own writes and deletes, in reads and scans; others see none of them before commit', () => {
    const engine = engineWith({ a: '1', b: '2', c: '3' });
    const txn = engine.begin();
    txn.put(b('a'), b('mine'));
    txn.delete(b('b'));
    txn.put(b('d'), b('new'));
    expect([text(txn.get(b('a'))), text(txn.get(b('b')))], because('own writes are visible to their writer', NOTES)).toEqual(['mine', '(none)']);
    expect(txn.scan().map((e) => `${text(e.key)}=${text(e.value)}`), because('a scan shows own writes, and a deleted key not at all', NOTES)).toEqual(['a=mine', 'c=3', 'd=new']);
    expect(txn.scan({ reverse: true, limit: 2 }).map((e) => text(e.key)), because('reverse and limit apply to what is visible', NOTES)).toEqual(['d', 'c']);
    expect(engine.begin().scan().map((e) => text(e.value)), because('no dirty reads under snapshot isolation either', NOTES)).toEqual(['1', '2', '3']);
  });

  it('an aborted transaction\'s versions are removed and never seen', () => {
    const engine = engineWith({ x: '1' });
    const before = engine.versionCount();
    const txn = engine.begin();
    txn.put(b('x'), b('2'));
    txn.put(b('y'), b('2'));
    txn.abort();
    expect(text(engine.begin().get(b('x'))), because('an aborted write is invisible', NOTES)).toBe('1');
    expect(engine.versionCount(), because('abort removes the versions it wrote', NOTES)).toBe(before);
  });
});

describe('6.3 snapshot isolation: first committer wins', () => {
  it('of two concurrent writers of a key, the second to commit is aborted with a write-conflict naming the winner', () => {
    const engine = engineWith({ x: '0' });
    const t1 = engine.begin();
    const t2 = engine.begin();
    t1.put(b('x'), b('t1'));
    t2.put(b('x'), b('t2'));
    t2.commit();
    const error = thrown(() => t1.commit());
    expect(error, because('T2 committed a write to x after T1\'s snapshot: T1 may not commit its own write to x (checked at commit, not only when writing)', NOTES)).toBeInstanceOf(TransactionAborted);
    expect((error as TransactionAborted).reason, because('the reason is a write conflict', NOTES)).toBe('write-conflict');
    expect((error as TransactionAborted).message, because('the explanation names the winner', NOTES)).toContain(`T${t2.id}`);
    expect(t1.status, because('the loser is aborted', NOTES)).toBe('aborted');
    expect(text(engine.begin().get(b('x'))), because('the first committer\'s value stays', NOTES)).toBe('t2');
  });

  it('writing a key that a concurrent transaction has already committed aborts the writer', () => {
    const engine = engineWith({ x: '0' });
    const t1 = engine.begin();
    const t2 = engine.begin();
    t2.put(b('x'), b('t2'));
    t2.commit();
    const error = thrown(() => {
      t1.put(b('x'), b('t1'));
      t1.commit();
    });
    expect((error as TransactionAborted).reason, because('a write-conflict, at the write or at the latest at commit', NOTES)).toBe('write-conflict');
    expect(text(engine.begin().get(b('x'))), because('nothing of the loser remains', NOTES)).toBe('t2');
  });

  it('writers of different keys, or one after the other, both commit', () => {
    const engine = engineWith({ x: '0', y: '0' });
    const t1 = engine.begin();
    const t2 = engine.begin();
    t1.put(b('x'), b('1'));
    t2.put(b('y'), b('2'));
    t1.commit();
    t2.commit();
    const t3 = engine.begin();
    t3.put(b('x'), b('3'));
    t3.commit();
    const after = engine.begin();
    expect([text(after.get(b('x'))), text(after.get(b('y')))], because('no conflict without a common key written concurrently', NOTES)).toEqual(['3', '2']);
  });
  it('an ended transaction refuses every operation and writes no version: after commit, after abort, after losing a write conflict', () => {
    const engine = engineWith({ x: '0' });
    const committed = engine.begin();
    committed.put(b('x'), b('1'));
    committed.commit();
    const aborted = engine.begin();
    aborted.put(b('y'), b('gone'));
    aborted.abort();
    const [loser, winner] = [engine.begin(), engine.begin()];
    loser.put(b('z'), b('loser'));
    winner.put(b('x'), b('winner'));
    winner.commit();
    const conflict = thrown(() => {
      loser.put(b('x'), b('loser'));
      loser.commit();
    });
    expect(conflict, because('the loser wrote a key the winner committed after its snapshot: a write conflict, at the write or at commit', NOTES)).toBeInstanceOf(TransactionAborted);
    const versions = engine.versionCount();
    expectEnded(committed, 'committed', NOTES);
    expectEnded(aborted, 'aborted', NOTES);
    expectEnded(loser, 'aborted', NOTES);
    expect(engine.versionCount(), because('a refused operation stores no version', NOTES)).toBe(versions);
    expect(engine.begin().scan().map((e) => `${text(e.key)}=${text(e.value)}`), because('only the committed writes are visible', NOTES)).toEqual(['x=winner']);
  });
});

describe('6.3 snapshot isolation: garbage collection', () => {
  it('gc keeps every version a live snapshot can see, and removes the rest once it ends', () => {
    const engine = engineWith({ x: 'v0', y: 'y0' });
    const old = engine.begin();
    expect(text(old.get(b('x'))), because('the long reader starts at v0', GC)).toBe('v0');
    for (let i = 1; i <= 5; i++) {
      const w = engine.begin();
      w.put(b('x'), b(`v${i}`));
      w.commit();
    }
    const middle = engine.begin();
    for (let i = 6; i <= 8; i++) {
      const w = engine.begin();
      w.put(b('x'), b(`v${i}`));
      w.commit();
    }
    engine.gc();
    expect(text(old.get(b('x'))), because('gc never removes a version that a live snapshot reads', GC)).toBe('v0');
    expect(text(middle.get(b('x'))), because('every live snapshot keeps its own version', GC)).toBe('v5');
    expect(text(old.get(b('y'))), because('untouched keys stay readable', GC)).toBe('y0');
    old.commit();
    middle.commit();
    const removed = engine.gc();
    expect(removed, because('once no snapshot can see the old versions, gc removes them', GC)).toBeGreaterThan(0);
    expect(engine.versionCount(), because('with no live snapshot, one version per key is left', GC)).toBe(2);
    expect(text(engine.begin().get(b('x'))), because('the newest version survives', GC)).toBe('v8');
  });

  it('gc keeps what a snapshot reads when the newer version is by a transaction that was in progress when the snapshot was taken, and has committed since', () => {
    const engine = engineWith({ x: 'v1' });
    const writer = engine.begin();
    writer.put(b('x'), b('v2'));
    const reader = engine.begin(); // the writer is in progress: its version stays invisible to the reader
    writer.commit();
    engine.gc();
    expect(text(reader.get(b('x'))), because(`the horizon is the smallest id some live snapshot may not see as committed: T${writer.id}, in the reader's in-progress set, not the reader's own id. Below T${writer.id}, v1 is the newest committed version and must stay`, GC)).toBe('v1');
    reader.commit();
    engine.gc();
    expect([text(engine.begin().get(b('x'))), engine.versionCount()], because('once the reader has ended, v1 goes and v2 stays', GC)).toEqual(['v2', 1]);
  });

  it('a deleted key\'s tombstone and older versions go once no snapshot needs them', () => {
    const engine = engineWith({ x: '1', y: '1' });
    const d = engine.begin();
    d.delete(b('x'));
    d.commit();
    engine.gc();
    expect(text(engine.begin().get(b('x'))), because('the key stays deleted', GC)).toBe('(none)');
    expect(engine.versionCount(), because('nothing is left of x once every snapshot sees it deleted', GC)).toBe(1);
  });

  it('under a long run with rolling snapshots, gc keeps the version count bounded and never changes what a live snapshot reads (many seeds)', () => {
    const KEYS = 10;
    const MAX_READERS = 3;
    forEachSeed(15, (seed) => {
      const random = new Random(seed);
      const engine = new SnapshotEngine(new MemoryKV());
      let model = new Map<string, string>();
      const readers: { txn: Transaction; sees: Map<string, string>; writesSince: number }[] = [];
      let peak = 0;
      for (let step = 0; step < 300; step++) {
        const dice = random.int(0, 9);
        if (dice === 0 && readers.length < MAX_READERS) {
          // Its snapshot cannot see transactions in progress when it began (the older readers),
          // so what it pins reaches back to the oldest of them: it inherits that one's count.
          readers.push({ txn: engine.begin(), sees: new Map(model), writesSince: readers[0]?.writesSince ?? 0 });
        } else if (dice === 1 && readers.length > 0) {
          readers.shift()!.txn.commit();
        } else if (dice === 2) {
          engine.gc();
          const bound = KEYS + (readers[0]?.writesSince ?? 0);
          expect(engine.versionCount(), because(`after gc at most one version per key, plus the versions written since the oldest live snapshot (or a transaction in progress when it began) began: ${bound} here`, GC)).toBeLessThanOrEqual(bound);
          peak = Math.max(peak, engine.versionCount());
          for (const reader of readers) {
            for (let k = 0; k < KEYS; k++) {
              expect(text(reader.txn.get(b(`k${k}`))), because(`step ${step}: a live snapshot reads k${k} as it was when it began, whatever gc removed`, GC)).toBe(reader.sees.get(`k${k}`) ?? '(none)');
            }
          }
        } else {
          const txn = engine.begin();
          const next = new Map(model);
          const count = random.int(1, 3);
          for (let i = 0; i < count; i++) {
            const key = `k${random.int(0, KEYS - 1)}`;
            if (random.int(0, 4) === 0) {
              txn.delete(b(key));
              next.delete(key);
            } else {
              txn.put(b(key), b(`${step}.${i}`));
              next.set(key, `${step}.${i}`);
            }
          }
          txn.commit();
          model = next;
          for (const reader of readers) reader.writesSince += count;
        }
        // A snapshot lives for a while, then rolls over.
        if (readers.length > 0 && readers[0]!.writesSince > 40) readers.shift()!.txn.commit();
      }
      for (const reader of readers) reader.txn.commit();
      engine.gc();
      expect(engine.versionCount(), because('with no live snapshot, gc leaves at most one version per key', GC)).toBeLessThanOrEqual(KEYS);
      expect(peak, because('the version count stayed bounded over the whole run', GC)).toBeLessThanOrEqual(KEYS + 43);
      const last = engine.begin();
      for (let k = 0; k < KEYS; k++) expect(text(last.get(b(`k${k}`))), because('gc keeps the newest committed state', GC)).toBe(model.get(`k${k}`) ?? '(none)');
    });
  });
});
