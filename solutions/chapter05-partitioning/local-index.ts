/**
 * Exercise 5.5: a local (document-partitioned) secondary index. Each partition indexes only its
 * own documents, in its own store, in the same atomic batch as the document. A write touches one
 * partition; a query by field must ask every partition and gather the answers (scatter/gather).
 * @module
 */

import type { OrderedKV } from '../../shared/kv.js';
import type { BatchOp } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { checkDoc, choosePartition, docKey, docValue, indexKey, makeStores, readDoc, scanTerm, type Doc, type Partitioner, type QueryResult, type Touched } from './documents.js';

/** Documents partitioned by id, each partition with its own index of its own documents. */
export class LocalIndexStore {
  private readonly stores: OrderedKV[];

  constructor(
    partitions: number,
    private readonly partitionOf: Partitioner,
    newStore: () => OrderedKV = () => new MemoryKV(),
  ) {
    this.stores = makeStores(partitions, newStore, 'LocalIndexStore');
  }

  /** Stores `doc`, replacing any document with its id, and its index entries: one partition. */
  put(doc: Doc): Touched {
    checkDoc(doc, 'LocalIndexStore.put');
    const p = choosePartition(this.partitionOf, doc.id, this.stores.length, 'LocalIndexStore.put');
    const kv = this.stores[p]!;
    const ops: BatchOp[] = this.removeOps(kv, doc.id);
    ops.push({ type: 'put', key: docKey(doc.id), value: docValue(doc) });
    for (const [field, value] of Object.entries(doc.fields)) ops.push({ type: 'put', key: indexKey(field, value, doc.id), value: new Uint8Array(0) });
    kv.batch(ops);
    return { partitionsTouched: [p] };
  }

  /** Removes document `id` and its index entries (absent: nothing happens): one partition. */
  delete(id: string): Touched {
    const p = choosePartition(this.partitionOf, id, this.stores.length, 'LocalIndexStore.delete');
    const kv = this.stores[p]!;
    kv.batch(this.removeOps(kv, id));
    return { partitionsTouched: [p] };
  }

  /** Document `id`, read from its one partition. */
  get(id: string): Doc | undefined {
    return readDoc(this.stores[choosePartition(this.partitionOf, id, this.stores.length, 'LocalIndexStore.get')]!, id);
  }

  /** The documents with `field = value`: scatter to every partition, gather, sort. */
  query(field: string, value: string): QueryResult {
    const ids: string[] = [];
    const touched: number[] = [];
    for (let p = 0; p < this.stores.length; p++) {
      touched.push(p);
      ids.push(...scanTerm(this.stores[p]!, field, value));
    }
    return { ids: ids.sort(), partitionsTouched: touched };
  }

  private removeOps(kv: OrderedKV, id: string): BatchOp[] {
    const old = readDoc(kv, id);
    if (old === undefined) return [];
    const ops: BatchOp[] = [{ type: 'delete', key: docKey(id) }];
    for (const [field, value] of Object.entries(old.fields)) ops.push({ type: 'delete', key: indexKey(field, value, id) });
    return ops;
  }
}
