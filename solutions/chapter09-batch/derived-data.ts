/**
 * Exercise 9.4: derived data from the database. A batch job reads a consistent snapshot of the
 * documents in an ordered key-value store, builds an inverted index (term → sorted document ids)
 * and an aggregate table (per group: documents and terms), writes them under a new version, and
 * swaps that version in by flipping a manifest pointer in one batch write. Readers resolve the
 * pointer and read the version it names, so they see the old index or the new one, never a mix.
 *
 * Key layout (tuple keys, `shared/tuple-key.ts`):
 *
 * ```text
 * ['doc', collection, id]                        a source document: JSON text (chapter 01's layout)
 * ['derived', name, 'manifest']                  the pointer: {"version": n}
 * ['derived', name, 'v', n, 'group', group]      {"documents": d, "terms": t}
 * ['derived', name, 'v', n, 'term', term]        the ids of the documents holding term, sorted
 * ```
 *
 * The job runs in steps, so that tests (and a scheduler) can stop it or read between any two:
 * `snapshot` (copy the collection in one step), `build` (index the copy, choose the version),
 * `write` (one batch of the new version per step), `flip` (the manifest pointer, one batch),
 * `gc` (one batch of deletes of older versions per step). Until `flip`, nothing a reader can see
 * has changed; a job that stops before it leaves the old index in place. One job runs at a time
 * per index name.
 * @module
 */

import { fromUtf8, showBytes, utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { prefixRange, type BatchOp, type OrderedKV } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import { compareKeys } from './records.js';

/** What to index: which documents, which of their fields, and how to group them. */
export interface DerivedIndexSpec {
  /** The index's name: its keys live under `['derived', name]`. */
  readonly name: string;
  /** The documents to index: every key `['doc', collection, id]`. */
  readonly collection: string;
  /** Top-level fields whose text is indexed; a field that is absent or `null` is skipped. */
  readonly textFields: readonly string[];
  /** Top-level field holding the document's group for the aggregate table (a string, absent or `null`). */
  readonly groupBy: string;
}

/** How a {@link DerivedDataJob} runs. */
export interface DerivedJobOptions extends DerivedIndexSpec {
  /** The store the documents are read from. */
  readonly source: OrderedKV;
  /** The serving store the index is written to (may be the source itself). */
  readonly target: OrderedKV;
  /** Operations per write or delete batch (default 256). */
  readonly batchSize?: number;
}

/** A source document, as the job sees it. */
export interface SourceDocument {
  readonly id: string;
  readonly doc: unknown;
}

/** One row of the inverted index. */
export interface Posting {
  readonly term: string;
  /** The ids of the documents holding `term`, sorted, each once. */
  readonly ids: readonly string[];
}

/** One row of the aggregate table. */
export interface GroupStats {
  readonly group: string;
  /** Documents in the group. */
  readonly documents: number;
  /** Terms in the group's documents, counting repeats. */
  readonly terms: number;
}

/** An index built in memory: postings sorted by term, groups sorted by group. */
export interface BuiltIndex {
  readonly postings: readonly Posting[];
  readonly groups: readonly GroupStats[];
}

/** An index as a reader sees it: one version, whole. */
export interface DerivedIndex extends BuiltIndex {
  readonly version: number;
}

/** The phase a job is in: the kind of its next step. */
export type JobPhase = 'snapshot' | 'build' | 'write' | 'flip' | 'gc' | 'done';

/** What a finished job did. */
export interface DerivedJobResult {
  /** The version the manifest now names. */
  readonly version: number;
  /** Documents in the snapshot. */
  readonly documents: number;
  /** Rows written: postings and groups. */
  readonly rows: number;
  /** Keys of older versions deleted after the flip. */
  readonly collected: number;
}

/** A stored document is not a JSON object, or a field the job reads has the wrong type. */
export class MalformedDocumentError extends Error {
  override readonly name = 'MalformedDocumentError';
  readonly collection: string;
  /** The document's id (or its key's bytes, when the key is not `['doc', collection, id]`). */
  readonly id: string;

  constructor(collection: string, id: string, detail: string) {
    super(`document ${JSON.stringify(id)} of collection ${JSON.stringify(collection)} cannot be indexed: ${detail}`);
    this.collection = collection;
    this.id = id;
  }
}

/** The manifest pointer of an index does not hold `{"version": n}` with n a positive integer. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
  /** The index's name. */
  readonly index: string;

  constructor(index: string, detail: string) {
    super(`the manifest of derived index ${JSON.stringify(index)} is unreadable: ${detail}`);
    this.index = index;
  }
}

const DEFAULT_BATCH = 256;
const VERSION_PART = 3;
const KIND_PART = 4;
const ITEM_PART = 5;

/** The key of an index's manifest pointer. */
export function manifestKey(name: string): Uint8Array {
  return encodeKey(['derived', name, 'manifest']);
}

/** The prefix of every versioned key of an index (all versions). */
export function versionsPrefix(name: string): Uint8Array {
  return encodeKey(['derived', name, 'v']);
}

/**
 * The terms of a text: maximal runs of letters and digits (Unicode `\p{L}` and `\p{N}`), each
 * lowercased after splitting, in order, repeats kept. Given code: the index's definition of a term.
 */
export function tokenize(text: string): string[] {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).map((run) => run.toLowerCase());
}

/**
 * The inverted index and the aggregate table of `docs`, computed in memory. Every term of every
 * text field maps to the sorted ids of the documents holding it (each id once); every group
 * counts its documents and their terms (repeats counted). Postings are sorted by term, groups by
 * group (both by UTF-16 code unit). A document that is not an object, a text field that is not a
 * string, or a group that is not a string is a {@link MalformedDocumentError} naming the id.
 */
export function buildIndex(docs: Iterable<SourceDocument>, spec: DerivedIndexSpec): BuiltIndex {
  const postings = new Map<string, string[]>();
  const groups = new Map<string, { documents: number; terms: number }>();
  for (const { id, doc } of docs) {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      throw new MalformedDocumentError(spec.collection, id, `a document must be a JSON object, got ${JSON.stringify(doc)}`);
    }
    const fields = doc as Readonly<Record<string, unknown>>;
    let terms = 0;
    for (const field of spec.textFields) {
      const text = Object.hasOwn(fields, field) ? fields[field] : undefined;
      if (text === undefined || text === null) continue;
      if (typeof text !== 'string') {
        throw new MalformedDocumentError(spec.collection, id, `text field ${JSON.stringify(field)} holds ${JSON.stringify(text)}, not a string`);
      }
      for (const term of tokenize(text)) {
        terms++;
        const ids = postings.get(term);
        if (ids === undefined) postings.set(term, [id]);
        else if (ids[ids.length - 1] !== id) ids.push(id);
      }
    }
    const group = Object.hasOwn(fields, spec.groupBy) ? fields[spec.groupBy] : undefined;
    if (group === undefined || group === null) continue;
    if (typeof group !== 'string') {
      throw new MalformedDocumentError(spec.collection, id, `group field ${JSON.stringify(spec.groupBy)} holds ${JSON.stringify(group)}, not a string`);
    }
    const stats = groups.get(group) ?? { documents: 0, terms: 0 };
    groups.set(group, { documents: stats.documents + 1, terms: stats.terms + terms });
  }
  return {
    postings: [...postings.keys()].sort(compareKeys).map((term) => ({ term, ids: postings.get(term)!.sort(compareKeys) })),
    groups: [...groups.keys()].sort(compareKeys).map((group) => ({ group, ...groups.get(group)! })),
  };
}

/**
 * The version the manifest of index `name` names, or `undefined` when there is none yet. A
 * manifest that is not `{"version": n}` (n a positive integer) is a {@link ManifestError}.
 */
export function currentVersion(kv: OrderedKV, name: string): number | undefined {
  const bytes = kv.get(manifestKey(name));
  if (bytes === undefined) return undefined;
  let manifest: unknown;
  try {
    manifest = JSON.parse(fromUtf8(bytes));
  } catch (error) {
    throw new ManifestError(name, `not JSON text (${(error as Error).message})`);
  }
  const version = typeof manifest === 'object' && manifest !== null ? (manifest as { version?: unknown }).version : undefined;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new ManifestError(name, `expected {"version": n} with n a positive integer, got ${JSON.stringify(manifest)}`);
  }
  return version;
}

/**
 * The whole index `name` as of one version: the manifest is read, then that version's keys, in
 * one call. `undefined` when no job has flipped the pointer yet.
 */
export function readIndex(kv: OrderedKV, name: string): DerivedIndex | undefined {
  const version = currentVersion(kv, name);
  if (version === undefined) return undefined;
  const postings: Posting[] = [];
  const groups: GroupStats[] = [];
  for (const { key, value } of kv.scan(prefixRange(encodeKey(['derived', name, 'v', version])))) {
    const parts = decodeKey(key);
    const item = parts[ITEM_PART] as string;
    const row: unknown = JSON.parse(fromUtf8(value));
    if (parts[KIND_PART] === 'term') postings.push({ term: item, ids: row as string[] });
    else groups.push({ group: item, ...(row as { documents: number; terms: number }) });
  }
  // Keys order strings by UTF-8 bytes; rows are promised in UTF-16 order, like every other list here.
  postings.sort((a, b) => compareKeys(a.term, b.term));
  groups.sort((a, b) => compareKeys(a.group, b.group));
  return { version, postings, groups };
}

/** The ids of the documents holding `term`, in the version the manifest names (`[]` if none). */
export function lookupTerm(kv: OrderedKV, name: string, term: string): readonly string[] {
  const version = currentVersion(kv, name);
  if (version === undefined) return [];
  const bytes = kv.get(encodeKey(['derived', name, 'v', version, 'term', term]));
  return bytes === undefined ? [] : (JSON.parse(fromUtf8(bytes)) as string[]);
}

/** The aggregate row of `group`, in the version the manifest names (`undefined` if none). */
export function lookupGroup(kv: OrderedKV, name: string, group: string): GroupStats | undefined {
  const version = currentVersion(kv, name);
  if (version === undefined) return undefined;
  const bytes = kv.get(encodeKey(['derived', name, 'v', version, 'group', group]));
  return bytes === undefined ? undefined : { group, ...(JSON.parse(fromUtf8(bytes)) as { documents: number; terms: number }) };
}

function checkOptions(options: DerivedJobOptions): void {
  const text = (what: string, value: unknown): void => {
    if (typeof value !== 'string' || value === '') throw new UsageError(`derived data job: ${what} must be a non-empty string, got ${JSON.stringify(value)}`);
  };
  text('name', options.name);
  text('collection', options.collection);
  text('groupBy', options.groupBy);
  if (!Array.isArray(options.textFields) || options.textFields.length === 0) {
    throw new UsageError(`derived data job: textFields must be a non-empty array of field names, got ${JSON.stringify(options.textFields)}`);
  }
  options.textFields.forEach((field, i) => text(`textFields[${i}]`, field));
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`derived data job: batchSize must be a positive integer, got ${batchSize}`);
}

/**
 * A derived-data job, run one step at a time (see the module comment for the steps). The rules
 * it keeps: it reads only the snapshot taken in its first step, so later writes to the source
 * never reach the index; it never writes to the version the manifest names, nor to one that
 * already holds keys (a crashed job's leftovers); the manifest names the new version only after
 * every key of it is written, in one batch; after that, every other version is deleted.
 */
export class DerivedDataJob {
  private readonly options: DerivedJobOptions;
  private readonly source: OrderedKV;
  private readonly target: OrderedKV;
  private readonly batchSize: number;
  private readonly snapshot = new MemoryKV();
  private current: JobPhase = 'snapshot';
  private version = 0;
  private documents = 0;
  private rows = 0;
  private collected = 0;
  private pending: BatchOp[] = [];
  private garbage: Uint8Array[] = [];

  /** Checks the options (a `UsageError` names the bad one); reads and writes nothing yet. */
  constructor(options: DerivedJobOptions) {
    checkOptions(options);
    this.options = options;
    this.source = options.source;
    this.target = options.target;
    this.batchSize = options.batchSize ?? DEFAULT_BATCH;
  }

  /** The kind of the next step, or `'done'`. */
  get phase(): JobPhase {
    return this.current;
  }

  /**
   * Runs the next step and returns its kind. A step that throws (bad input, a crashed disk)
   * leaves the job failed; what readers see is then still the old index. Stepping a job that
   * is done is a `UsageError`.
   */
  step(): JobPhase {
    const phase = this.current;
    switch (phase) {
      case 'snapshot': {
        // One scan, one step: nothing can write to the source in between.
        const docs = [...this.source.scan(prefixRange(encodeKey(['doc', this.options.collection])))];
        this.snapshot.batch(docs.map(({ key, value }) => ({ type: 'put', key, value })));
        this.current = 'build';
        break;
      }
      case 'build': {
        const index = buildIndex(this.documentsOf(this.snapshot), this.options);
        const current = currentVersion(this.target, this.options.name);
        const newest = [...this.target.scan({ ...prefixRange(versionsPrefix(this.options.name)), reverse: true, limit: 1 })];
        const highest = newest.length === 0 ? 0 : (decodeKey(newest[0]!.key)[VERSION_PART] as number);
        this.version = Math.max(current ?? 0, highest) + 1;
        const at = (kind: string, item: string): Uint8Array => encodeKey(['derived', this.options.name, 'v', this.version, kind, item]);
        const groups: BatchOp[] = index.groups.map(({ group, documents, terms }) => ({ type: 'put', key: at('group', group), value: utf8(JSON.stringify({ documents, terms })) }));
        const postings: BatchOp[] = index.postings.map(({ term, ids }) => ({ type: 'put', key: at('term', term), value: utf8(JSON.stringify(ids)) }));
        this.pending = [...groups, ...postings];
        this.rows = this.pending.length;
        this.current = this.pending.length > 0 ? 'write' : 'flip';
        break;
      }
      case 'write': {
        const ops = this.pending.splice(0, this.batchSize);
        this.target.batch(ops);
        if (this.pending.length === 0) this.current = 'flip';
        break;
      }
      case 'flip': {
        // The commit point: one batch, one key. Before it readers see the old version, after it the new.
        this.target.batch([this.pointerOp()]);
        for (const { key } of this.target.scan(prefixRange(versionsPrefix(this.options.name)))) {
          if (decodeKey(key)[VERSION_PART] !== this.version) this.garbage.push(key);
        }
        this.current = this.garbage.length > 0 ? 'gc' : 'done';
        break;
      }
      case 'gc': {
        const keys = this.garbage.splice(0, this.batchSize);
        this.target.batch(keys.map((key) => ({ type: 'delete', key })));
        this.collected += keys.length;
        if (this.garbage.length === 0) this.current = 'done';
        break;
      }
      case 'done':
        throw new UsageError(`derived data job for index ${JSON.stringify(this.options.name)} is done; start a new job to rebuild`);
    }
    return phase;
  }

  /** Runs every remaining step and says what the job did. */
  run(): DerivedJobResult {
    while (this.current !== 'done') this.step();
    return { version: this.version, documents: this.documents, rows: this.rows, collected: this.collected };
  }

  private pointerOp(): BatchOp {
    return { type: 'put', key: manifestKey(this.options.name), value: utf8(JSON.stringify({ version: this.version })) };
  }

  /** The snapshot's documents, parsed; a key or value that is not a document is a MalformedDocumentError. */
  private *documentsOf(snapshot: OrderedKV): Generator<SourceDocument> {
    const collection = this.options.collection;
    this.documents = 0;
    for (const { key, value } of snapshot.scan(prefixRange(encodeKey(['doc', collection])))) {
      const parts = decodeKey(key);
      const id = parts[2];
      if (parts.length !== 3 || typeof id !== 'string') throw new MalformedDocumentError(collection, showBytes(key), 'its key is not [\'doc\', collection, id] with a string id');
      let doc: unknown;
      try {
        doc = JSON.parse(fromUtf8(value));
      } catch (error) {
        throw new MalformedDocumentError(collection, id, `its value is not UTF-8 JSON text (${(error as Error).message})`);
      }
      this.documents++;
      yield { id, doc };
    }
  }
}

/** Runs a {@link DerivedDataJob} from start to end. */
export function runDerivedDataJob(options: DerivedJobOptions): DerivedJobResult {
  return new DerivedDataJob(options).run();
}
