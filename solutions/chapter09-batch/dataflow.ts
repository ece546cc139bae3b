/**
 * Exercise 9.3: a small dataflow engine. Datasets are partitioned and lazy: an operator only
 * adds a node to a graph, and `collect` runs the plan.
 *
 * - Narrow operators (`map`, `filter`, `flatMap`) keep the partitioning: partition i of the
 *   output depends on partition i of the input only. Consecutive narrow operators are pipelined
 *   inside one task: each record goes through the whole chain before the next one enters it.
 * - Wide operators (`groupByKey`, `reduceByKey`, `join`) need every input partition: a shuffle
 *   sends each keyed record to partition `partitionFor(key, partitions)`. The plan is cut into
 *   stages there. A shuffle map stage's outputs (its buckets) are kept; nothing else is.
 * - A lost shuffle output is recomputed from lineage when, and only when, a task needs it.
 *
 * Order: `parallelize` slices its input into contiguous runs; narrow operators keep input
 * order. A wide partition lists its keys in `compareKeys` order, and a key's values in input
 * order (map partition, then record). `collect` concatenates partitions in partition order.
 * @module
 */

import { UsageError } from '../../shared/errors.js';
import { OperatorError } from './errors.js';
import { partitionFor } from './partitioner.js';
import { compareKeys } from './records.js';

/** A keyed record, the input of the wide operators. */
export interface Keyed<V> {
  readonly key: string;
  readonly value: V;
}

/** A lazy, partitioned dataset. Operators return new datasets and compute nothing. */
export interface Dataset<T> {
  /** `operator#id`, unique in its engine. */
  readonly label: string;
  readonly partitions: number;
  map<U>(f: (record: T) => U): Dataset<U>;
  filter(f: (record: T) => boolean): Dataset<T>;
  flatMap<U>(f: (record: T) => Iterable<U>): Dataset<U>;
  /** Values of each key in input order; `partitions` defaults to this dataset's. */
  groupByKey<V>(this: Dataset<Keyed<V>>, partitions?: number): Dataset<Keyed<V[]>>;
  /** Folds each key's values in input order with an associative `f`. */
  reduceByKey<V>(this: Dataset<Keyed<V>>, f: (a: V, b: V) => V, partitions?: number): Dataset<Keyed<V>>;
  /** Inner join: per key, each left value with each right value, left-major, in input order. */
  join<V, W>(this: Dataset<Keyed<V>>, other: Dataset<Keyed<W>>, partitions?: number): Dataset<Keyed<readonly [V, W]>>;
  /** Runs the plan; the records of every partition, in partition order. */
  collect(): T[];
}

/** One stage of a plan: a pipeline of operators run as one task per partition. */
export interface Stage {
  readonly id: string;
  /** `shuffle-map` stages end in a shuffle write, kept; the `result` stage feeds `collect`. */
  readonly kind: 'shuffle-map' | 'result';
  /** Tasks: one per partition. */
  readonly partitions: number;
  /** The datasets the stage computes, first to last. */
  readonly operators: readonly string[];
  /** Ids of the stages whose shuffle outputs it reads. */
  readonly parents: readonly string[];
}

/** One task run. */
export interface TaskRun {
  readonly stage: string;
  readonly partition: number;
}

type Narrow = { readonly kind: 'narrow'; readonly op: 'map' | 'filter' | 'flatMap'; readonly parent: Node; readonly fn: (record: unknown) => unknown };
type Wide = { readonly kind: 'wide'; readonly op: 'groupByKey' | 'reduceByKey' | 'join'; readonly parents: readonly Node[]; readonly reduce?: (a: unknown, b: unknown) => unknown };
type Node = { readonly id: number; readonly label: string; readonly partitions: number } & ({ readonly kind: 'source'; readonly slices: readonly (readonly unknown[])[] } | Narrow | Wide);

interface StagePlan extends Stage {
  /** The source or wide dataset the stage's tasks read. */
  readonly base: Node;
  readonly chain: readonly (Node & Narrow)[];
  /** The shuffle it writes: the wide dataset and which of its parents this stage computes. */
  readonly sink?: { readonly wide: Node & Wide; readonly side: number };
  readonly parentStages: readonly StagePlan[];
}

/** Shuffle buckets of one map task: bucket p holds the records bound for partition p. */
type Buckets = Keyed<unknown>[][];

/**
 * The engine: builds datasets, plans and runs them, keeps shuffle outputs, counts tasks.
 *
 * Invariants: operators compute nothing; `collect` runs one task per partition of each stage
 * it needs, pipelining narrow operators; a shuffle map stage's outputs are kept until lost, and
 * a lost one is recomputed only when a task needs it; every task run is in `tasksRun`.
 */
export class Dataflow {
  private nextId = 0;
  private readonly stagesById = new Map<string, StagePlan>();
  private readonly outputs = new Map<string, Map<number, Buckets>>();
  private readonly log: TaskRun[] = [];

  /**
   * A dataset of `data` in `partitions` contiguous slices: slice i is `[⌊i·n/P⌋, ⌊(i+1)·n/P⌋)`.
   * A `UsageError` unless `partitions` is a positive integer (the same for the wide operators).
   */
  parallelize<T>(data: readonly T[], partitions: number): Dataset<T> {
    checkPartitions(partitions, 'parallelize');
    const slices = Array.from({ length: partitions }, (_, i) => data.slice(Math.floor((i * data.length) / partitions), Math.floor(((i + 1) * data.length) / partitions)));
    return this.dataset({ kind: 'source', slices }, 'parallelize', partitions);
  }

  /**
   * The stages that compute `dataset`, parents before children (a join's left input before its
   * right); the last is the result stage.
   */
  plan(dataset: Dataset<unknown>): Stage[] {
    const ordered: StagePlan[] = [];
    const visit = (stage: StagePlan): void => {
      if (ordered.includes(stage)) return;
      stage.parentStages.forEach(visit);
      ordered.push(stage);
    };
    visit(this.stageEndingAt(this.nodeOf(dataset)));
    return ordered.map(publicStage);
  }

  /** Every task run so far, in run order. */
  get tasksRun(): readonly TaskRun[] {
    return this.log;
  }

  /** How many times tasks of `stage` (of one partition, if given) have run. */
  runs(stage: Stage | string, partition?: number): number {
    const id = typeof stage === 'string' ? stage : stage.id;
    return this.log.filter((t) => t.stage === id && (partition === undefined || t.partition === partition)).length;
  }

  /** The shuffle outputs held now, by stage and partition. */
  cached(): TaskRun[] {
    const held: TaskRun[] = [];
    for (const [stage, parts] of this.outputs) for (const partition of [...parts.keys()].sort((a, b) => a - b)) held.push({ stage, partition });
    return held;
  }

  /**
   * Drops the kept output of one task of a shuffle map stage, as a lost machine would. A
   * `UsageError` for an unknown stage, a result stage or a partition out of range.
   */
  lose(stage: Stage | string, partition: number): void {
    const id = typeof stage === 'string' ? stage : stage.id;
    const plan = this.stagesById.get(id);
    if (plan === undefined) throw new UsageError(`no stage ${JSON.stringify(id)} in this engine's plans`);
    if (plan.kind !== 'shuffle-map') throw new UsageError(`stage ${JSON.stringify(id)} is a result stage: its output is not kept, so it cannot be lost`);
    if (!Number.isInteger(partition) || partition < 0 || partition >= plan.partitions) throw new UsageError(`stage ${JSON.stringify(id)} has partitions 0 to ${plan.partitions - 1}, not ${partition}`);
    this.outputs.get(id)?.delete(partition);
  }

  /** @internal Runs the result stage of `node` after any missing shuffle outputs it needs. */
  collectNode(node: Node): unknown[] {
    const stage = this.stageEndingAt(node);
    for (const parent of stage.parentStages) this.ensure(parent);
    const results: unknown[][] = [];
    for (let p = 0; p < stage.partitions; p++) {
      this.log.push({ stage: stage.id, partition: p });
      results[p] = [...this.pipeline(stage, p)];
    }
    return results.flat();
  }

  /** @internal */
  dataset<T>(shape: Record<string, unknown> & { kind: Node['kind'] }, op: string, partitions: number): Dataset<T> {
    const id = this.nextId++;
    const node = { ...shape, id, label: `${op}#${id}`, partitions } as Node;
    return new DatasetImpl<T>(this, node);
  }

  /** @internal */
  nodeOf(dataset: Dataset<unknown>): Node {
    if (!(dataset instanceof DatasetImpl) || dataset.engine !== this) throw new UsageError(`dataset ${dataset.label} belongs to another engine`);
    return dataset.node;
  }

  /** Computes the missing outputs of a shuffle map stage, and only then what they need. */
  private ensure(stage: StagePlan): void {
    const done = this.outputs.get(stage.id) ?? new Map<number, Buckets>();
    this.outputs.set(stage.id, done);
    const missing: number[] = [];
    for (let p = 0; p < stage.partitions; p++) if (!done.has(p)) missing.push(p);
    if (missing.length === 0) return;
    for (const parent of stage.parentStages) this.ensure(parent);
    for (const p of missing) done.set(p, this.runMapTask(stage, p));
  }

  private runMapTask(stage: StagePlan, partition: number): Buckets {
    this.log.push({ stage: stage.id, partition });
    const { wide } = stage.sink!;
    const buckets: Map<string, unknown[]>[] = Array.from({ length: wide.partitions }, () => new Map());
    for (const record of this.pipeline(stage, partition)) {
      const key = keyOf(record, wide, stage, partition);
      const bucket = buckets[partitionFor(key, wide.partitions)]!;
      const values = bucket.get(key);
      if (values === undefined) bucket.set(key, [(record as Keyed<unknown>).value]);
      else values.push((record as Keyed<unknown>).value);
    }
    // reduceByKey combines on the map side: one record per key and map task crosses the shuffle.
    const combine = wide.reduce;
    return buckets.map((bucket) => {
      const out: Keyed<unknown>[] = [];
      for (const [key, values] of bucket) {
        if (combine === undefined) for (const value of values) out.push({ key, value });
        else out.push({ key, value: fold(values, combine, wide, stage, partition) });
      }
      return out;
    });
  }

  /** Partition `partition` of the stage's last dataset, one record at a time. */
  private pipeline(stage: StagePlan, partition: number): Iterable<unknown> {
    let records: Iterable<unknown> = stage.base.kind === 'source' ? stage.base.slices[partition]! : this.shuffleRead(stage, partition);
    for (const node of stage.chain) records = narrow(node, records, stage, partition);
    return records;
  }

  /** Partition `partition` of a wide dataset, from bucket `partition` of every map output. */
  private shuffleRead(stage: StagePlan, partition: number): unknown[] {
    const wide = stage.base as Node & Wide;
    const sides = stage.parentStages.map((parent) => {
      const groups = new Map<string, unknown[]>();
      const done = this.outputs.get(parent.id)!;
      for (let m = 0; m < parent.partitions; m++) {
        for (const { key, value } of done.get(m)![partition]!) {
          const values = groups.get(key);
          if (values === undefined) groups.set(key, [value]);
          else values.push(value);
        }
      }
      return groups;
    });
    const [left, right] = sides as [Map<string, unknown[]>, Map<string, unknown[] | undefined>];
    const keys = [...left.keys()].sort(compareKeys);
    const out: Keyed<unknown>[] = [];
    for (const key of keys) {
      const values = left.get(key)!;
      if (wide.op === 'groupByKey') out.push({ key, value: values });
      else if (wide.op === 'reduceByKey') out.push({ key, value: fold(values, wide.reduce!, wide, stage, partition) });
      else for (const l of values) for (const r of right.get(key) ?? []) out.push({ key, value: [l, r] });
    }
    return out;
  }

  /** The stage whose last dataset is `node`: a result stage, or the map side of `sink`. */
  private stageEndingAt(node: Node, sink?: { wide: Node & Wide; side: number }): StagePlan {
    const id = sink === undefined ? `${node.label} → collect` : `${node.label} → ${sink.wide.label}${sink.wide.op === 'join' ? (sink.side === 0 ? ' (left)' : ' (right)') : ''}`;
    const known = this.stagesById.get(id);
    if (known !== undefined) return known;
    const chain: (Node & Narrow)[] = [];
    let base = node;
    while (base.kind === 'narrow') {
      chain.unshift(base);
      base = base.parent;
    }
    const parentStages = base.kind === 'wide' ? base.parents.map((parent, side) => this.stageEndingAt(parent, { wide: base as Node & Wide, side })) : [];
    const stage: StagePlan = {
      id,
      kind: sink === undefined ? 'result' : 'shuffle-map',
      partitions: base.partitions,
      operators: [base.label, ...chain.map((n) => n.label)],
      parents: parentStages.map((s) => s.id),
      base,
      chain,
      ...(sink === undefined ? {} : { sink }),
      parentStages,
    };
    this.stagesById.set(id, stage);
    return stage;
  }
}

class DatasetImpl<T> implements Dataset<T> {
  readonly label: string;
  readonly partitions: number;

  constructor(
    readonly engine: Dataflow,
    readonly node: Node,
  ) {
    this.label = node.label;
    this.partitions = node.partitions;
  }

  map<U>(f: (record: T) => U): Dataset<U> {
    return this.narrow('map', f);
  }

  filter(f: (record: T) => boolean): Dataset<T> {
    return this.narrow('filter', f);
  }

  flatMap<U>(f: (record: T) => Iterable<U>): Dataset<U> {
    return this.narrow('flatMap', f);
  }

  groupByKey<V>(this: DatasetImpl<Keyed<V>>, partitions?: number): Dataset<Keyed<V[]>> {
    return this.wide('groupByKey', [this], partitions);
  }

  reduceByKey<V>(this: DatasetImpl<Keyed<V>>, f: (a: V, b: V) => V, partitions?: number): Dataset<Keyed<V>> {
    return this.wide('reduceByKey', [this], partitions, f as (a: unknown, b: unknown) => unknown);
  }

  join<V, W>(this: DatasetImpl<Keyed<V>>, other: Dataset<Keyed<W>>, partitions?: number): Dataset<Keyed<readonly [V, W]>> {
    return this.wide('join', [this, other], partitions);
  }

  collect(): T[] {
    return this.engine.collectNode(this.node) as T[];
  }

  private narrow<U>(op: Narrow['op'], fn: (record: T) => unknown): Dataset<U> {
    return this.engine.dataset({ kind: 'narrow', op, parent: this.node, fn }, op, this.node.partitions);
  }

  private wide<U>(op: Wide['op'], inputs: readonly Dataset<unknown>[], partitions: number | undefined, reduce?: (a: unknown, b: unknown) => unknown): Dataset<U> {
    const parents = inputs.map((d) => this.engine.nodeOf(d));
    const count = partitions ?? Math.max(...parents.map((p) => p.partitions));
    checkPartitions(count, op);
    return this.engine.dataset({ kind: 'wide', op, parents, ...(reduce === undefined ? {} : { reduce }) }, op, count);
  }
}

/** One narrow operator over a stream of records: pulls one, passes on what it makes. */
function* narrow(node: Node & Narrow, input: Iterable<unknown>, stage: StagePlan, partition: number): Iterable<unknown> {
  for (const record of input) {
    const out = userCall(node, stage, partition, () => (node.op === 'flatMap' ? [...(node.fn(record) as Iterable<unknown>)] : node.fn(record)));
    if (node.op === 'map') yield out;
    else if (node.op === 'filter') {
      if (out === true) yield record;
    } else yield* out as unknown[];
  }
}

function fold(values: readonly unknown[], f: (a: unknown, b: unknown) => unknown, wide: Node, stage: StagePlan, partition: number): unknown {
  let acc = values[0];
  for (let i = 1; i < values.length; i++) acc = userCall(wide, stage, partition, () => f(acc, values[i]));
  return acc;
}

function keyOf(record: unknown, wide: Node & Wide, stage: StagePlan, partition: number): string {
  const key = typeof record === 'object' && record !== null ? (record as { key?: unknown }).key : undefined;
  if (typeof key !== 'string') throw new OperatorError(wide.op, wide.label, stage.id, partition, `record ${JSON.stringify(record)} has no string key`);
  return key;
}

function userCall<R>(node: Node, stage: StagePlan, partition: number, call: () => R): R {
  try {
    return call();
  } catch (error) {
    if (error instanceof OperatorError) throw error;
    const op = node.kind === 'source' ? 'parallelize' : node.op;
    throw new OperatorError(op, node.label, stage.id, partition, error instanceof Error ? error.message : String(error));
  }
}

function publicStage(stage: StagePlan): Stage {
  return { id: stage.id, kind: stage.kind, partitions: stage.partitions, operators: stage.operators, parents: stage.parents };
}

function checkPartitions(partitions: number, op: string): void {
  if (!Number.isInteger(partitions) || partitions < 1) throw new UsageError(`${op}: partitions must be a positive integer, not ${partitions}`);
}
