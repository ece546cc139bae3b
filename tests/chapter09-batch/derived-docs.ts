/**
 * What the derived-data tests share (exercise 9.4): the index spec, random documents stored in
 * chapter 01's layout, a plain reference index, and how a reader sees the stored index.
 */

import { utf8 } from '../../shared/bytes.js';
import { prefixRange, type OrderedKV } from '../../shared/kv.js';
import type { Random } from '../../shared/random.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import { readIndex, versionsPrefix, type BuiltIndex } from '@impl/chapter09-batch/derived-data.js';

export const NAME = 'search';
export const COLLECTION = 'posts';
export const SPEC = { name: NAME, collection: COLLECTION, textFields: ['title', 'body'], groupBy: 'author' } as const;

export type Doc = Readonly<Record<string, string | number | null>>;
export type Docs = ReadonlyMap<string, Doc>;

export const WORDS = ['the', 'The', 'LOG', 'data', 'Data', 'batch', 'index', 'naïve', 'Ünïcode', '日本', 'a1', 'b2', 'x', 'merge', 'sort'];
export const IDS = ['d01', 'd02', 'd03', 'd04', 'd05', 'd06', 'd07', 'd08', 'd09', 'd10', 'ü1', 'Z9'];
export const AUTHORS = ['ada', 'bob', 'cy'];

/** The plain reference: every document, every field, one map of sets; no store, no versions. */
export function referenceIndex(docs: Docs): BuiltIndex {
  const postings = new Map<string, Set<string>>();
  const groups = new Map<string, { documents: number; terms: number }>();
  for (const [id, doc] of docs) {
    let count = 0;
    for (const field of SPEC.textFields) {
      const text = doc[field];
      if (typeof text !== 'string') continue;
      for (const run of text.match(/[\p{L}\p{N}]+/gu) ?? []) {
        const term = run.toLowerCase();
        count++;
        if (!postings.has(term)) postings.set(term, new Set());
        postings.get(term)!.add(id);
      }
    }
    const author = doc[SPEC.groupBy];
    if (typeof author === 'string') {
      const g = groups.get(author) ?? { documents: 0, terms: 0 };
      groups.set(author, { documents: g.documents + 1, terms: g.terms + count });
    }
  }
  return {
    postings: [...postings.keys()].sort().map((term) => ({ term, ids: [...postings.get(term)!].sort() })),
    groups: [...groups.keys()].sort().map((group) => ({ group, ...groups.get(group)! })),
  };
}

/** Stores documents the way chapter 01's document store does: `['doc', collection, id]` → JSON. */
export function putDoc(kv: OrderedKV, id: string, doc: Doc, collection = COLLECTION): void {
  kv.put(encodeKey(['doc', collection, id]), utf8(JSON.stringify(doc)));
}

export function storeDocs(kv: OrderedKV, docs: Docs): void {
  for (const [id, doc] of docs) putDoc(kv, id, doc);
}

/** The index as a reader sees it, without its version number (which is the job's to choose). */
export function visible(kv: OrderedKV): BuiltIndex | undefined {
  const index = readIndex(kv, NAME);
  if (index === undefined) return undefined;
  return { postings: index.postings, groups: index.groups };
}

/** The version numbers that hold keys under the index's versioned range. */
export function storedVersions(kv: OrderedKV): number[] {
  const versions = new Set<number>();
  for (const { key } of kv.scan(prefixRange(versionsPrefix(NAME)))) versions.add(decodeKey(key)[3] as number);
  return [...versions].sort((a, b) => a - b);
}

export function randomText(random: Random): string {
  const words = Array.from({ length: random.int(0, 6) }, () => random.pick(WORDS));
  return words.join(random.pick([' ', ', ', '-', '. ', '\n']));
}

export function randomDocs(random: Random, count: number): Map<string, Doc> {
  const docs = new Map<string, Doc>();
  for (let i = 0; i < count; i++) {
    const doc: Record<string, string | null> = {};
    if (random.chance(0.9)) doc['title'] = randomText(random);
    if (random.chance(0.8)) doc['body'] = random.chance(0.1) ? null : randomText(random);
    if (random.chance(0.85)) doc['author'] = random.pick(AUTHORS);
    docs.set(random.pick(IDS), doc);
  }
  return docs;
}

/** `docs` changed at random: some replaced, some deleted, some added. */
export function changed(random: Random, docs: Docs): Map<string, Doc> {
  const next = new Map(docs);
  for (const id of IDS) {
    const roll = random.float();
    if (roll < 0.2) next.delete(id);
    else if (roll < 0.5) next.set(id, randomDocs(random, 1).values().next().value ?? {});
  }
  return next;
}

export function applyChanges(kv: OrderedKV, from: Docs, to: Docs): void {
  for (const id of from.keys()) if (!to.has(id)) kv.delete(encodeKey(['doc', COLLECTION, id]));
  storeDocs(kv, to);
}
