import { describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import { RangePartitionedKV } from '@impl/chapter05-partitioning/range-partitioned-kv.js';
import { saltKey, saltedRanges, scanSalted, unsaltKey } from '@impl/chapter05-partitioning/salting.js';

const NOTES = '5.1 Key-range partitioning';
const HOT = 'Hot spots and salting';
const BUCKETS = 4;
const WRITES = 2000;
const LAST = 400;

const eventKey = (t: number): Uint8Array => encodeKey(['events', t]); // a timestamp: keys only grow

/** Writes events 0..WRITES-1 and, for the last LAST of them, which partition each landed in. */
function writeEvents(kv: RangePartitionedKV, keyOf: (t: number) => Uint8Array): { id: string; last: boolean }[] {
  const landed: { id: string; last: boolean }[] = [];
  for (let t = 0; t < WRITES; t++) {
    if (t >= WRITES - LAST) {
      const p = kv.partitionOf(keyOf(t));
      landed.push({ id: p.id, last: p.end === undefined });
    }
    kv.put(keyOf(t), utf8(`reading ${t}`));
  }
  return landed;
}

/** The share of the writes that went to the partition then holding the end of the key space. */
function lastShare(landed: readonly { last: boolean }[]): number {
  return landed.filter((w) => w.last).length / landed.length;
}

/** The share of the writes taken by the single busiest partition. */
function busiestShare(landed: readonly { id: string }[]): number {
  const counts = new Map<string, number>();
  for (const { id } of landed) counts.set(id, (counts.get(id) ?? 0) + 1);
  return Math.max(...counts.values()) / landed.length;
}

describe('5.1 hot spots of monotonically increasing keys', () => {
  it('increasing keys send every write to one partition, however many splits there are', () => {
    const kv = new RangePartitionedKV({ splitAboveKeys: 100 });
    const landed = writeEvents(kv, eventKey);
    expect(kv.partitions().length, because('2,000 keys at 100 per partition need splits', HOT)).toBeGreaterThanOrEqual(20);
    expect(lastShare(landed), because('with key ranges, each new timestamp lands in the last partition: a hot spot', HOT)).toBe(1);
    const window = { start: eventKey(1500), end: eventKey(1600) };
    expect(kv.partitionsFor(window).length, because('the payoff: a time-window scan reads one or two partitions', HOT)).toBeLessThanOrEqual(3);
  });

  it('salting spreads the writes over the buckets, and a window scan then reads every bucket', () => {
    const kv = new RangePartitionedKV({ splitAboveKeys: 100 });
    const salted = (t: number): Uint8Array => saltKey(t % BUCKETS, eventKey(t));
    const landed = writeEvents(kv, salted);
    expect(lastShare(landed), because(`only the last bucket's writes reach the last partition: 1/${BUCKETS} of them`, HOT)).toBeCloseTo(1 / BUCKETS, 5);
    expect(busiestShare(landed), because(`with ${BUCKETS} buckets the busiest partition takes about 1/${BUCKETS} of the writes`, HOT)).toBeLessThanOrEqual(1 / BUCKETS + 0.05);
    const window = { start: eventKey(1500), end: eventKey(1600) };
    const touched = new Set(saltedRanges(window, BUCKETS).flatMap((r) => kv.partitionsFor(r).map((p) => p.id)));
    expect(touched.size, because('the cost: a window scan reads at least one partition per bucket', HOT)).toBeGreaterThanOrEqual(BUCKETS);
    const rows = scanSalted(kv, window, BUCKETS).map((e) => decodeKey(e.key)[1]);
    expect(rows, because('merging the buckets gives the window back in time order, each event once', HOT)).toEqual(Array.from({ length: 100 }, (_, i) => 1500 + i));
  });

  it('salted keys round-trip and salted ranges cover exactly the original range', () => {
    const key = encodeKey(['events', 7]);
    expect(unsaltKey(saltKey(3, key)), because('unsalting gives back the original key', NOTES)).toEqual(key);
    expect(saltKey(3, key)[0], because('the bucket is the first byte', NOTES)).toBe(3);
    const kv = new MemoryKV();
    for (let t = 0; t < 40; t++) kv.put(saltKey(t % 3, eventKey(t)), utf8(String(t)));
    expect(scanSalted(kv, {}, 3).length, because('an unbounded salted scan finds every key of every bucket', NOTES)).toBe(40);
    expect(scanSalted(kv, { start: eventKey(10), end: eventKey(20) }, 3).map((e) => decodeKey(e.key)[1]), because('bounds apply inside each bucket; the end stays exclusive', NOTES)).toEqual(
      Array.from({ length: 10 }, (_, i) => 10 + i),
    );
    expect(() => saltKey(256, key), because('a bucket is one byte', NOTES)).toThrow(UsageError);
    expect(() => saltedRanges({}, 0), because('at least one bucket', NOTES)).toThrow(UsageError);
  });
});
