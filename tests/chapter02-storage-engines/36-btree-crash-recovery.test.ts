import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CorruptionError, UsageError } from '../../shared/errors.js';
import { RealFs } from '../../shared/fs/real-fs.js';
import { SimulatedCrash, type UnsyncedWrites } from '../../shared/fs/sim-disk.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import type { BTree } from '@impl/chapter02-storage-engines/btree.js';
import { openBTree } from '@impl/chapter02-storage-engines/btree.js';
import { META_COPY_BYTES, PAGE_SIZE } from '@impl/chapter02-storage-engines/btree-page.js';
import { Model, TREE_FILE, asText, distinct, key, newDisk, openTree, show, value } from './btree-testkit.js';

const SECTION = '3.6 Crash safety';

/** The tree must hold exactly the model's entries, and be a valid B-tree. */
function expectSame(tree: BTree, model: Model, invariant: string): void {
  const readable = (entries: Iterable<{ key: Uint8Array; value: Uint8Array }>) => [...entries].map((e) => `${show(e.key)}=${show(e.value)}`);
  expect(readable(tree.scan()), because(invariant, SECTION)).toEqual(readable(model.entries()));
  expect(tree.checkInvariants().entries, because('a recovered tree is a valid B-tree', SECTION)).toBe(model.size);
}

describe('3.6 crash safety with shadow paging', () => {
  test('writes survive close and reopen', () => {
    const disk = newDisk();
    const model = new Model();
    let tree = openTree(disk);
    for (let n = 0; n < 500; n++) {
      tree.put(key(n), value(n));
      model.put(key(n), value(n));
    }
    for (let n = 0; n < 500; n += 3) {
      tree.delete(key(n));
      model.delete(key(n));
    }
    tree.close();
    tree = openTree(disk);
    expectSame(tree, model, 'close commits every write; reopening finds them all');
  });

  test('after a crash the tree is exactly as it was at the last sync', () => {
    const disk = newDisk();
    const tree = openTree(disk);
    for (let n = 0; n < 300; n++) tree.put(key(n), value(n));
    tree.sync();
    const synced = new Model();
    for (let n = 0; n < 300; n++) synced.put(key(n), value(n));
    for (let n = 300; n < 900; n++) tree.put(key(n), value(n));
    for (let n = 0; n < 100; n++) tree.delete(key(n));
    disk.crash({ unsyncedWrites: 'keep' });
    expectSame(openTree(disk), synced, 'every synced write survives and no unsynced one appears, even when unsynced page writes reached the disk');
  });

  test('operations on a closed tree raise a UsageError', () => {
    const tree = openTree(newDisk());
    tree.close();
    expect(() => tree.get(key(1)), because('a closed tree has no file to read', SECTION)).toThrow(UsageError);
    expect(() => tree.put(key(1), value(1)), because('a closed tree has no file to write', SECTION)).toThrow(UsageError);
  });

  test('random puts, deletes, batches, syncs, reopens and crashes match a Map: synced writes survive, nothing else appears (property)', () => {
    type Op =
      | { type: 'put'; n: number; size: number }
      | { type: 'delete'; n: number }
      | { type: 'batch'; ns: number[] }
      | { type: 'sync' }
      | { type: 'reopen' }
      | { type: 'crash'; mode: UnsyncedWrites };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      { weight: 10, arbitrary: fc.record({ type: fc.constant<'put'>('put'), n: fc.integer({ min: 0, max: 300 }), size: fc.integer({ min: 0, max: 500 }) }) },
      { weight: 5, arbitrary: fc.record({ type: fc.constant<'delete'>('delete'), n: fc.integer({ min: 0, max: 300 }) }) },
      { weight: 1, arbitrary: fc.record({ type: fc.constant<'batch'>('batch'), ns: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 20 }) }) },
      { weight: 2, arbitrary: fc.record({ type: fc.constant<'sync'>('sync') }) },
      { weight: 1, arbitrary: fc.record({ type: fc.constant<'reopen'>('reopen') }) },
      {
        weight: 1,
        arbitrary: fc.record({ type: fc.constant<'crash'>('crash'), mode: fc.constantFrom<UnsyncedWrites>('drop', 'keep', 'tear-last', 'random-prefix', 'any-subset') }),
      },
    );
    checkProperty(
      fc.property(fc.array(opArb, { minLength: 50, maxLength: 250, size: 'max' }), fc.integer(), (ops, seed) => {
        const disk = newDisk(seed);
        let tree = openTree(disk, 8);
        let model = new Model();
        let durable = new Model();
        for (const op of ops) {
          switch (op.type) {
            case 'put':
              tree.put(key(op.n), value(op.n, op.size, op.size));
              model.put(key(op.n), value(op.n, op.size, op.size));
              break;
            case 'delete':
              tree.delete(key(op.n));
              model.delete(key(op.n));
              break;
            case 'batch': {
              // Even numbers are put, odd ones deleted: one atomic batch.
              tree.batch(op.ns.map((n) => (n % 2 === 0 ? { type: 'put', key: key(n), value: value(n, 7) } : { type: 'delete', key: key(n) })));
              for (const n of op.ns) {
                if (n % 2 === 0) model.put(key(n), value(n, 7));
                else model.delete(key(n));
              }
              break;
            }
            case 'sync':
              tree.sync();
              durable = model.clone();
              break;
            case 'reopen':
              tree.close();
              durable = model.clone();
              tree = openTree(disk, 8);
              break;
            case 'crash':
              disk.crash({ unsyncedWrites: op.mode });
              tree = openTree(disk, 8);
              model = durable.clone();
              expectSame(tree, model, `after a crash (${op.mode}) the tree equals the state at the last sync or close`);
              break;
          }
        }
        expectSame(tree, model, 'the tree holds exactly what a Map given the same operations holds');
      }),
      { numRuns: 15 },
    );
  });

  test('a sync with nothing changed since the last commit writes nothing', () => {
    const disk = newDisk();
    const tree = openTree(disk);
    tree.put(key(1), value(1));
    tree.sync();
    const commits = tree.stats.commits;
    const writes = disk.stats.writes;
    tree.sync();
    tree.sync();
    expect(tree.stats.commits, because('an empty commit would only rewrite the meta page: skip it', SECTION)).toBe(commits);
    expect(disk.stats.writes, because('nothing changed, so nothing is written', SECTION)).toBe(writes);
  });

  test('a crash at any point during a commit leaves either the old tree or the new one, never a mix', () => {
    forEachSeed(3, (seed) => {
      const random = new Random(seed);
      const before = new Model();
      const after = new Model();
      const build = (): { disk: ReturnType<typeof newDisk>; tree: BTree } => {
        const disk = newDisk(seed);
        const tree = openTree(disk, 8);
        const r = new Random(seed);
        for (const n of distinct(r, 250, 2000)) tree.put(key(n), value(n, 0, r.int(0, 100)));
        tree.sync();
        for (const n of distinct(r, 100, 2000)) tree.put(key(n), value(n, 1, r.int(0, 100)));
        for (const n of distinct(r, 60, 2000)) tree.delete(key(n));
        return { disk, tree };
      };
      {
        // The two candidate states, computed once without crashing.
        const r = new Random(seed);
        for (const n of distinct(r, 250, 2000)) {
          const v = value(n, 0, r.int(0, 100));
          before.put(key(n), v);
          after.put(key(n), v);
        }
        for (const n of distinct(r, 100, 2000)) after.put(key(n), value(n, 1, r.int(0, 100)));
        for (const n of distinct(r, 60, 2000)) after.delete(key(n));
      }
      const states = [asText(before.entries()), asText(after.entries())];
      let sawOld = false;
      // Every call is crashed twice: once keeping the unsynced writes in order (a random one of
      // the modes that lose a suffix), once keeping any subset of their sectors.
      const inOrder = (): UnsyncedWrites => random.pick<UnsyncedWrites>(['drop', 'tear-last', 'random-prefix']);
      for (let run = 2; ; run++) {
        const call = run >> 1;
        const mode = run % 2 === 0 ? inOrder() : 'any-subset';
        const { disk, tree } = build();
        disk.scheduleCrash(call, { unsyncedWrites: mode });
        let finished = true;
        try {
          tree.sync();
        } catch (error) {
          if (!(error instanceof SimulatedCrash)) throw error;
          finished = false;
        }
        let recovered: BTree;
        let got: string;
        try {
          recovered = openTree(disk);
          got = asText(recovered.scan()).join('\n');
        } catch (error) {
          throw new Error(
            because(`after a crash (${mode}) at mutating call ${call} of a commit, the tree does not reopen (${String(error)}): check the order of a commit`, SECTION),
          );
        }
        const which = states.findIndex((state) => state.join('\n') === got);
        expect(which, because(`a crash (${mode}) at mutating call ${call} of a commit must recover the old or the new tree`, SECTION)).toBeGreaterThanOrEqual(0);
        recovered.checkInvariants();
        if (which === 0) sawOld = true;
        if (finished) {
          expect(which, because('once sync returns, the new tree is durable', SECTION)).toBe(1);
          if (run % 2 === 1) break; // both kinds of crash have hit every call
        }
      }
      expect(sawOld, because('a crash early in the commit keeps the old tree', SECTION)).toBe(true);
    });
  });

  test('a crash at any point while creating a new tree leaves it absent or openable (empty), and it then opens and keeps writes', () => {
    const writeModes: UnsyncedWrites[] = ['drop', 'keep', 'tear-last', 'random-prefix'];
    const dirModes = ['lose', 'keep'] as const;
    forEachSeed(3, (seed) => {
      for (const unsyncedWrites of writeModes) {
        for (const unsyncedDirOps of dirModes) {
          for (let call = 1; ; call++) {
            const disk = newDisk(seed);
            // unsyncedWrites 'keep' with unsyncedDirOps 'keep' is a killed process: the
            // operating system still has every write and every new name.
            disk.scheduleCrash(call, { unsyncedWrites, unsyncedDirOps });
            let finished = true;
            try {
              openTree(disk).close();
            } catch (error) {
              if (!(error instanceof SimulatedCrash)) throw error;
              finished = false;
            }
            disk.cancelScheduledCrash();
            const where = finished ? 'after creating the tree' : `at mutating call ${call} of creating the tree`;
            const crash = `a crash ${where} (unsynced writes: ${unsyncedWrites}, unsynced directory changes: ${unsyncedDirOps})`;
            if (finished) disk.crash({ unsyncedWrites, unsyncedDirOps });
            const present = disk.exists(TREE_FILE);
            let tree: BTree;
            try {
              tree = openTree(disk);
            } catch (error) {
              throw new Error(
                because(
                  `${crash} left ${present ? 'a file that does not open' : 'no file, and creating it again fails'} (${String(error)}): write the new file under a temporary name, sync it, then rename it into place and syncDir`,
                  SECTION,
                ),
              );
            }
            expect(asText(tree.scan()), because(`${crash}: a tree nothing was written to is empty`, SECTION)).toEqual([]);
            if (finished) expect(present, because(`${crash}: once open returns, the new tree's name and contents are durable`, SECTION)).toBe(true);
            tree.put(key(1), value(1));
            tree.close();
            const reopened = openTree(disk);
            expect(show(reopened.get(key(1))), because(`${crash}: the tree opened afterwards works and keeps what it commits`, SECTION)).toBe(show(value(1)));
            expect(reopened.checkInvariants().entries, because('one key, nothing left over from the crashed creation', SECTION)).toBe(1);
            if (finished) break;
          }
        }
      }
    });
  });

  test('a flipped byte in any node page raises a CorruptionError naming the file and offset, never wrong data', () => {
    forEachSeed(12, (seed) => {
      const random = new Random(seed);
      const disk = newDisk(seed);
      const truth = new Map<string, string>();
      const tree = openTree(disk);
      for (const n of distinct(random, 400, 5000)) {
        const v = value(n, 0, random.int(0, 60));
        tree.put(key(n), v);
        truth.set(show(key(n)), show(v));
      }
      tree.close();
      const pages = disk.contents(TREE_FILE).length / PAGE_SIZE;
      const page = random.int(2, pages - 1);
      const offset = page * PAGE_SIZE + random.int(0, PAGE_SIZE - 1);
      disk.flipByte(TREE_FILE, offset, random.int(1, 255));
      const isCorruption = (error: unknown): boolean => {
        if (!(error instanceof CorruptionError)) return false;
        expect(error.file, because('a corruption error names the file', SECTION)).toBe(TREE_FILE);
        expect(Math.floor(error.offset / PAGE_SIZE), because('a corruption error points into the damaged page', SECTION)).toBe(page);
        return true;
      };
      let reopened: BTree;
      try {
        reopened = openTree(disk);
      } catch (error) {
        if (isCorruption(error)) return; // an internal page is checked on open
        throw error;
      }
      let detected = false;
      for (const [k, v] of truth) {
        try {
          const got = reopened.get(new TextEncoder().encode(k));
          expect(show(got), because('a read either returns the stored value or raises a CorruptionError', SECTION)).toBe(v);
        } catch (error) {
          if (!isCorruption(error)) throw error;
          detected = true;
        }
      }
      // Unused pages (free after a split) may hold the flipped byte; then nothing reads it.
      if (!detected) expect(truth.size, because('every key still reads its value', SECTION)).toBe(400);
    });
  });

  test('a flipped byte anywhere in the newest meta page never sends recovery back to an older commit', () => {
    forEachSeed(8, (seed) => {
      const random = new Random(seed);
      const build = () => {
        const disk = newDisk(seed);
        const tree = openTree(disk);
        for (let n = 0; n < 50; n++) tree.put(key(n), value(n));
        tree.sync();
        for (let n = 50; n < 80; n++) tree.put(key(n), value(n));
        tree.close(); // the newest commit holds 80 keys; the one before it, 50
        return disk;
      };
      const reference = build();
      const newest = asText(openTree(reference).scan());
      expect(newest.length, because('close commits: the reopened tree holds all 80 keys (recovery takes the meta page with the larger commit number)', SECTION)).toBe(80);
      // The newest meta page is the slot whose record has the larger commit number (offset 24).
      const txnIn = (slot: number) => new DataView(reference.contents(TREE_FILE).buffer).getUint32(slot * PAGE_SIZE + 24);
      const slot = txnIn(0) > txnIn(1) ? 0 : 1;
      const offsets = [0, 4, 24, 28, 32, META_COPY_BYTES, META_COPY_BYTES + 24, random.int(0, PAGE_SIZE - 1), random.int(0, PAGE_SIZE - 1)];
      for (const offset of offsets) {
        const disk = build();
        disk.flipByte(TREE_FILE, slot * PAGE_SIZE + offset, random.int(1, 255));
        const got = asText(openTree(disk).scan());
        expect(
          got.length,
          because(`a flipped byte at offset ${offset} of the newest meta page: the other copy still names the newest commit (80 keys), not the one before (50)`, SECTION),
        ).toBe(80);
        expect(got).toEqual(newest);
      }
    });
  });

  test('a file with no valid meta page is refused with a CorruptionError', () => {
    const disk = newDisk();
    const tree = openTree(disk);
    tree.put(key(1), value(1));
    tree.close();
    for (const slot of [0, 1]) for (const copy of [0, META_COPY_BYTES]) disk.flipByte(TREE_FILE, slot * PAGE_SIZE + copy + 100);
    let error: unknown;
    try {
      openTree(disk);
    } catch (e) {
      error = e;
    }
    expect(error, because('without a valid meta page there is no tree to trust', SECTION)).toBeInstanceOf(CorruptionError);
    expect((error as CorruptionError).file, because('the error names the file', SECTION)).toBe(TREE_FILE);
  });

  test('pages freed by copy-on-write are reused after the commit, also across reopen: the file stops growing', () => {
    const disk = newDisk();
    let tree = openTree(disk);
    for (let n = 0; n < 300; n++) tree.put(key(n), value(n, 0, 60));
    tree.sync();
    const sizes: number[] = [];
    for (let round = 1; round <= 30; round++) {
      for (let n = 0; n < 300; n += 7) tree.put(key(n), value(n, round, 60));
      tree.sync();
      if (round % 10 === 0) {
        tree.close();
        tree = openTree(disk);
      }
      sizes.push(disk.contents(TREE_FILE).length / PAGE_SIZE);
    }
    expect(sizes[29], because('pages the last commit no longer uses are reused, so the file size levels off', SECTION)).toBeLessThanOrEqual(sizes[4]! + 4);
  });

  test('the tree runs on the real file system too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddia-btree-'));
    try {
      const fs = new RealFs(dir);
      let tree = openBTree(fs, '');
      for (let n = 0; n < 1000; n++) tree.put(key(n), value(n));
      tree.close();
      tree = openBTree(fs, '');
      expect(show(tree.get(key(777))), because('data written through the real disk reads back after reopen', SECTION)).toBe(show(value(777)));
      expect(tree.checkInvariants().entries, because('every key is there', SECTION)).toBe(1000);
      tree.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
