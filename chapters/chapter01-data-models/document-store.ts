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
import { NotImplementedError, UsageError } from '../../shared/errors.js';
import { prefixRange, type OrderedKV } from '../../shared/kv.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import { parsePath, selectPath } from './document-path.js';
import { MAX_NESTING, isJsonObject, showValue, type JsonObject, type JsonValue, type Value } from './values.js';

const EXERCISE = {
  exercise: '1.10 Document store',
  file: 'chapter01-data-models/document-store.ts',
  section: '1.10 Document store',
} as const;

/** A stored document and its id. */
export interface StoredDocument {
  readonly id: string;
  readonly doc: JsonObject;
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
    throw new NotImplementedError(EXERCISE);
  }

  /**
   * The document as it was put (every field an own property, `__proto__` included), or
   * `undefined`.
   */
  get(collection: string, id: string): JsonObject | undefined {
    throw new NotImplementedError(EXERCISE);
  }

  /** Deletes a document; returns whether it existed. */
  delete(collection: string, id: string): boolean {
    throw new NotImplementedError(EXERCISE);
  }

  /** Every document of the collection, in id order. */
  scan(collection: string): StoredDocument[] {
    throw new NotImplementedError(EXERCISE);
  }

  /**
   * The documents (in id order) where at least one value reached by `path` equals `value`
   * (`===`, so only scalars match). With `[*]` in the path this is "any element matches", the
   * way document databases query into arrays. A malformed path is a `PathSyntaxError`, even
   * on an empty collection.
   */
  find(collection: string, path: string, value: Value): StoredDocument[] {
    throw new NotImplementedError(EXERCISE);
  }
}
