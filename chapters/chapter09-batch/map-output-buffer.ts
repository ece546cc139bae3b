/**
 * Exercise 9.1, part 4: the map side's sort buffer. A map task's output pairs collect in memory,
 * tagged with their partition. When they exceed the memory budget, the buffer is sorted by
 * (partition, key) and spilled to a run file on disk (a partitioned file, `record-file.ts`),
 * with the combiner applied to each key's values in the run. At the end the runs are merged,
 * partition by partition, into the task's one output file, and the run files are removed.
 * @module
 */

import type { FileSystem } from '../../shared/fs/file-system.js';
import { NotImplementedError } from '../../shared/errors.js';
import { groupByKey, mergeSorted, type MergeStats } from './merge.js';
import { compareKeys, type Json, type KeyValue } from './records.js';
import { readPartition, recordBytes, writePartitionedFile } from './record-file.js';

/** How the buffer is set up. */
export interface MapOutputBufferOptions {
  /** Number of reduce partitions. */
  readonly partitions: number;
  /** Spill when the buffered records' encoded size exceeds this. */
  readonly memoryBytes: number;
  /** Directory for spill runs (must exist). */
  readonly spillDir: string;
  /** Prefix of this task's spill file names, unique per attempt (e.g. `map-0003.2`). */
  readonly spillName: string;
  /** The job's combiner, if it has one. */
  readonly combine?: (key: string, values: readonly Json[]) => Json;
}

/** What the buffer did. */
export interface MapOutputStats {
  /** Spill runs written. */
  spills: number;
  /** The final merge's work. */
  merge: MergeStats;
}

const BUFFER = { exercise: '9.1 A MapReduce engine: sorting, spilling and merging', file: 'chapter09-batch/map-output-buffer.ts', section: 'Sorting, spilling and merging' };

/**
 * Collects a map task's output; `finish` writes it as one partitioned file.
 *
 * Invariants: the records held in memory never exceed `memoryBytes` (measured with
 * `recordBytes`) for longer than one `add`; every spill run is a partitioned file under
 * `spillDir` whose name starts with `spillName`, each section sorted by key; what `finish`
 * writes does not depend on the budget (with no combiner: the same records in the same order).
 */
export class MapOutputBuffer {
  /** Spills so far, and the comparisons of the final merge (pass it to `mergeSorted`). */
  readonly stats: MapOutputStats = { spills: 0, merge: { comparisons: 0 } };

  constructor(
    private readonly fs: FileSystem,
    private readonly options: MapOutputBufferOptions,
  ) {}

  /**
   * Adds one pair for `partition`. When the buffered pairs' size then exceeds the budget, sorts
   * them by key per partition (stably: equal keys keep the order they were added in), applies
   * the combiner to each key of each partition if there is one, and writes them as the next
   * spill run with `writePartitionedFile`.
   */
  add(partition: number, kv: KeyValue): void {
    throw new NotImplementedError(BUFFER);
  }

  /**
   * Writes every pair added to the partitioned file `path`: sorted by key within each partition,
   * equal keys in the order they were added (or combined). With no spill, straight from memory;
   * otherwise spill what is left, merge the runs partition by partition (`readPartition`,
   * `mergeSorted`; runs in the order they were written) and remove the run files.
   */
  finish(path: string): void {
    throw new NotImplementedError(BUFFER);
  }

  /** Removes any spill runs (an attempt that failed must not leave them behind). */
  discard(): void {
    throw new NotImplementedError(BUFFER);
  }
}
