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

import { NotImplementedError } from '../../shared/errors.js';

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

const GRAPH = { exercise: '9.3 A small dataflow engine', file: 'chapter09-batch/dataflow.ts', section: 'A lazy operator graph' };
const STAGES = { exercise: '9.3 A small dataflow engine', file: 'chapter09-batch/dataflow.ts', section: 'Narrow and wide dependencies, and stages' };
const LINEAGE = { exercise: '9.3 A small dataflow engine', file: 'chapter09-batch/dataflow.ts', section: 'Lineage: recomputing a lost partition' };

/**
 * The engine: builds datasets, plans and runs them, keeps shuffle outputs, counts tasks.
 *
 * Invariants: operators compute nothing; `collect` runs one task per partition of each stage
 * it needs, pipelining narrow operators; a shuffle map stage's outputs are kept until lost, and
 * a lost one is recomputed only when a task needs it; every task run is in `tasksRun`.
 */
export class Dataflow {
  /**
   * A dataset of `data` in `partitions` contiguous slices: slice i is `[⌊i·n/P⌋, ⌊(i+1)·n/P⌋)`.
   * A `UsageError` unless `partitions` is a positive integer (the same for the wide operators).
   */
  parallelize<T>(data: readonly T[], partitions: number): Dataset<T> {
    throw new NotImplementedError(GRAPH);
  }

  /**
   * The stages that compute `dataset`, parents before children (a join's left input before its
   * right); the last is the result stage.
   */
  plan(dataset: Dataset<unknown>): Stage[] {
    throw new NotImplementedError(STAGES);
  }

  /** Every task run so far, in run order. */
  get tasksRun(): readonly TaskRun[] {
    throw new NotImplementedError(STAGES);
  }

  /** How many times tasks of `stage` (of one partition, if given) have run. */
  runs(stage: Stage | string, partition?: number): number {
    throw new NotImplementedError(STAGES);
  }

  /** The shuffle outputs held now, by stage and partition. */
  cached(): TaskRun[] {
    throw new NotImplementedError(STAGES);
  }

  /**
   * Drops the kept output of one task of a shuffle map stage, as a lost machine would. A
   * `UsageError` for an unknown stage, a result stage or a partition out of range.
   */
  lose(stage: Stage | string, partition: number): void {
    throw new NotImplementedError(LINEAGE);
  }

  /** @internal Runs the result stage of `node` after any missing shuffle outputs it needs. */
  collectNode(node: Node): unknown[] {
    throw new NotImplementedError(LINEAGE);
  }

  /** @internal */
  dataset<T>(shape: Record<string, unknown> & { kind: Node['kind'] }, op: string, partitions: number): Dataset<T> {
    throw new NotImplementedError(GRAPH);
  }

  /** @internal */
  nodeOf(dataset: Dataset<unknown>): Node {
    throw new NotImplementedError(GRAPH);
  }
}
