/**
 * Exercise 9.1, part 4: the map side's sort buffer. A map task's output pairs collect in memory,
 * tagged with their partition. When they exceed the memory budget, the buffer is sorted by
 * (partition, key) and spilled to a run file on disk (a partitioned file, `record-file.ts`),
 * with the combiner applied to each key's values in the run. At the end the runs are merged,
 * partition by partition, into the task's one output file, and the run files are removed.
 * @module
 */

import type { FileSystem } from '../../shared/fs/file-system.js';
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

interface Buffered {
  readonly partition: number;
  readonly kv: KeyValue;
}

/** Collects a map task's output; `finish` writes it as one partitioned file. */
export class MapOutputBuffer {
  readonly stats: MapOutputStats = { spills: 0, merge: { comparisons: 0 } };
  private buffered: Buffered[] = [];
  private bufferedBytes = 0;
  private readonly runs: string[] = [];

  constructor(
    private readonly fs: FileSystem,
    private readonly options: MapOutputBufferOptions,
  ) {}

  /** Adds one pair for `partition`; spills first if the budget is exceeded. */
  add(partition: number, kv: KeyValue): void {
    this.buffered.push({ partition, kv });
    this.bufferedBytes += recordBytes(kv);
    if (this.bufferedBytes > this.options.memoryBytes) this.spill();
  }

  /**
   * Writes every pair added, sorted by key within each partition (equal keys in the order they
   * were added, or combined), to the partitioned file `path`, and removes the spill runs.
   */
  finish(path: string): void {
    if (this.runs.length === 0) {
      writePartitionedFile(this.fs, path, this.sortedSections());
    } else {
      if (this.buffered.length > 0) this.spill();
      const sections: Iterable<KeyValue>[] = [];
      for (let p = 0; p < this.options.partitions; p++) {
        sections.push(mergeSorted(this.runs.map((run) => readPartition(this.fs, run, p)), this.stats.merge));
      }
      writePartitionedFile(this.fs, path, sections);
      for (const run of this.runs) this.fs.remove(run);
    }
    this.runs.length = 0;
    this.buffered = [];
    this.bufferedBytes = 0;
  }

  /** Removes any spill runs (an attempt that failed must not leave them behind). */
  discard(): void {
    for (const run of this.runs) this.fs.remove(run);
    this.runs.length = 0;
  }

  private spill(): void {
    const path = `${this.options.spillDir}/${this.options.spillName}.spill-${String(this.runs.length).padStart(4, '0')}`;
    writePartitionedFile(this.fs, path, this.sortedSections());
    this.runs.push(path);
    this.stats.spills++;
    this.buffered = [];
    this.bufferedBytes = 0;
  }

  /** The buffer sorted by key per partition (a stable sort keeps emit order for equal keys). */
  private sortedSections(): KeyValue[][] {
    const sections: KeyValue[][] = Array.from({ length: this.options.partitions }, () => []);
    for (const b of this.buffered) sections[b.partition]!.push(b.kv);
    return sections.map((section) => {
      section.sort((a, b) => compareKeys(a.key, b.key));
      return this.options.combine === undefined ? section : this.combined(section);
    });
  }

  private combined(sorted: readonly KeyValue[]): KeyValue[] {
    const combine = this.options.combine!;
    const out: KeyValue[] = [];
    for (const group of groupByKey(sorted)) out.push({ key: group.key, value: combine(group.key, group.values) });
    return out;
  }
}
