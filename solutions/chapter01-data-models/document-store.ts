/**
 * Exercise 10: a document store over an ordered key-value store.
 *
 * Key layout: `['doc', collection, id]` holds the whole document as JSON text. One key per
 * document gives locality: reading a document with all its nested parts is one `get`, and a
 * collection scan is one prefix scan in id order. The price is that changing one field rewrites
 * the whole document.
 * @module
 */

import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { prefixRange, type OrderedKV } from '../../shared/kv.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import { parsePath, selectPath } from './document-path.js';
import { MAX_NESTING, isJsonObject, showValue, type JsonObject, type JsonValue, type Value } from './values.js';

/** A stored document and its id. */
export interface StoredDocument {
  readonly id: string;
  readonly doc: JsonObject;
}

/**
 * Throws a `UsageError` naming the path of the first value JSON cannot hold faithfully, or of
 * the first object or array nested deeper than MAX_NESTING (the root is at depth 1). Checking
 * the depth first keeps this recursion, and JSON.stringify's, from overflowing the stack.
 */
function checkJson(value: unknown, path: string, depth: number): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UsageError(`document value at ${path} is ${value}, which JSON cannot store`);
    return;
  }
  const container = Array.isArray(value) || (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype);
  if (container && depth > MAX_NESTING) {
    throw new UsageError(`document nests deeper than ${MAX_NESTING} levels of objects and arrays at ${path}`);
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkJson(item, `${path}[${i}]`, depth + 1));
    return;
  }
  if (container) {
    for (const [field, inner] of Object.entries(value as object)) checkJson(inner, `${path}.${field}`, depth + 1);
    return;
  }
  throw new UsageError(`document value at ${path} is ${showValue(value)} (${typeof value}), which JSON cannot store`);
}

/** Collections of JSON documents, each document stored whole under one key. */
export class DocumentStore {
  private readonly kv: OrderedKV;

  /** The store is injected, as for `Database`. */
  constructor(kv: OrderedKV) {
    this.kv = kv;
  }

  /**
   * Stores `doc` under `['doc', collection, id]`, replacing any previous version. A value JSON
   * cannot hold exactly (`NaN`, `Infinity`, `undefined`, a `Date`, a class instance) is a
   * `UsageError` naming its path, and nothing is written. So is a document that nests objects
   * and arrays more than `MAX_NESTING` deep (the document itself is depth 1, `{ a: {} }` is 2
   * deep, `{ a: [1] }` also 2); the error names the path of the first one too deep, and any
   * version already stored under `id` stays. No schema is checked: that is schema-on-read.
   */
  put(collection: string, id: string, doc: JsonObject): void {
    checkJson(doc, '$', 1);
    if (!isJsonObject(doc)) throw new UsageError(`a document must be a JSON object, got ${showValue(doc)}`);
    this.kv.put(encodeKey(['doc', collection, id]), utf8(JSON.stringify(doc)));
  }

  /**
   * The document as it was put (every field an own property, `__proto__` included), or
   * `undefined`.
   */
  get(collection: string, id: string): JsonObject | undefined {
    const bytes = this.kv.get(encodeKey(['doc', collection, id]));
    return bytes === undefined ? undefined : (JSON.parse(fromUtf8(bytes)) as JsonObject);
  }

  /** Deletes a document; returns whether it existed. */
  delete(collection: string, id: string): boolean {
    const key = encodeKey(['doc', collection, id]);
    if (this.kv.get(key) === undefined) return false;
    this.kv.delete(key);
    return true;
  }

  /** Every document of the collection, in id order. */
  scan(collection: string): StoredDocument[] {
    const out: StoredDocument[] = [];
    for (const { key, value } of this.kv.scan(prefixRange(encodeKey(['doc', collection])))) {
      out.push({ id: decodeKey(key)[2] as string, doc: JSON.parse(fromUtf8(value)) as JsonObject });
    }
    return out;
  }

  /**
   * The documents (in id order) where at least one value reached by `path` equals `value`
   * (`===`, so only scalars match). With `[*]` in the path this is "any element matches", the
   * way document databases query into arrays. A malformed path is a `PathSyntaxError`, even
   * on an empty collection.
   */
  find(collection: string, path: string, value: Value): StoredDocument[] {
    const steps = parsePath(path);
    return this.scan(collection).filter(({ doc }) => selectPath(doc, steps).some((v: JsonValue) => v === value));
  }
}
