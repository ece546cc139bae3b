/**
 * Documents for exercise 5.5, and what the local and the global secondary index share: the
 * document type, how a document is stored in its partition, and the checks on partitioners.
 *
 * Key layout inside one partition's `OrderedKV` (keys built with `encodeKey`):
 *
 * | key                              | value                                   |
 * |----------------------------------|-----------------------------------------|
 * | `['doc', id]`                    | the document's fields, as JSON text     |
 * | `['idx', field, value, id]`      | empty: an entry of a secondary index    |
 *
 * All entries of one term (`field = value`) are one contiguous key range in a partition, so
 * reading a term is one prefix scan.
 * @module
 */

import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { prefixRange, type OrderedKV } from '../../shared/kv.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import { UnknownPartitionError } from './errors.js';

/** A document: an id and string fields (`{ color: 'red', make: 'Audi' }`). */
export interface Doc {
  readonly id: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** Which partitions an operation read or wrote: its fan-out, ascending, each once. */
export interface Touched {
  readonly partitionsTouched: readonly number[];
}

/** The ids of the documents a query found, ascending, and the partitions it read. */
export interface QueryResult extends Touched {
  readonly ids: readonly string[];
}

/** Chooses a partition in `[0, partitions)` for a key (a document id, or a term). */
export type Partitioner = (key: string, partitions: number) => number;

/** The key of document `id`. */
export function docKey(id: string): Uint8Array {
  return encodeKey(['doc', id]);
}

/** The key of the index entry saying that document `id` has `field = value`. */
export function indexKey(field: string, value: string, id: string): Uint8Array {
  return encodeKey(['idx', field, value, id]);
}

/** The document `id` stored in `kv`, or `undefined`. */
export function readDoc(kv: OrderedKV, id: string): Doc | undefined {
  const bytes = kv.get(docKey(id));
  if (bytes === undefined) return undefined;
  return { id, fields: JSON.parse(fromUtf8(bytes)) as Record<string, string> };
}

/** The bytes stored for a document. */
export function docValue(doc: Doc): Uint8Array {
  return utf8(JSON.stringify(doc.fields));
}

/** The ids of the index entries for `field = value` in `kv`, in key order. */
export function scanTerm(kv: OrderedKV, field: string, value: string): string[] {
  const ids: string[] = [];
  for (const { key } of kv.scan(prefixRange(encodeKey(['idx', field, value])))) ids.push(decodeKey(key)[3] as string);
  return ids;
}

/** Rejects a document with an empty id or a field value that is not a string. */
export function checkDoc(doc: Doc, where: string): void {
  if (typeof doc.id !== 'string' || doc.id === '') throw new UsageError(`${where}: a document needs a non-empty string id`);
  for (const [field, value] of Object.entries(doc.fields)) {
    if (typeof value !== 'string') throw new UsageError(`${where}: document ${JSON.stringify(doc.id)}, field ${JSON.stringify(field)}: values are strings`);
  }
}

/** `partitioner(key, partitions)`, checked: an answer outside `[0, partitions)` is an `UnknownPartitionError`. */
export function choosePartition(partitioner: Partitioner, key: string, partitions: number, where: string): number {
  const p = partitioner(key, partitions);
  if (!Number.isInteger(p) || p < 0 || p >= partitions) {
    throw new UnknownPartitionError(String(p), `${where}: the partitioner placed ${JSON.stringify(key)} in partition ${p}, but there are ${partitions} (0 to ${partitions - 1})`);
  }
  return p;
}

/** `partitions` fresh stores from `newStore`; `UsageError` unless `partitions` is a positive integer. */
export function makeStores(partitions: number, newStore: () => OrderedKV, where: string): OrderedKV[] {
  if (!Number.isInteger(partitions) || partitions < 1) throw new UsageError(`${where}: partitions must be a positive integer, got ${partitions}`);
  return Array.from({ length: partitions }, newStore);
}
