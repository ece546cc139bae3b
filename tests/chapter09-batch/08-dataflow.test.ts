import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { Dataflow, type Dataset, type Keyed, type TaskRun } from '@impl/chapter09-batch/dataflow.js';
import { OperatorError } from '@impl/chapter09-batch/errors.js';
import { compareKeys } from '@impl/chapter09-batch/records.js';

const GRAPH = 'A lazy operator graph';
const STAGES = 'Narrow and wide dependencies, and stages';
const LINEAGE = 'Lineage: recomputing a lost partition';

const byKey = <V>(records: readonly Keyed<V>[]): Keyed<V>[] => [...records].sort((a, b) => compareKeys(a.key, b.key));
const runsOf = (log: readonly TaskRun[]): string[] => log.map((t) => `${t.stage} #${t.partition}`).sort();

const lines = fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'log', 'ü', 'x1', 'x2'), { maxLength: 6 }), { maxLength: 30 });
const counts = fc.integer({ min: 1, max: 6 });

describe('9.3 A small dataflow engine: operators', () => {
  it('map, filter and flatMap return what the same array methods return, in input order, for any partition count (property)', () => {
    checkProperty(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 40 }), counts, (data, partitions) => {
        const expected = data.map((x) => x * 3).filter((x) => x % 2 === 0).flatMap((x) => [x, -x]);
        const df = new Dataflow();
        const got = df.parallelize(data, partitions).map((x) => x * 3).filter((x) => x % 2 === 0).flatMap((x) => [x, -x]).collect();
        expect(got, because('narrow operators keep input order; collect concatenates partitions in order', GRAPH)).toEqual(expected);
      }),
    );
  });

  it('reduceByKey folds each key\'s values in input order, whatever the partition counts (property)', () => {
    checkProperty(
      fc.property(lines, counts, counts, (text, partitions, reducers) => {
        const tagged = text.flatMap((words, line) => words.map((w, i) => ({ key: w, value: `${line}.${i}` })));
        const expected = new Map<string, string>();
        for (const { key, value } of tagged) expected.set(key, expected.has(key) ? `${expected.get(key)!}|${value}` : value);
        const df = new Dataflow();
        const got = df
          .parallelize(text, partitions)
          .flatMap((words) => words.map((w) => w))
          .map((w) => ({ key: w, value: 1 }))
          .reduceByKey((a, b) => a + b, reducers)
          .collect();
        const concat = df.parallelize(tagged, partitions).reduceByKey((a, b) => `${a}|${b}`, reducers).collect();
        const wordCount = [...expected.entries()].map(([key, v]) => ({ key, value: v.split('|').length }));
        expect(byKey(got), because('one record per word, with its count: each key reduced once, in one partition', STAGES)).toEqual(byKey(wordCount));
        expect(byKey(concat), because('an associative but order-sensitive reduce sees values in input order', GRAPH)).toEqual(byKey([...expected.entries()].map(([key, value]) => ({ key, value }))));
      }),
    );
  });

  it('groupByKey and join agree with a plain grouping and a nested-loop join (property)', () => {
    const side = fc.array(fc.record({ key: fc.constantFrom('k1', 'k2', 'k3', 'ü4'), value: fc.integer({ min: 0, max: 9 }) }), { maxLength: 20 });
    checkProperty(
      fc.property(side, side, counts, counts, counts, (left, right, pl, pr, reducers) => {
        const df = new Dataflow();
        const l = df.parallelize(left, pl);
        const r = df.parallelize(right, pr);
        const groups = new Map<string, number[]>();
        for (const { key, value } of left) groups.set(key, [...(groups.get(key) ?? []), value]);
        expect(byKey(l.groupByKey(reducers).collect()), because('a key\'s values, all of them, in input order, in one record', STAGES)).toEqual(
          byKey([...groups.entries()].map(([key, value]) => ({ key, value }))),
        );
        const joined = l.join(r, reducers).collect().map((row) => JSON.stringify([row.key, row.value]));
        const oracle: string[] = [];
        for (const a of left) for (const b of right) if (a.key === b.key) oracle.push(JSON.stringify([a.key, [a.value, b.value]]));
        expect(joined.sort(), because('a join pairs every left and right record with equal keys', STAGES)).toEqual(oracle.sort());
      }),
    );
  });

  it('operators are lazy: nothing runs until collect', () => {
    const df = new Dataflow();
    let calls = 0;
    const ds = df.parallelize([1, 2, 3], 2).map((x) => {
      calls++;
      return { key: String(x), value: x };
    }).reduceByKey((a, b) => a + b);
    expect(calls + df.tasksRun.length, because('an operator only adds a node to the graph', GRAPH)).toBe(0);
    ds.collect();
    expect(calls).toBe(3);
  });
});

describe('9.3 A small dataflow engine: stages and pipelining', () => {
  it('a chain of narrow operators is one stage: one task per partition, nothing materialised', () => {
    const df = new Dataflow();
    const ds = df.parallelize([...Array(20).keys()], 4).map((x) => x + 1).filter((x) => x % 3 !== 0).flatMap((x) => [x, x]).map((x) => x * 2);
    const plan = df.plan(ds);
    expect(plan.length, because('narrow dependencies never split a stage', STAGES)).toBe(1);
    ds.collect();
    expect(runsOf(df.tasksRun), because('one task per partition runs the whole chain', STAGES)).toEqual(runsOf([0, 1, 2, 3].map((partition) => ({ stage: plan[0]!.id, partition }))));
    expect(df.cached(), because('only shuffle outputs are kept', STAGES)).toEqual([]);
  });

  it('within a partition each record passes through the whole chain before the next one enters it', () => {
    const df = new Dataflow();
    const seen: string[][] = [[], []];
    const ds = df
      .parallelize([1, 2, 3, 4, 5, 6], 2)
      .map((x) => {
        seen[x <= 3 ? 0 : 1]!.push(`f${x}`);
        return x;
      })
      .filter((x) => {
        seen[x <= 3 ? 0 : 1]!.push(`g${x}`);
        return true;
      })
      .map((x) => {
        seen[x <= 3 ? 0 : 1]!.push(`h${x}`);
        return x;
      });
    ds.collect();
    expect(seen[0], because('pipelined: f, g, h for a record, then the next record; no array between operators', STAGES)).toEqual(['f1', 'g1', 'h1', 'f2', 'g2', 'h2', 'f3', 'g3', 'h3']);
    expect(seen[1]).toEqual(['f4', 'g4', 'h4', 'f5', 'g5', 'h5', 'f6', 'g6', 'h6']);
  });

  it('a shuffle cuts the plan into stages; only the map side of the shuffle is kept', () => {
    const df = new Dataflow();
    const ds = df.parallelize(['a b', 'b c', 'c', 'a a'], 4).flatMap((l) => l.split(' ')).map((w) => ({ key: w, value: 1 })).reduceByKey((a, b) => a + b, 3).map((kv) => kv);
    const [map, result, ...rest] = df.plan(ds);
    expect(rest.length, because('one wide dependency: two stages', STAGES)).toBe(0);
    expect(map!.kind).toBe('shuffle-map');
    expect(map!.partitions).toBe(4);
    expect(result!.kind).toBe('result');
    expect(result!.partitions).toBe(3);
    expect(result!.parents).toEqual([map!.id]);
    expect(byKey(ds.collect())).toEqual([{ key: 'a', value: 3 }, { key: 'b', value: 2 }, { key: 'c', value: 2 }]);
    expect(df.runs(map!), because('one task per map partition', STAGES)).toBe(4);
    expect(df.runs(result!)).toBe(3);
    expect(df.cached().map((c) => c.stage)).toEqual([map!.id, map!.id, map!.id, map!.id]);
  });

  it('a second collect reruns only the result stage: shuffle outputs are kept', () => {
    const df = new Dataflow();
    const ds = df.parallelize([1, 2, 3, 4, 5], 3).map((x) => ({ key: `k${x % 2}`, value: x })).groupByKey(2);
    const [map, result] = df.plan(ds);
    const first = ds.collect();
    expect(ds.collect()).toEqual(first);
    expect(df.runs(map!), because('a kept shuffle output is not computed again', LINEAGE)).toBe(3);
    expect(df.runs(result!)).toBe(4);
  });
});

describe('9.3 A small dataflow engine: lineage', () => {
  /** Three stages: A (4 map tasks) → reduceByKey over 3 → B (3 map tasks) → groupByKey over 2 → result. */
  function threeStages(df: Dataflow): Dataset<Keyed<string[]>> {
    const words = Array.from({ length: 40 }, (_, i) => `w${(i * 7) % 11}`);
    return df
      .parallelize(words, 4)
      .map((w) => ({ key: w, value: 1 }))
      .reduceByKey((a, b) => a + b, 3)
      .map((kv) => ({ key: `n${kv.value}`, value: kv.key }))
      .groupByKey(2);
  }

  function setUp(): { df: Dataflow; ds: Dataset<Keyed<string[]>>; a: string; b: string; r: string; expected: Keyed<string[]>[] } {
    const df = new Dataflow();
    const ds = threeStages(df);
    const [a, b, r] = df.plan(ds).map((s) => s.id);
    const expected = ds.collect();
    return { df, ds, a: a!, b: b!, r: r!, expected };
  }

  it('losing one partition of the last shuffle recomputes that task only, from kept outputs upstream', () => {
    const { df, ds, b, r, expected } = setUp();
    const before = df.tasksRun.length;
    df.lose(b, 2);
    expect(ds.collect(), because('recomputed from lineage, the result is the same', LINEAGE)).toEqual(expected);
    expect(runsOf(df.tasksRun.slice(before)), because('B#2 reads bucket 2 of every kept output of A: nothing upstream reruns', LINEAGE)).toEqual(
      runsOf([{ stage: b, partition: 2 }, { stage: r, partition: 0 }, { stage: r, partition: 1 }]),
    );
  });

  it('losing partitions in two stages reruns exactly the lost tasks', () => {
    const { df, ds, a, b, r, expected } = setUp();
    const before = df.tasksRun.length;
    df.lose(a, 1);
    df.lose(b, 0);
    expect(ds.collect()).toEqual(expected);
    expect(runsOf(df.tasksRun.slice(before)), because('B#0 needs A#1 again; no other task of A or B reruns', LINEAGE)).toEqual(
      runsOf([{ stage: a, partition: 1 }, { stage: b, partition: 0 }, { stage: r, partition: 0 }, { stage: r, partition: 1 }]),
    );
  });

  it('a lost output that no missing task needs is not recomputed', () => {
    const { df, ds, a, r, expected } = setUp();
    const before = df.tasksRun.length;
    df.lose(a, 3);
    expect(ds.collect()).toEqual(expected);
    expect(runsOf(df.tasksRun.slice(before)), because('B is complete, so A#3 is not needed', LINEAGE)).toEqual(runsOf([{ stage: r, partition: 0 }, { stage: r, partition: 1 }]));
  });

  it('losing any set of partitions reruns only the lost tasks that are needed (property)', () => {
    checkProperty(
      fc.property(fc.subarray([0, 1, 2, 3]), fc.subarray([0, 1, 2]), (lostA, lostB) => {
        const { df, ds, a, b, r, expected } = setUp();
        for (const p of lostA) df.lose(a, p);
        for (const p of lostB) df.lose(b, p);
        const before = df.tasksRun.length;
        expect(ds.collect()).toEqual(expected);
        const want = [...(lostB.length > 0 ? lostA.map((p) => ({ stage: a, partition: p })) : []), ...lostB.map((p) => ({ stage: b, partition: p })), { stage: r, partition: 0 }, { stage: r, partition: 1 }];
        expect(runsOf(df.tasksRun.slice(before)), because('a stage reruns its lost tasks, and needs its parents only if it has any', LINEAGE)).toEqual(runsOf(want));
      }),
      { numRuns: 30 },
    );
  });

  it('losing a partition of one side of a join reruns that side\'s task only', () => {
    const df = new Dataflow();
    const left = df.parallelize([{ key: 'a', value: 1 }, { key: 'b', value: 2 }, { key: 'a', value: 3 }], 3);
    const right = df.parallelize([{ key: 'a', value: 'x' }, { key: 'b', value: 'y' }], 2);
    const ds = left.join(right, 2);
    const [l, rt, res] = df.plan(ds);
    const expected = ds.collect();
    const before = df.tasksRun.length;
    df.lose(l!, 0);
    expect(ds.collect()).toEqual(expected);
    expect(runsOf(df.tasksRun.slice(before)), because('only the lost left task, and the result stage', LINEAGE)).toEqual(
      runsOf([{ stage: l!.id, partition: 0 }, { stage: res!.id, partition: 0 }, { stage: res!.id, partition: 1 }]),
    );
    expect(df.runs(rt!)).toBe(2);
  });

  it('lose names a kept stage partition or is a UsageError', () => {
    const { df, a, r } = setUp();
    expect(() => df.lose('no such stage', 0)).toThrow(UsageError);
    expect(() => df.lose(r, 0), because('a result stage keeps nothing to lose', LINEAGE)).toThrow(UsageError);
    expect(() => df.lose(a, 4)).toThrow(UsageError);
  });
});

describe('9.3 A small dataflow engine: bad input', () => {
  it('a user function that throws is an OperatorError naming the operator and the partition', () => {
    const boom = (x: number): never => {
      throw new Error(`bad record ${x}`);
    };
    const cases: Array<[string, (d: Dataset<number>) => Dataset<unknown>]> = [
      ['map', (d) => d.map((x) => (x === 6 ? boom(x) : x))],
      ['filter', (d) => d.filter((x) => (x === 6 ? boom(x) : true))],
      ['flatMap', (d) => d.flatMap((x) => (x === 6 ? boom(x) : [x]))],
    ];
    for (const [operator, build] of cases) {
      const df = new Dataflow();
      const ds = build(df.parallelize([...Array(10).keys()], 4));
      let error: unknown;
      try {
        ds.collect();
      } catch (e) {
        error = e;
      }
      expect(error, because(`a throwing ${operator} is reported with where it ran`, GRAPH)).toBeInstanceOf(OperatorError);
      const e = error as OperatorError;
      expect(e.operator).toBe(operator);
      expect(e.partition, because('10 records in 4 slices: slices [0,2) [2,5) [5,7) [7,10): record 6 is in partition 2', GRAPH)).toBe(2);
      expect(e.message).toContain('bad record 6');
      expect(e.message).toContain(operator);
    }
  });

  it('a throwing reduce function and a record without a key are OperatorErrors of the wide operator', () => {
    const df = new Dataflow();
    const pairs = df.parallelize([1, 2, 3, 4], 2).map((x) => ({ key: 'k', value: x }));
    expect(() =>
      pairs
        .reduceByKey(() => {
          throw new Error('no');
        })
        .collect(),
    ).toThrow(OperatorError);
    const unkeyed = df.parallelize([1, 2], 2).map((x) => ({ value: x }) as unknown as Keyed<number>);
    let error: unknown;
    try {
      unkeyed.groupByKey().collect();
    } catch (e) {
      error = e;
    }
    expect(error, because('a shuffle needs a string key on every record', STAGES)).toBeInstanceOf(OperatorError);
    expect((error as OperatorError).operator).toBe('groupByKey');
  });

  it('a partition count that is not a positive integer is a UsageError', () => {
    const df = new Dataflow();
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => df.parallelize([1], bad), because(`parallelize with ${bad} partitions`, GRAPH)).toThrow(UsageError);
    const pairs = df.parallelize([{ key: 'a', value: 1 }], 2);
    expect(() => pairs.reduceByKey((a, b) => a + b, 0)).toThrow(UsageError);
    expect(() => pairs.groupByKey(2.5)).toThrow(UsageError);
    expect(() => pairs.join(pairs, -3)).toThrow(UsageError);
  });
});
