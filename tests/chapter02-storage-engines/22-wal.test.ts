import { describe, expect, it } from 'vitest';
import { CorruptionError } from '../../shared/errors.js';
import { SECTOR_BYTES } from '../../shared/fs/file-system.js';
import type { BatchOp } from '../../shared/kv.js';
import { because } from '../../shared/testing/explain.js';
import { replayWal, WalWriter } from '@impl/chapter02-storage-engines/wal.js';
import { appendZeros, b, freshDisk, s, zeroTailLengths } from './helpers.js';

const SECTION = '2.2 The write-ahead log';
const put = (k: string, v: string): BatchOp => ({ type: 'put', key: b(k), value: b(v) });
const show = (batches: BatchOp[][]) => batches.map((ops) => ops.map((o) => (o.type === 'put' ? `${s(o.key)}=${s(o.value)}` : `-${s(o.key)}`)));

describe('2.2 the write-ahead log', () => {
  it('replays every batch in the order it was appended', () => {
    const disk = freshDisk();
    const wal = new WalWriter(disk.open('w.wal', 'create'), 'none');
    wal.append([put('a', '1')]);
    wal.append([put('b', '2'), { type: 'delete', key: b('a') }]);
    wal.close();
    expect(show(replayWal(disk, 'w.wal').batches), because('the log replays batches in order', SECTION)).toEqual([['a=1'], ['b=2', '-a']]);
  });

  it("'every-write' fsyncs each record before append returns; 'none' only on sync()", () => {
    const disk = freshDisk();
    const always = new WalWriter(disk.open('a.wal', 'create'), 'every-write');
    always.append([put('a', '1')]);
    always.append([put('b', '2')]);
    expect(disk.stats.fsyncs, because("'every-write' acknowledges only durable writes", SECTION)).toBe(2);
    const lazy = new WalWriter(disk.open('n.wal', 'create'), 'none');
    disk.syncDir('');
    lazy.append([put('a', '1')]);
    expect(disk.stats.fsyncs, because("'none' does not fsync on append", SECTION)).toBe(2);
    expect(disk.contents('n.wal').length, because("'none' still hands each record to the file system", SECTION)).toBeGreaterThan(0);
    lazy.sync();
    expect(disk.stats.fsyncs).toBe(3);
    disk.crash();
    expect(show(replayWal(disk, 'n.wal').batches)).toEqual([['a=1']]);
  });

  it("'every-write' ignores a buffer size: each record is on disk when append returns", () => {
    const disk = freshDisk();
    const wal = new WalWriter(disk.open('w.wal', 'create'), 'every-write', 1 << 20);
    disk.syncDir('');
    wal.append([put('a', '1')]);
    disk.crash({ unsyncedWrites: 'drop' });
    expect(show(replayWal(disk, 'w.wal').batches), because("'every-write' never buffers: an acknowledged record survives any crash", SECTION)).toEqual([['a=1']]);
  });

  it('close makes every record durable, and a writer opened on an existing log appends after it', () => {
    const disk = freshDisk();
    const first = new WalWriter(disk.open('w.wal', 'create'), 'none');
    disk.syncDir('');
    first.append([put('a', '1')]);
    first.append([put('b', '2')]);
    first.close();
    disk.crash({ unsyncedWrites: 'drop' });
    expect(show(replayWal(disk, 'w.wal').batches), because('close syncs before it closes: nothing appended is lost to a crash after it', SECTION)).toEqual([['a=1'], ['b=2']]);
    const again = new WalWriter(disk.open('w.wal', 'readwrite'), 'none');
    again.append([put('c', '3')]);
    again.close();
    expect(
      show(replayWal(disk, 'w.wal').batches),
      because('a writer starts where the log ends (file.size() in the constructor), not at offset 0', SECTION),
    ).toEqual([['a=1'], ['b=2'], ['c=3']]);
  });

  it('with a buffer, records reach the file when the buffer fills or on sync()', () => {
    const disk = freshDisk();
    const wal = new WalWriter(disk.open('w.wal', 'create'), 'none', 1000);
    wal.append([put('a', '1')]);
    expect(disk.contents('w.wal').length, because('a buffered record waits in memory', SECTION)).toBe(0);
    wal.sync();
    expect(show(replayWal(disk, 'w.wal').batches)).toEqual([['a=1']]);
  });

  it('a torn last record is dropped and cut off, and later appends replay after it', () => {
    const disk = freshDisk();
    const wal = new WalWriter(disk.open('w.wal', 'create'), 'none');
    disk.syncDir('');
    wal.append([put('a', '1')]);
    wal.sync();
    wal.append([put('b', 'a longer value that gets torn')]);
    disk.crash({ unsyncedWrites: 'tear-last' });
    const replay = replayWal(disk, 'w.wal');
    expect(show(replay.batches), because('a torn tail is expected after a crash: drop it, do not fail', SECTION)).toEqual([['a=1']]);
    expect(replay.droppedBytes, because('droppedBytes counts the torn bytes that were cut off', SECTION)).toBeGreaterThan(0);
    expect(
      disk.contents('w.wal').length,
      because('replayWal cuts the torn tail off the file (truncate, then sync): a record appended after garbage would read as corruption', SECTION),
    ).toBe(27); // the first record alone: a 12-byte frame header and a 15-byte batch
    const again = new WalWriter(disk.open('w.wal', 'readwrite'), 'none');
    again.append([put('c', '3')]);
    again.close();
    expect(show(replayWal(disk, 'w.wal').batches), because('the torn bytes were cut off before new records', SECTION)).toEqual([['a=1'], ['c=3']]);
  });

  it('a lost sector in the unsynced records ends the log there: later records are dropped with it, cut off, and new ones replay', () => {
    const disk = freshDisk();
    const wal = new WalWriter(disk.open('w.wal', 'create'), 'none');
    disk.syncDir('');
    wal.append([put('synced', '1')]);
    wal.sync();
    const big = 'x'.repeat(3 * SECTOR_BYTES);
    for (let i = 0; i < 3; i++) wal.append([put(`k${i}`, big)]);
    // A power cut that wrote every unsynced sector but the second, inside the payload of the first
    // big record: that sector reads as zeros. The records after it reached the disk whole.
    disk.crash({ unsyncedWrites: 'keep' });
    disk.corrupt('w.wal', SECTOR_BYTES, new Uint8Array(SECTOR_BYTES));
    const replay = replayWal(disk, 'w.wal');
    expect(
      show(replay.batches),
      because('the record with the lost sector and every one after it are dropped, not raised; the later ones are intact, but they were not synced either, and replaying them would skip a write', SECTION),
    ).toEqual([['synced=1']]);
    expect(replay.droppedBytes, because('droppedBytes counts what was cut off', SECTION)).toBeGreaterThan(3 * big.length);
    const again = new WalWriter(disk.open('w.wal', 'readwrite'), 'none');
    again.append([put('after', '2')]);
    again.close();
    expect(show(replayWal(disk, 'w.wal').batches), because('the lost tail was cut off (truncate, then sync) before new records', SECTION)).toEqual([['synced=1'], ['after=2']]);
  });

  it('a zero-filled tail after the last synced record is dropped and cut off, keeping every record, and later appends replay after it', () => {
    for (const zeros of zeroTailLengths(2 * 27)) {
      const disk = freshDisk();
      const wal = new WalWriter(disk.open('w.wal', 'create'), 'every-write');
      disk.syncDir('');
      wal.append([put('a', '1')]);
      wal.append([put('b', '2')]);
      disk.crash();
      const synced = disk.contents('w.wal').length; // two records of 27 bytes
      appendZeros(disk, 'w.wal', zeros);
      const replay = replayWal(disk, 'w.wal');
      const why = `${zeros} zero bytes after the last record are a torn tail (the file grew, its blocks did not land)`;
      expect(show(replay.batches), because(`${why}: every synced record replays, and the zeros are not records`, SECTION)).toEqual([['a=1'], ['b=2']]);
      expect(replay.droppedBytes, because(`${why}: droppedBytes counts them`, SECTION)).toBe(zeros);
      expect(disk.contents('w.wal').length, because(`${why}: replayWal cuts them off the file, so new records follow the last real one`, SECTION)).toBe(synced);
      const again = new WalWriter(disk.open('w.wal', 'readwrite'), 'none');
      again.append([put('c', '3')]);
      again.close();
      expect(show(replayWal(disk, 'w.wal').batches), because('a record appended after the cut replays after the synced ones', SECTION)).toEqual([['a=1'], ['b=2'], ['c=3']]);
    }
  });

  it('a flipped byte in a complete record raises a CorruptionError naming the file and offset', () => {
    const disk = freshDisk();
    const wal = new WalWriter(disk.open('000001.wal', 'create'), 'none');
    wal.append([put('a', '1')]);
    wal.append([put('b', '2')]);
    wal.close();
    const second = disk.contents('000001.wal').length / 2;
    disk.flipByte('000001.wal', second + 15);
    expect(() => replayWal(disk, '000001.wal')).toThrow(CorruptionError);
    try {
      replayWal(disk, '000001.wal');
    } catch (e) {
      expect((e as CorruptionError).file).toBe('000001.wal');
      expect((e as CorruptionError).offset, because('the error points at the damaged record', SECTION)).toBe(second);
    }
  });
});
