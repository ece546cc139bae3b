/**
 * Exercise 5.5: a global (term-partitioned) secondary index. Documents are partitioned by id; the
 * index is partitioned by term (`field = value`), so all the ids for one term live in one
 * partition, usually not the document's own. A query reads one partition. A write stores the
 * document in its partition at once and queues the index changes; they reach the index
 * partitions only when the queue is drained, so until then queries can be stale.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { OrderedKV } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import type { Doc, Partitioner, QueryResult, Touched } from './documents.js';

/** One queued change to the global index. */
export interface IndexUpdate {
  readonly type: 'add' | 'remove';
  readonly field: string;
  readonly value: string;
  readonly id: string;
}

/** What a drain did: how many queued updates it applied, and which index partitions it wrote. */
export interface DrainResult extends Touched {
  readonly applied: number;
}

/** The string the term partitioner is given for `field = value`: a JSON pair, so no two terms share it. */
export function termKey(field: string, value: string): string {
  return JSON.stringify([field, value]);
}

const GLOBAL = { exercise: '5.5 Secondary indexes', file: 'chapter05-partitioning/global-index.ts', section: 'Global indexes: partitioned by term' };

/**
 * Documents partitioned by id (`partitionOf(id, P)`), with an index partitioned by term
 * (`termPartitionOf(termKey(field, value), P)`), both in the same `P` stores with the key layout
 * of `documents.ts`. Bad input as for `LocalIndexStore`.
 */
export class GlobalIndexStore {
  constructor(partitions: number, partitionOf: Partitioner, termPartitionOf: Partitioner, newStore: () => OrderedKV = () => new MemoryKV()) {
    throw new NotImplementedError(GLOBAL);
  }

  /**
   * Stores `doc` in its partition (the only one touched) and queues, in order, a `remove` for
   * each old term the new version no longer has and an `add` for each new term.
   */
  put(doc: Doc): Touched {
    throw new NotImplementedError(GLOBAL);
  }

  /** Removes document `id` from its partition and queues the removal of each of its terms. */
  delete(id: string): Touched {
    throw new NotImplementedError(GLOBAL);
  }

  /** Document `id`, read from its partition: always current. */
  get(id: string): Doc | undefined {
    throw new NotImplementedError(GLOBAL);
  }

  /** How many index updates wait in the queue. */
  pendingIndexUpdates(): number {
    throw new NotImplementedError(GLOBAL);
  }

  /** Applies up to `max` queued updates, oldest first, each to its term's partition; reports the partitions written. */
  drainIndex(max = Infinity): DrainResult {
    throw new NotImplementedError(GLOBAL);
  }

  /** The ids with `field = value`, sorted, from the one partition holding the term: stale until the queue drains. */
  query(field: string, value: string): QueryResult {
    throw new NotImplementedError(GLOBAL);
  }
}
