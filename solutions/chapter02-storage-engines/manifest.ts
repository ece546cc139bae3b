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

import { CorruptionError } from '../../shared/errors.js';
import type { FileSystem } from '../../shared/fs/file-system.js';
import { encodeFrame, scanFrames } from './log-record.js';

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
const VERSION = 1;

/** Durably and atomically replaces the manifest in `dir` by `manifest`. */
export function writeManifest(fs: FileSystem, dir: string, manifest: Manifest): void {
  const payload = new Uint8Array(16 + 4 * manifest.tables.length);
  const view = new DataView(payload.buffer);
  [VERSION, manifest.nextFileNumber, manifest.walNumber, manifest.tables.length, ...manifest.tables].forEach((v, i) =>
    view.setUint32(4 * i, v, true),
  );
  const tmp = `${dir}/${MANIFEST_FILE}.tmp`;
  const file = fs.open(tmp, 'truncate');
  file.append(encodeFrame(payload));
  file.sync();
  file.close();
  fs.rename(tmp, `${dir}/${MANIFEST_FILE}`);
  fs.syncDir(dir);
}

/**
 * The manifest in `dir`, or `undefined` when there is none (a new store). A manifest that is
 * torn, ends in zero bytes, fails its checksum or is malformed raises a `CorruptionError`: it is
 * written whole and fsynced before it gets its name, so it can only be damaged, never half-written.
 */
export function readManifest(fs: FileSystem, dir: string): Manifest | undefined {
  const path = `${dir}/${MANIFEST_FILE}`;
  if (!fs.exists(path)) return undefined;
  const file = fs.open(path, 'read');
  const bytes = file.read(0, file.size());
  file.close();
  const scan = scanFrames(bytes, path);
  const frame = scan.frames[0];
  if (frame === undefined || scan.frames.length !== 1 || scan.tornBytes > 0) {
    throw new CorruptionError(path, scan.validBytes, 'the manifest is not exactly one complete record');
  }
  const p = frame.payload;
  const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
  if (p.length < 16 || view.getUint32(0, true) !== VERSION || p.length !== 16 + 4 * view.getUint32(12, true)) {
    throw new CorruptionError(path, frame.offset, 'unknown manifest version or wrong table count');
  }
  const tables: number[] = [];
  for (let at = 16; at < p.length; at += 4) tables.push(view.getUint32(at, true));
  return { nextFileNumber: view.getUint32(4, true), walNumber: view.getUint32(8, true), tables };
}
