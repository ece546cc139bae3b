/**
 * Exercise 5.5: a local (document-partitioned) secondary index. Each partition indexes only its
 * own documents, in its own store, in the same atomic batch as the document. A write touches one
 * partition; a query by field must ask every partition and gather the answers (scatter/gather).
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { OrderedKV } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import type { Doc, Partitioner, QueryResult, Touched } from './documents.js';

const LOCAL = { exercise: '5.5 Secondary indexes', file: 'chapter05-partitioning/local-index.ts', section: 'Local indexes: scatter/gather' };

/**
 * Documents partitioned by id (`partitionOf(id, partitions)`), each partition with its own index
 * of its own documents, stored with the key layout of `documents.ts`. A partitioner answering
 * outside `[0, partitions)` is an `UnknownPartitionError` (use `choosePartition`); a bad document
 * a `UsageError` (`checkDoc`); neither changes anything.
 */
export class LocalIndexStore {
  /** `partitions` stores made by `newStore` (`UsageError` unless a positive integer). */
  constructor(partitions: number, partitionOf: Partitioner, newStore: () => OrderedKV = () => new MemoryKV()) {
    throw new NotImplementedError(LOCAL);
  }

  /**
   * Stores `doc`, replacing any document with its id: the document, the removal of the old
   * version's index entries and the new ones, in one batch of one partition. Returns `[p]`.
   */
  put(doc: Doc): Touched {
    throw new NotImplementedError(LOCAL);
  }

  /** Removes document `id` and its index entries (an absent id changes nothing): one partition. */
  delete(id: string): Touched {
    throw new NotImplementedError(LOCAL);
  }

  /** Document `id`, read from its one partition, or `undefined`. */
  get(id: string): Doc | undefined {
    throw new NotImplementedError(LOCAL);
  }

  /** The ids with `field = value`, sorted: scatter to every partition (all touched), gather every answer. */
  query(field: string, value: string): QueryResult {
    throw new NotImplementedError(LOCAL);
  }
}
