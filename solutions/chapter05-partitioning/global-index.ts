/**
 * Exercise 5.5: a global (term-partitioned) secondary index. Documents are partitioned by id; the
 * index is partitioned by term (`field = value`), so all the ids for one term live in one
 * partition, usually not the document's own. A query reads one partition. A write stores the
 * document in its partition at once and queues the index changes; they reach the index
 * partitions only when the queue is drained, so until then queries can be stale.
 * @module
 */

import type { BatchOp, OrderedKV } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { checkDoc, choosePartition, docKey, docValue, indexKey, makeStores, readDoc, scanTerm, type Doc, type Partitioner, type QueryResult, type Touched } from './documents.js';

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

/** Documents partitioned by id, with an index partitioned by term and updated asynchronously. */
export class GlobalIndexStore {
  private readonly stores: OrderedKV[];
  private readonly queue: IndexUpdate[] = [];

  constructor(
    partitions: number,
    private readonly partitionOf: Partitioner,
    private readonly termPartitionOf: Partitioner,
    newStore: () => OrderedKV = () => new MemoryKV(),
  ) {
    this.stores = makeStores(partitions, newStore, 'GlobalIndexStore');
  }

  /** Stores `doc` in its partition (one partition touched) and queues its index changes. */
  put(doc: Doc): Touched {
    checkDoc(doc, 'GlobalIndexStore.put');
    const p = this.docPartition(doc.id, 'GlobalIndexStore.put');
    const kv = this.stores[p]!;
    const old = readDoc(kv, doc.id);
    kv.put(docKey(doc.id), docValue(doc));
    const before = old?.fields ?? {};
    for (const [field, value] of Object.entries(before)) {
      if (doc.fields[field] !== value) this.queue.push({ type: 'remove', field, value, id: doc.id });
    }
    for (const [field, value] of Object.entries(doc.fields)) {
      if (before[field] !== value) this.queue.push({ type: 'add', field, value, id: doc.id });
    }
    return { partitionsTouched: [p] };
  }

  /** Removes document `id` from its partition and queues the removal of its index entries. */
  delete(id: string): Touched {
    const p = this.docPartition(id, 'GlobalIndexStore.delete');
    const kv = this.stores[p]!;
    const old = readDoc(kv, id);
    if (old !== undefined) {
      kv.delete(docKey(id));
      for (const [field, value] of Object.entries(old.fields)) this.queue.push({ type: 'remove', field, value, id });
    }
    return { partitionsTouched: [p] };
  }

  /** Document `id`, read from its partition: always current. */
  get(id: string): Doc | undefined {
    return readDoc(this.stores[this.docPartition(id, 'GlobalIndexStore.get')]!, id);
  }

  /** How many index updates wait in the queue. */
  pendingIndexUpdates(): number {
    return this.queue.length;
  }

  /** Applies up to `max` queued updates, oldest first, each to its term's partition. */
  drainIndex(max = Infinity): DrainResult {
    const touched = new Set<number>();
    const byPartition = new Map<number, BatchOp[]>();
    let applied = 0;
    while (applied < max && this.queue.length > 0) {
      const u = this.queue.shift()!;
      const p = this.termPartition(u.field, u.value);
      const key = indexKey(u.field, u.value, u.id);
      const ops = byPartition.get(p) ?? [];
      ops.push(u.type === 'add' ? { type: 'put', key, value: new Uint8Array(0) } : { type: 'delete', key });
      byPartition.set(p, ops);
      touched.add(p);
      applied++;
    }
    // Updates of one term all go to one partition, so per-partition batches keep their order.
    for (const [p, ops] of byPartition) this.stores[p]!.batch(ops);
    return { applied, partitionsTouched: [...touched].sort((a, b) => a - b) };
  }

  /** The documents with `field = value`, from the one partition holding the term: may be stale. */
  query(field: string, value: string): QueryResult {
    const p = this.termPartition(field, value);
    return { ids: scanTerm(this.stores[p]!, field, value).sort(), partitionsTouched: [p] };
  }

  private docPartition(id: string, where: string): number {
    return choosePartition(this.partitionOf, id, this.stores.length, where);
  }

  private termPartition(field: string, value: string): number {
    return choosePartition(this.termPartitionOf, termKey(field, value), this.stores.length, 'GlobalIndexStore: term partitioner');
  }
}
