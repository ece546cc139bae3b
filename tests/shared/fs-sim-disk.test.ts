/**
 * The simulated disk's crash rules: the durability contract every storage engine is tested
 * against (see the module comment of shared/fs/sim-disk.ts).
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesEqual, startsWith, utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { SECTOR_BYTES, SimDisk, SimulatedCrash, type DiskClock } from '../../shared/fs/sim-disk.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { forEachSeed } from '../../shared/testing/replay.js';

const RULES = 'shared/fs/sim-disk.ts';

/** A disk holding `path`, created and made durable (data and name). */
function diskWith(path: string, data: Uint8Array, seed = 1): SimDisk {
  const disk = new SimDisk(new Random(seed));
  const f = disk.open(path, 'create');
  f.append(data);
  f.sync();
  f.close();
  disk.syncDir('');
  return disk;
}

describe('SimDisk crashes', () => {
  it('a crash keeps exactly the synced data and drops every unsynced write', () => {
    const disk = diskWith('log', utf8('synced;'));
    const f = disk.open('log', 'readwrite');
    f.append(utf8('lost;'));
    f.write(0, utf8('XX'));
    disk.crash();
    expect(disk.contents('log'), because('unsynced writes vanish on a crash', RULES)).toEqual(utf8('synced;'));
  });

  it('synced data survives any sequence of later unsynced writes (property)', () => {
    checkProperty(
      fc.property(
        fc.array(fc.tuple(fc.nat(40), fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.boolean()), { maxLength: 12 }),
        (writes) => {
          const disk = diskWith('f', new Uint8Array(0));
          const f = disk.open('f', 'readwrite');
          let synced: Uint8Array = new Uint8Array(0);
          for (const [offset, data, sync] of writes) {
            f.write(offset, data);
            if (sync) {
              f.sync();
              synced = disk.contents('f');
            }
          }
          disk.crash();
          expect(disk.contents('f')).toEqual(synced);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('tear-last keeps every earlier unsynced write and a strict prefix of the last one', () => {
    forEachSeed(30, (seed) => {
      const disk = diskWith('log', utf8('base|'), seed);
      const f = disk.open('log', 'readwrite');
      f.append(utf8('one|'));
      f.append(utf8('two|'));
      f.append(utf8('three|'));
      disk.crash({ unsyncedWrites: 'tear-last' });
      const after = disk.contents('log');
      expect(startsWith(after, utf8('base|one|two|')), because('writes before the torn one survive whole', RULES)).toBe(true);
      expect(after.length, because('the torn write keeps a strict prefix', RULES)).toBeLessThan(utf8('base|one|two|three|').length);
      expect(startsWith(utf8('base|one|two|three|'), after)).toBe(true);
    });
  });

  it('random-prefix keeps some prefix of the unsynced writes, in order, never more', () => {
    const lengths = new Set<number>();
    forEachSeed(40, (seed) => {
      const disk = diskWith('log', utf8('base|'), seed);
      const f = disk.open('log', 'readwrite');
      for (const word of ['one|', 'two|', 'three|']) f.append(utf8(word));
      disk.crash({ unsyncedWrites: 'random-prefix' });
      const after = disk.contents('log');
      expect(startsWith(utf8('base|one|two|three|'), after), because('what survives is a prefix of the writes in order', RULES)).toBe(true);
      expect(after.length).toBeGreaterThanOrEqual(5);
      lengths.add(after.length);
    });
    expect(lengths.size, because('different seeds cut at different places', RULES)).toBeGreaterThan(3);
  });

  it("'keep' models a process crash: unsynced writes survive", () => {
    const disk = diskWith('log', utf8('a'));
    const f = disk.open('log', 'readwrite');
    f.append(utf8('b'));
    disk.crash({ unsyncedWrites: 'keep' });
    expect(disk.contents('log')).toEqual(utf8('ab'));
  });

  it('a new file needs syncDir to survive, even when its data was synced', () => {
    const disk = new SimDisk(new Random(1));
    const f = disk.open('new.sst', 'create');
    f.append(utf8('data'));
    f.sync();
    disk.crash();
    expect(disk.exists('new.sst'), because('a creation is durable only after syncDir of its directory', RULES)).toBe(false);
  });

  it('renames and removals need syncDir; after syncDir they survive', () => {
    const disk = diskWith('a', utf8('A'));
    disk.rename('a', 'b');
    disk.crash();
    expect(disk.files(), because('an unsynced rename is undone by a crash', RULES)).toEqual(['a']);
    disk.rename('a', 'b');
    disk.syncDir('');
    disk.remove('b');
    disk.crash();
    expect(disk.files(), because('a synced rename survives; an unsynced remove is undone', RULES)).toEqual(['b']);
    expect(disk.contents('b')).toEqual(utf8('A'));
  });

  it("unsyncedDirOps 'keep' keeps names but still drops unsynced data", () => {
    const disk = new SimDisk(new Random(1));
    const f = disk.open('x', 'create');
    f.append(utf8('never synced'));
    disk.crash({ unsyncedDirOps: 'keep' });
    expect(disk.files()).toEqual(['x']);
    expect(disk.contents('x')).toEqual(new Uint8Array(0));
  });

  it('syncDir of one directory does not make another directory\'s entries durable', () => {
    const disk = new SimDisk(new Random(1));
    disk.mkdir('a');
    disk.mkdir('b');
    disk.open('a/1', 'create').close();
    disk.open('b/1', 'create').close();
    disk.syncDir('a');
    disk.crash();
    expect(disk.files()).toEqual(['a/1']);
  });

  it('every handle opened before a crash throws a UsageError afterwards', () => {
    const disk = diskWith('f', utf8('x'));
    const f = disk.open('f', 'readwrite');
    disk.crash();
    expect(() => f.read(0, 1), because('a crash ends the process that owned the handle', RULES)).toThrow(UsageError);
    expect(() => f.append(utf8('y'))).toThrow(UsageError);
    const g = disk.open('f', 'read');
    expect(g.read(0, 1)).toEqual(utf8('x'));
  });

  it('a scheduled crash interrupts the n-th mutating call and leaves only durable state', () => {
    const disk = diskWith('f', utf8('a'));
    const f = disk.open('f', 'readwrite');
    disk.scheduleCrash(3);
    f.append(utf8('b'));
    f.sync();
    expect(() => f.append(utf8('c'))).toThrow(SimulatedCrash);
    expect(disk.contents('f')).toEqual(utf8('ab'));
    expect(disk.callsUntilCrash).toBeUndefined();
  });

  it('a scheduled crash with tear-last can leave part of the interrupted write', () => {
    const seen = new Set<number>();
    forEachSeed(20, (seed) => {
      const disk = diskWith('f', utf8('a'), seed);
      const f = disk.open('f', 'readwrite');
      disk.scheduleCrash(1, { unsyncedWrites: 'tear-last' });
      expect(() => f.append(utf8('bcdefgh'))).toThrow(SimulatedCrash);
      const after = disk.contents('f');
      expect(startsWith(utf8('abcdefgh'), after)).toBe(true);
      seen.add(after.length);
    });
    expect(seen.size).toBeGreaterThan(2);
  });
});

/** Sector `n` of `bytes` (shorter at the end of the file, empty past it). */
function sector(bytes: Uint8Array, n: number): Uint8Array {
  return bytes.slice(n * SECTOR_BYTES, (n + 1) * SECTOR_BYTES);
}

describe("SimDisk 'any-subset' crashes: a power cut may keep any subset of the unsynced sectors", () => {
  it('synced sectors always survive; every other sector holds one of the versions it went through; the size is one of the sizes (many seeds)', () => {
    forEachSeed(150, (seed) => {
      const random = new Random(seed);
      const disk = diskWith('f', random.bytes(random.int(0, 6 * SECTOR_BYTES)), seed);
      const f = disk.open('f', 'readwrite');
      // Some unsynced writes, overwrites, appends and truncates, with a sync now and then.
      let versions: Uint8Array[] = [disk.contents('f')];
      for (let i = random.int(1, 12); i > 0; i--) {
        const roll = random.float();
        if (roll < 0.1) f.truncate(random.int(0, f.size()));
        else if (roll < 0.4) f.append(random.bytes(random.int(1, 700)));
        else f.write(random.int(0, f.size() + 100), random.bytes(random.int(1, 1200)));
        versions.push(disk.contents('f'));
        if (random.chance(0.15)) {
          f.sync();
          versions = [disk.contents('f')];
        }
      }
      disk.crash({ unsyncedWrites: 'any-subset' });
      const after = disk.contents('f');
      expect(versions.map((v) => v.length), because('the size after a crash is the synced size or the size after one of the unsynced writes', RULES)).toContain(after.length);
      // Each version as the file would read at the surviving length: cut, or padded with zeros.
      const asRead = versions.map((v) => {
        const padded = new Uint8Array(after.length);
        padded.set(v.subarray(0, after.length));
        return padded;
      });
      const wrong: string[] = [];
      for (let n = 0; n * SECTOR_BYTES < after.length; n++) {
        const candidates = asRead.map((v) => sector(v, n));
        const got = sector(after, n);
        if (candidates.every((c) => bytesEqual(c, candidates[0]!))) {
          if (!bytesEqual(got, candidates[0]!)) wrong.push(`sector ${n} was not written since the last sync, yet lost its synced bytes`);
        } else if (!candidates.some((c) => bytesEqual(c, got))) {
          wrong.push(`sector ${n} holds bytes that none of its versions had (a torn or mixed sector)`);
        }
      }
      expect(wrong, because('synced sectors survive; each other sector holds one of its versions, whole', RULES)).toEqual([]);
    });
  });

  it('it can lose an earlier unsynced sector while keeping a later one: unlike the other modes, a crash need not lose a suffix', () => {
    let holes = 0;
    forEachSeed(100, (seed) => {
      const disk = diskWith('log', new Uint8Array(0), seed);
      const f = disk.open('log', 'readwrite');
      f.append(new Uint8Array(SECTOR_BYTES).fill(0x61));
      f.append(new Uint8Array(SECTOR_BYTES).fill(0x62));
      disk.crash({ unsyncedWrites: 'any-subset' });
      const after = disk.contents('log');
      if (after.length === 2 * SECTOR_BYTES && after[0] === 0 && after[SECTOR_BYTES] === 0x62) holes++;
      for (const [n, fill] of [[0, 0x61], [1, 0x62]] as const) {
        const got = sector(after, n);
        if (got.length > 0) expect([0, fill], because('a sector that no kept write reached reads as zeros; one that was kept holds its write, whole', RULES)).toContain(got[0]);
        expect(new Set(got).size, because('a sector is written whole or not at all', RULES)).toBeLessThanOrEqual(1);
      }
    });
    expect(holes, because('some seeds keep the second sector and lose the first', RULES)).toBeGreaterThan(0);
  });

  it('synced data survives an any-subset crash in the middle of any call', () => {
    forEachSeed(30, (seed) => {
      const random = new Random(seed);
      const disk = diskWith('f', random.bytes(3 * SECTOR_BYTES), seed);
      const synced = disk.contents('f');
      const f = disk.open('f', 'readwrite');
      disk.scheduleCrash(random.int(1, 4), { unsyncedWrites: 'any-subset' });
      expect(() => {
        for (let i = 0; i < 4; i++) f.append(random.bytes(random.int(1, 2 * SECTOR_BYTES)));
      }).toThrow(SimulatedCrash);
      const after = disk.contents('f');
      expect(after.subarray(0, synced.length), because('appends after a sync never change the synced bytes', RULES)).toEqual(synced);
    });
  });

  it('the same seed keeps the same sectors', () => {
    const run = (): Uint8Array => {
      const random = new Random(9);
      const disk = diskWith('f', new Uint8Array(0), 9);
      const f = disk.open('f', 'readwrite');
      for (let i = 0; i < 8; i++) f.append(random.bytes(SECTOR_BYTES));
      disk.crash({ unsyncedWrites: 'any-subset' });
      return disk.contents('f');
    };
    expect(run(), because('every choice comes from the seeded generator: a crash replays exactly', RULES)).toEqual(run());
  });
});

describe('SimDisk fsync latency', () => {
  it('costs nothing by default', () => {
    const disk = diskWith('f', utf8('x'));
    expect(disk.stats.fsyncMs).toBe(0);
  });

  it('with fsyncMs, each sync and syncDir takes that much virtual time on the disk clock', () => {
    const waits: number[] = [];
    const clock: DiskClock = { wait: (ms) => waits.push(ms) };
    const disk = new SimDisk(new Random(1), { fsyncMs: 5, clock });
    const f = disk.open('f', 'create');
    f.append(utf8('a'));
    f.sync();
    f.sync();
    disk.syncDir('');
    expect(waits, because('every fsync, of a file or a directory, makes its caller wait', RULES)).toEqual([5, 5, 5]);
    expect(disk.stats.fsyncMs).toBe(15);
    disk.setClock(undefined);
    f.sync();
    expect(disk.stats.fsyncMs, because('without a clock the time is still counted', RULES)).toBe(20);
    expect(waits).toHaveLength(3);
  });

  it('a latency function draws from the disk generator, so a seed replays it', () => {
    const total = (seed: number): number => {
      const disk = new SimDisk(new Random(seed), { fsyncMs: (random) => random.between(1, 10) });
      const f = disk.open('f', 'create');
      for (let i = 0; i < 10; i++) f.sync();
      return disk.stats.fsyncMs;
    };
    expect(total(3)).toBe(total(3));
    expect(total(3)).toBeGreaterThanOrEqual(10);
    expect(total(3)).toBeLessThan(100);
  });

  it('a negative or non-finite latency is a UsageError', () => {
    expect(() => new SimDisk(new Random(1), { fsyncMs: -1 })).toThrow(UsageError);
    const disk = new SimDisk(new Random(1), { fsyncMs: () => Number.NaN });
    expect(() => disk.open('f', 'create').sync()).toThrow(UsageError);
  });
});

describe('SimDisk corruption and counters', () => {
  it('flipByte changes one stored byte, durably', () => {
    const disk = diskWith('f', Uint8Array.of(1, 2, 3));
    disk.flipByte('f', 1);
    expect(disk.contents('f')).toEqual(Uint8Array.of(1, 0xfd, 3));
    disk.crash();
    expect(disk.contents('f')).toEqual(Uint8Array.of(1, 0xfd, 3));
    expect(() => disk.flipByte('f', 3)).toThrow(UsageError);
  });

  it('counts fsyncs, directory syncs and bytes read and written', () => {
    const disk = new SimDisk(new Random(1));
    const f = disk.open('f', 'create');
    f.append(new Uint8Array(10));
    f.write(2, new Uint8Array(3));
    f.sync();
    disk.syncDir('');
    f.read(0, 100);
    expect(disk.stats).toMatchObject({ fsyncs: 1, dirSyncs: 1, bytesWritten: 13, bytesRead: 10, writes: 2, reads: 1 });
    disk.resetStats();
    expect(disk.stats.bytesWritten).toBe(0);
  });

  it('a handle keeps working on its file after the file is renamed or removed', () => {
    const disk = new SimDisk(new Random(1));
    const f = disk.open('a', 'create');
    disk.rename('a', 'b');
    f.append(utf8('z'));
    expect(disk.contents('b')).toEqual(utf8('z'));
  });
});
