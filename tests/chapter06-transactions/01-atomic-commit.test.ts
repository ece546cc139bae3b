/**
 * Exercise 6.1: a transaction's writes survive a crash whole or not at all, because its commit
 * record is the commit point.
 */

import { describe, expect, it } from 'vitest';
import { SimDisk, SimulatedCrash } from '../../shared/fs/sim-disk.js';
import type { BatchOp } from '../../shared/kv.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { AtomicStore } from '@impl/chapter06-transactions/atomic-store.js';
import { b, contents, CRASHES, modelContents } from './helpers.js';

const NOTES = '6.1 Atomic commits';
const DIR = 'db';

const put = (key: string, value: string): BatchOp => ({ type: 'put', key: b(key), value: b(value) });
const del = (key: string): BatchOp => ({ type: 'delete', key: b(key) });

function apply(model: Map<string, string>, ops: readonly BatchOp[]): Map<string, string> {
  const next = new Map(model);
  for (const op of ops) {
    const key = new TextDecoder().decode(op.key);
    if (op.type === 'put') next.set(key, new TextDecoder().decode(op.value));
    else next.delete(key);
  }
  return next;
}

describe('6.1 atomic commits', () => {
  it('a committed multi-key transaction is all there after the store is closed and reopened', () => {
    const disk = new SimDisk(new Random(1));
    const store = new AtomicStore(disk, { dir: DIR });
    store.batch([put('alice', '50'), put('bob', '150'), put('carol', '0')]);
    store.batch([put('alice', '40'), put('bob', '160'), del('carol')]);
    store.close();
    expect(contents(new AtomicStore(disk, { dir: DIR })), because('every committed transaction is replayed on reopen, in commit order', NOTES)).toEqual(['alice=40', 'bob=160']);
  });

  it('a commit that returned survives a crash in every mode: it fsynced before returning', () => {
    for (const crash of CRASHES) {
      const disk = new SimDisk(new Random(2));
      const store = new AtomicStore(disk, { dir: DIR });
      store.batch([put('x', '1'), put('y', '2')]);
      disk.crash(crash);
      expect(contents(new AtomicStore(disk, { dir: DIR })), because(`a transaction whose commit returned is durable (crash: ${crash.unsyncedWrites}, names ${crash.unsyncedDirOps})`, NOTES)).toEqual(['x=1', 'y=2']);
    }
  });

  it('a crash at any I/O call of a commit leaves all of the transaction or none of it, in every crash mode', () => {
    const before = [put('a', '1'), put('b', '1'), put('c', '1')];
    const txn = [put('a', '2'), put('b', '2'), del('c'), put('d', '2')];
    const old = modelContents(apply(new Map(), before));
    const all = modelContents(apply(apply(new Map(), before), txn));
    let crashPoints = 0;
    for (const crash of CRASHES) {
      for (let call = 1; ; call++) {
        const disk = new SimDisk(new Random(call));
        const store = new AtomicStore(disk, { dir: DIR });
        store.batch(before);
        disk.scheduleCrash(call, crash);
        try {
          store.batch(txn);
          disk.cancelScheduledCrash();
          break; // the commit needed fewer calls than `call`: every point has been tried
        } catch (error) {
          expect(error, because('the scheduled crash interrupts the commit', NOTES)).toBeInstanceOf(SimulatedCrash);
        }
        crashPoints++;
        const after = contents(new AtomicStore(disk, { dir: DIR }));
        expect(
          [old, all].map((s) => JSON.stringify(s)),
          because(`after a crash at I/O call ${call} of a commit (${crash.unsyncedWrites}, names ${crash.unsyncedDirOps}) the store shows the transaction whole or not at all, never half: got ${JSON.stringify(after)}`, NOTES),
        ).toContain(JSON.stringify(after));
      }
    }
    expect(crashPoints, because('a commit does I/O (records, then an fsync) that a crash can interrupt', NOTES)).toBeGreaterThan(0);
  });

  it('after a crash mid-commit the log is cut, so later commits are not lost behind the torn tail', () => {
    for (const crash of CRASHES) {
      const disk = new SimDisk(new Random(3));
      const store = new AtomicStore(disk, { dir: DIR });
      store.batch([put('k', 'old')]);
      disk.scheduleCrash(2, crash);
      expect(() => store.batch([put('k', 'torn'), put('big', 'x'.repeat(700)), put('z', 'torn')]), because('the crash interrupts the commit', NOTES)).toThrow(SimulatedCrash);
      const reopened = new AtomicStore(disk, { dir: DIR });
      reopened.batch([put('k', 'new'), put('m', 'new')]);
      disk.crash(crash);
      expect(contents(new AtomicStore(disk, { dir: DIR })), because(`a commit after recovery survives the next crash (${crash.unsyncedWrites}): recovery truncated the damaged tail before appending`, NOTES)).toEqual(['k=new', 'm=new']);
    }
  });

  it('random transactions with a crash at a random call: the committed ones survive, the interrupted one is all or nothing (many seeds)', () => {
    forEachSeed(40, (seed) => {
      const random = new Random(seed);
      const disk = new SimDisk(random.fork());
      let store = new AtomicStore(disk, { dir: DIR });
      let model = new Map<string, string>();
      for (let round = 0; round < 6; round++) {
        const ops: BatchOp[] = [];
        const count = 1 + random.int(0, 4);
        for (let i = 0; i < count; i++) {
          const key = `k${random.int(0, 5)}`;
          ops.push(random.int(0, 3) === 0 ? del(key) : put(key, `${seed}.${round}.${i}`.padEnd(random.int(1, 300), '.')));
        }
        const crash = random.pick(CRASHES);
        if (random.int(0, 1) === 0) {
          store.batch(ops);
          model = apply(model, ops);
          continue;
        }
        disk.scheduleCrash(1 + random.int(0, count + 2), crash);
        let committed = false;
        try {
          store.batch(ops);
          disk.cancelScheduledCrash();
          committed = true;
        } catch (error) {
          expect(error).toBeInstanceOf(SimulatedCrash);
        }
        if (committed) {
          model = apply(model, ops);
          continue;
        }
        store = new AtomicStore(disk, { dir: DIR });
        const after = contents(store);
        const withTxn = apply(model, ops);
        expect(
          [modelContents(model), modelContents(withTxn)].map((s) => JSON.stringify(s)),
          because(`round ${round}: after a crash mid-commit (${crash.unsyncedWrites}) the store holds every earlier commit and the interrupted one whole or not at all`, NOTES),
        ).toContain(JSON.stringify(after));
        if (JSON.stringify(after) === JSON.stringify(modelContents(withTxn))) model = withTxn;
      }
    });
  });
});
