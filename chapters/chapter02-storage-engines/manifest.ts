/**
 * Exercise 2.7: the manifest, the one file that says which files make up the LSM-tree, so that the
 * set of SSTables survives crashes. See the notes, "2.7 The manifest and recovery".
 *
 * Format: the file `MANIFEST` holds exactly one `log-record.ts` frame whose payload is
 *
 * ```text
 * payload := version:u32 (= 1)  nextFileNumber:u32  walNumber:u32  tableCount:u32
 *            tableNumber:u32 × tableCount                      (newest table first)
 * ```
 *
 * It is replaced atomically: the new contents are written to `MANIFEST.tmp`, fsynced, renamed
 * over `MANIFEST`, and the directory is fsynced. A crash at any point leaves either the old or
 * the new manifest, never a mix. Files the manifest does not name are leftovers of an
 * interrupted flush or compaction, and recovery deletes them.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { FileSystem } from '../../shared/fs/file-system.js';

/** The durable state of an LSM-tree's file set. */
export interface Manifest {
  /** The next unused file number; file numbers are never reused. */
  readonly nextFileNumber: number;
  /** Number of the write-ahead log holding the writes not yet in any SSTable. */
  readonly walNumber: number;
  /** Numbers of the live SSTables, newest first. */
  readonly tables: readonly number[];
}

/** Name of the manifest file in the store's directory. */
export const MANIFEST_FILE = 'MANIFEST';
const TODO = { exercise: '2.7 The manifest and recovery', file: 'chapter02-storage-engines/manifest.ts', section: '2.7 The manifest and recovery' };

/**
 * Durably and atomically replaces the manifest in `dir` by `manifest`: write `MANIFEST.tmp`,
 * fsync it, rename it over `MANIFEST`, fsync the directory.
 */
export function writeManifest(fs: FileSystem, dir: string, manifest: Manifest): void {
  throw new NotImplementedError(TODO);
}

/**
 * The manifest in `dir`, or `undefined` when there is none (a new store). A manifest that is
 * torn, ends in zero bytes, fails its checksum or is malformed raises a `CorruptionError`: it is
 * written whole and fsynced before it gets its name, so it can only be damaged, never half-written.
 */
export function readManifest(fs: FileSystem, dir: string): Manifest | undefined {
  throw new NotImplementedError(TODO);
}
