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

import { NotImplementedError } from '../../shared/errors.js';
import type { OrderedKV } from '../../shared/kv.js';
import { encodeKey } from '../../shared/tuple-key.js';

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

const INDEX = { exercise: '9.4 Derived data from the database', file: 'chapter09-batch/derived-data.ts', section: 'Building the index from a snapshot' };
const SWAP = { exercise: '9.4 Derived data from the database', file: 'chapter09-batch/derived-data.ts', section: 'Swapping in a new version atomically' };

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
  throw new NotImplementedError(INDEX);
}

/**
 * The version the manifest of index `name` names, or `undefined` when there is none yet. A
 * manifest that is not `{"version": n}` (n a positive integer) is a {@link ManifestError}.
 */
export function currentVersion(kv: OrderedKV, name: string): number | undefined {
  throw new NotImplementedError(SWAP);
}

/**
 * The whole index `name` as of one version: the manifest is read, then that version's keys, in
 * one call. `undefined` when no job has flipped the pointer yet.
 */
export function readIndex(kv: OrderedKV, name: string): DerivedIndex | undefined {
  throw new NotImplementedError(SWAP);
}

/** The ids of the documents holding `term`, in the version the manifest names (`[]` if none). */
export function lookupTerm(kv: OrderedKV, name: string, term: string): readonly string[] {
  throw new NotImplementedError(SWAP);
}

/** The aggregate row of `group`, in the version the manifest names (`undefined` if none). */
export function lookupGroup(kv: OrderedKV, name: string, group: string): GroupStats | undefined {
  throw new NotImplementedError(SWAP);
}

/**
 * A derived-data job, run one step at a time (see the module comment for the steps). The rules
 * it keeps: it reads only the snapshot taken in its first step, so later writes to the source
 * never reach the index; it never writes to the version the manifest names, nor to one that
 * already holds keys (a crashed job's leftovers); the manifest names the new version only after
 * every key of it is written, in one batch; after that, every other version is deleted.
 */
export class DerivedDataJob {
  /** Checks the options (a `UsageError` names the bad one); reads and writes nothing yet. */
  constructor(options: DerivedJobOptions) {
    throw new NotImplementedError(SWAP);
  }

  /** The kind of the next step, or `'done'`. */
  get phase(): JobPhase {
    throw new NotImplementedError(SWAP);
  }

/**
   * Runs the next step and returns its kind. A step that throws (bad input, a crashed disk)
   * leaves the job failed; what readers see is then still the old index. Stepping a job that
   * is done is a `UsageError`.
   */
  step(): JobPhase {
    throw new NotImplementedError(SWAP);
  }

  /** Runs every remaining step and says what the job did. */
  run(): DerivedJobResult {
    throw new NotImplementedError(SWAP);
  }
}

/** Runs a {@link DerivedDataJob} from start to end. */
export function runDerivedDataJob(options: DerivedJobOptions): DerivedJobResult {
  return new DerivedDataJob(options).run();
}
