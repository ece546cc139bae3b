import { describe, expect, it } from 'vitest';
import { concatBytes, fromUtf8, utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { SimulatedCrash } from '../../shared/fs/sim-disk.js';
import type { BatchOp, Entry, KeyRange, OrderedKV } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import type { LogEntry } from '@impl/chapter04-replication/log-entry.js';
import { ReplicationLog } from '@impl/chapter04-replication/replication-log.js';

const SECTION = 'The replication log';
const P = utf8('l');
const entry = (offset: number, epoch: number, key: string, value: string | null, previous: string | null = null): LogEntry => ({
  offset,
  epoch,
  key: utf8(key),
  value: value === null ? null : utf8(value),
  previous: previous === null ? null : utf8(previous),
  deps: {},
});

/** A store that crashes at its `crashAt`-th write call (put, delete or batch): that call and every later one throw, changing nothing. */
class CrashingKV implements OrderedKV {
  private writes = 0;
  constructor(
    private readonly inner: OrderedKV,
    private readonly crashAt: number,
  ) {}
  get(key: Uint8Array): Uint8Array | undefined {
    return this.inner.get(key);
  }
  scan(range?: KeyRange): IterableIterator<Entry> {
    return this.inner.scan(range);
  }
  put(key: Uint8Array, value: Uint8Array): void {
    this.write('put');
    this.inner.put(key, value);
  }
  delete(key: Uint8Array): void {
    this.write('delete');
    this.inner.delete(key);
  }
  batch(ops: readonly BatchOp[]): void {
    this.write('batch');
    this.inner.batch(ops);
  }
  private write(what: string): void {
    if (++this.writes >= this.crashAt) throw new SimulatedCrash(`${what} (write call ${this.writes})`);
  }
}

describe('1.1 the replication log', () => {
  it('appends at consecutive offsets from 1 and reads them back in order', () => {
    const log = new ReplicationLog(new MemoryKV(), P);
    expect([log.firstOffset, log.lastOffset, log.lastEpoch]).toEqual([1, 0, 0]);
    log.append(entry(1, 1, 'a', 'x'));
    log.append(entry(2, 1, 'b', 'y'));
    log.append(entry(3, 2, 'a', null, 'x'));
    expect(log.read(2, 10).map((e) => [e.offset, e.epoch, fromUtf8(e.key)])).toEqual([
      [2, 1, 'b'],
      [3, 2, 'a'],
    ]);
    expect([log.lastOffset, log.lastEpoch]).toEqual([3, 2]);
    expect(log.entry(3)).toEqual(entry(3, 2, 'a', null, 'x'));
  });

  it('refuses a gap or an older epoch: a log has no holes and epochs never go back', () => {
    const log = new ReplicationLog(new MemoryKV(), P);
    log.append(entry(1, 2, 'a', 'x'));
    expect(() => log.append(entry(3, 2, 'b', 'y')), because('offset 2 is missing', SECTION)).toThrow(UsageError);
    expect(() => log.append(entry(2, 1, 'b', 'y')), because('epochs never go back: epoch 1 after an entry of epoch 2', SECTION)).toThrow(UsageError);
    expect([log.lastOffset, log.lastEpoch], because('a refused append changes nothing', SECTION)).toEqual([1, 2]);
  });

  it('an append and its effect on the data are one atomic batch in the same store', () => {
    const kv = new MemoryKV();
    const log = new ReplicationLog(kv, P);
    log.append(entry(1, 1, 'a', 'x'), [{ type: 'put', key: utf8('d/a'), value: utf8('x') }]);
    expect(fromUtf8(kv.get(utf8('d/a'))!)).toBe('x');
    // A crash at any write call of the store, then a reopen: the log and the data still agree.
    const appends = [entry(1, 1, 'a', 'x'), entry(2, 1, 'b', 'y'), entry(3, 2, 'a', 'z', 'x')];
    for (let crashAt = 1; crashAt <= 20; crashAt++) {
      const disk = new MemoryKV();
      const crashing = new CrashingKV(disk, crashAt);
      try {
        const before = new ReplicationLog(crashing, P);
        for (const e of appends) before.append(e, [{ type: 'put', key: concatBytes(utf8('d/'), e.key), value: e.value! }]);
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
      }
      const after = new ReplicationLog(disk, P);
      const expected = new Map<string, string>();
      for (let offset = 1; offset <= after.lastOffset; offset++) expected.set(fromUtf8(after.entry(offset)!.key), fromUtf8(after.entry(offset)!.value!));
      const data = new Map([...disk.scan({ start: utf8('d/'), end: utf8('d0') })].map(({ key, value }) => [fromUtf8(key).slice(2), fromUtf8(value)]));
      expect(
        data,
        because(`crash at write call ${crashAt}: the log holds offsets 1..${after.lastOffset}, and the data must be exactly their effect, no more, no less`, SECTION),
      ).toEqual(expected);
    }
  });

  it('survives reopening: everything lives in the store', () => {
    const kv = new MemoryKV();
    const log = new ReplicationLog(kv, P);
    log.append(entry(1, 1, 'a', 'x'));
    log.append(entry(2, 3, 'b', 'y'));
    const reopened = new ReplicationLog(kv, P);
    expect([reopened.lastOffset, reopened.lastEpoch, reopened.entry(2)?.epoch]).toEqual([2, 3, 3]);
  });

  it('knows where each epoch ends, to find where two logs diverge', () => {
    const log = new ReplicationLog(new MemoryKV(), P);
    [1, 1, 1, 3, 3, 4].forEach((epoch, i) => log.append(entry(i + 1, epoch, 'k', `v${i}`)));
    expect([1, 2, 3, 4, 9].map((e) => log.endOffsetOf(e)), because('the last entry of that epoch or an earlier one', SECTION)).toEqual([
      3, 3, 5, 6, 6,
    ]);
    expect(
      [0, 1, 2, 3, 5].map((e) => log.lastEpochAtOrBefore(e)),
      because('the newest epoch of this log at or before the one asked (0: none)', SECTION),
    ).toEqual([0, 1, 1, 3, 4]);
  });

  it('truncating after an offset removes the tail newest first, with the undo operations, atomically', () => {
    const kv = new MemoryKV();
    const log = new ReplicationLog(kv, P);
    log.append(entry(1, 1, 'a', 'x'));
    log.append(entry(2, 2, 'a', 'y', 'x'));
    log.append(entry(3, 2, 'b', 'z'));
    const undone: string[] = [];
    const removed = log.truncateAfter(1, (e): BatchOp[] => {
      undone.push(`${e.offset}`);
      return [];
    });
    expect(removed.map((e) => e.offset)).toEqual([3, 2]);
    expect(undone, because('undo runs newest first, so each key ends at its oldest previous value', SECTION)).toEqual(['3', '2']);
    expect([log.lastOffset, log.lastEpoch, log.entry(2)]).toEqual([1, 1, undefined]);
    log.append(entry(2, 3, 'c', 'w'));
    expect(new ReplicationLog(kv, P).endOffsetOf(2), because('epoch 2 no longer has entries here', SECTION)).toBe(1);
  });

  it('dropping old entries keeps offsets; reset starts after a snapshot offset', () => {
    const log = new ReplicationLog(new MemoryKV(), P);
    for (let i = 1; i <= 5; i++) log.append(entry(i, 1, 'k', `v${i}`));
    log.dropBefore(4);
    expect([log.firstOffset, log.lastOffset, log.entry(3), log.read(1, 10).length]).toEqual([4, 5, undefined, 2]);
    expect(() => log.truncateAfter(2, () => []), because('entries before 4 are gone; undo is impossible', SECTION)).toThrow(UsageError);
    log.reset(40, 2);
    expect([log.firstOffset, log.lastOffset, log.lastEpoch]).toEqual([41, 40, 2]);
    log.append(entry(41, 2, 'k', 'v'));
    expect(log.lastOffset).toBe(41);
  });
});
