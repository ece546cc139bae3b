import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CountingFs } from '../../shared/fs/counting-fs.js';
import { SimDisk } from '../../shared/fs/sim-disk.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { MapOutputBuffer } from '@impl/chapter09-batch/map-output-buffer.js';
import { groupByKey, mergeSorted, type MergeStats } from '@impl/chapter09-batch/merge.js';
import { compareKeys, type Json, type KeyValue } from '@impl/chapter09-batch/records.js';
import { readPartition } from '@impl/chapter09-batch/record-file.js';

const MERGE = 'Sorting, spilling and merging';

const keyValue = fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'é', 'Z'), value: fc.integer() });

/** The oracle: concatenate and sort stably by key. */
function stableSorted(sources: readonly KeyValue[][]): KeyValue[] {
  return sources.flat().sort((x, y) => compareKeys(x.key, y.key));
}

describe('9.1 A MapReduce engine: sorting, spilling and merging', () => {
  it('mergeSorted merges sorted sources into one sorted sequence, equal keys in source order (property)', () => {
    checkProperty(
      fc.property(fc.array(fc.array(keyValue, { maxLength: 12 }), { maxLength: 7 }), (raw) => {
        const sources = raw.map((s) => [...s].sort((x, y) => compareKeys(x.key, y.key)));
        expect([...mergeSorted(sources)], because('a k-way merge is a stable sort of the concatenated sources', MERGE)).toEqual(stableSorted(sources));
      }),
    );
  });

  it('merging k sources costs about log2(k) comparisons per record, not k', () => {
    const random = new Random(9);
    const k = 32;
    const sources: KeyValue[][] = Array.from({ length: k }, () =>
      Array.from({ length: 100 }, () => ({ key: `k${String(random.int(0, 99999)).padStart(5, '0')}`, value: 0 })).sort((x, y) => compareKeys(x.key, y.key)),
    );
    const stats: MergeStats = { comparisons: 0 };
    const merged = [...mergeSorted(sources, stats)];
    expect(merged.length).toBe(3200);
    // A heap does at most about 2·log2(k) = 10 per record; scanning every head does k - 1 = 31.
    expect(stats.comparisons, because('a k-way merge keeps the heads in a heap: O(n log k) comparisons', MERGE)).toBeLessThan(3200 * 12);
    expect(stats.comparisons, because('the merge counts its comparisons in the stats it is given', MERGE)).toBeGreaterThan(0);
  });

  it('mergeSorted pulls lazily: the first record comes out before any source is read to its end', () => {
    let pulled = 0;
    function* counted(keys: string[]): Generator<KeyValue> {
      for (const key of keys) {
        pulled++;
        yield { key, value: null };
      }
    }
    const merged = mergeSorted([counted(['a', 'c', 'e', 'g']), counted(['b', 'd', 'f', 'h'])]);
    expect(merged.next().value).toEqual({ key: 'a', value: null });
    expect(pulled, because('a merge holds one record per source, so it can merge runs larger than memory', MERGE)).toBeLessThanOrEqual(3);
  });

  it('groupByKey gathers each run of equal keys with its values in order', () => {
    const sorted: KeyValue[] = [
      { key: 'a', value: 1 },
      { key: 'a', value: 2 },
      { key: 'b', value: 3 },
      { key: 'c', value: 4 },
      { key: 'c', value: 5 },
    ];
    expect([...groupByKey(sorted)]).toEqual([
      { key: 'a', values: [1, 2] },
      { key: 'b', values: [3] },
      { key: 'c', values: [4, 5] },
    ]);
  });
});

interface BufferRun {
  readonly sections: KeyValue[][];
  readonly spills: number;
  readonly leftover: string[];
  readonly runBytes: Map<string, number>;
  readonly bytesReadPerRun: Map<string, number>;
}

function fillBuffer(pairs: ReadonlyArray<readonly [number, KeyValue]>, partitions: number, memoryBytes: number, combine?: (key: string, values: readonly Json[]) => Json): BufferRun {
  const disk = new SimDisk(new Random(2));
  disk.mkdir('spill');
  const fs = new CountingFs(disk);
  const buffer = new MapOutputBuffer(fs, { partitions, memoryBytes, spillDir: 'spill', spillName: 'map-00000.attempt-1', ...(combine ? { combine } : {}) });
  for (const [p, kv] of pairs) buffer.add(p, kv);
  const runBytes = new Map<string, number>();
  for (const name of disk.list('spill')) {
    const handle = disk.open(`spill/${name}`, 'read');
    runBytes.set(`spill/${name}`, handle.size());
    handle.close();
  }
  fs.reset();
  buffer.finish('out');
  const bytesReadPerRun = new Map([...runBytes.keys()].map((run) => [run, fs.bytesReadByPath.get(run) ?? 0]));
  const sections = Array.from({ length: partitions }, (_, p) => [...readPartition(disk, 'out', p)]);
  return { sections, spills: buffer.stats.spills, leftover: disk.list('spill'), runBytes, bytesReadPerRun };
}

function randomPairs(random: Random, n: number, partitions: number): Array<[number, KeyValue]> {
  return Array.from({ length: n }, (_, i) => {
    const key = `key-${random.int(0, 40)}`;
    return [Number(key.slice(4)) % partitions, { key, value: i }] as [number, KeyValue];
  });
}

describe('9.1 A MapReduce engine: the map-side sort buffer', () => {
  it('with a tiny memory budget the buffer spills, yet writes exactly what it writes without spilling', () => {
    const pairs = randomPairs(new Random(5), 500, 3);
    const roomy = fillBuffer(pairs, 3, 1 << 30);
    const tiny = fillBuffer(pairs, 3, 300);
    expect(roomy.spills, because('a budget larger than the data never spills', MERGE)).toBe(0);
    expect(tiny.spills, because('a 300-byte budget must spill many runs', MERGE)).toBeGreaterThan(5);
    expect(tiny.sections, because('spilling changes where pairs wait, never what comes out, nor the order of equal keys', MERGE)).toEqual(roomy.sections);
  });

  it('each section is sorted by key, equal keys in the order they were added', () => {
    const pairs = randomPairs(new Random(6), 300, 2);
    const { sections } = fillBuffer(pairs, 2, 500);
    for (let p = 0; p < 2; p++) {
      const expected = pairs.filter(([q]) => q === p).map(([, kv]) => kv).sort((x, y) => compareKeys(x.key, y.key));
      expect(sections[p], because('a partition\'s section is a stable sort of the pairs added to it', MERGE)).toEqual(expected);
    }
  });

  it('spill runs are removed when the output is written', () => {
    const run = fillBuffer(randomPairs(new Random(7), 400, 2), 2, 256);
    expect(run.spills).toBeGreaterThan(1);
    expect(run.leftover, because('spill runs are scratch space: none survives finish()', MERGE)).toEqual([]);
  });

  it('discard removes the spill runs of an attempt that failed', () => {
    const disk = new SimDisk(new Random(3));
    disk.mkdir('spill');
    const buffer = new MapOutputBuffer(disk, { partitions: 2, memoryBytes: 200, spillDir: 'spill', spillName: 'map-00000.attempt-1' });
    for (const [p, kv] of randomPairs(new Random(3), 200, 2)) buffer.add(p, kv);
    expect(buffer.stats.spills).toBeGreaterThan(1);
    buffer.discard();
    expect(disk.list('spill'), because('a failed attempt must not leave its runs on the worker\'s disk', MERGE)).toEqual([]);
  });

  it('the final merge reads each spill run once, front to back, not once per partition pass over everything', () => {
    const run = fillBuffer(randomPairs(new Random(8), 600, 4), 4, 400);
    expect(run.runBytes.size).toBeGreaterThan(3);
    for (const [path, size] of run.runBytes) {
      const read = run.bytesReadPerRun.get(path)!;
      // Its records once, plus its small footer once per partition; rereading the run for each of
      // the 4 partitions would read 4 times its size.
      expect(read, because(`a merge reads each run once: ${path} has ${size} bytes`, MERGE)).toBeLessThan(2 * size);
      expect(read, because(`every record of ${path} must be read`, MERGE)).toBeGreaterThan(0);
    }
  });

  it('the combiner runs on spills and shrinks the output without changing the reduced result', () => {
    const sum = (_key: string, values: readonly Json[]): Json => values.reduce<number>((t, v) => t + (v as number), 0);
    const pairs: Array<[number, KeyValue]> = randomPairs(new Random(10), 500, 2).map(([p, kv]) => [p, { key: kv.key, value: 1 }]);
    const plain = fillBuffer(pairs, 2, 4000);
    const combined = fillBuffer(pairs, 2, 4000, sum);
    expect(combined.spills).toBeGreaterThan(1);
    const total = (sections: KeyValue[][]): Map<string, number> => {
      const m = new Map<string, number>();
      for (const kv of sections.flat()) m.set(kv.key, (m.get(kv.key) ?? 0) + (kv.value as number));
      return m;
    };
    expect(combined.sections.flat().length, because('a combiner replaces a key\'s values in a run by one value', 'The combiner')).toBeLessThan(plain.sections.flat().length / 2);
    expect(total(combined.sections), because('for an associative reducer, combining first changes nothing in the end', 'The combiner')).toEqual(total(plain.sections));
  });
});
