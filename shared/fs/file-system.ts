/**
 * The file-system interface every storage engine does its I/O through.
 *
 * Two implementations stand behind it: the real disk (`node:fs`, synchronous) and a simulated
 * disk that a test can crash. On a crash the simulated disk keeps only what was made durable:
 * data written to a file survives once that file's handle was `sync`ed; a file's creation,
 * rename or removal survives once its directory was `syncDir`ed. Of the unsynced writes it may
 * keep none, all, a prefix with the last one torn, or any subset of the sectors they touched (an
 * earlier write lost, a later one kept); and it can flip bytes, to test checksums.
 *
 * Synchronous on purpose (see `shared/kv.ts`): a crash can be injected between any two calls,
 * and what survives is exact.
 *
 * Paths use `/` as separator on every platform and are relative to the file system's root
 * (`''` or `'.'` is the root itself); `..` and absolute paths are rejected with a `UsageError`.
 *
 * Errors, identical in both implementations: a missing file or directory where one must exist
 * raises a {@link FileNotFoundError}; a call on a closed handle, a write through a read-only
 * handle, a negative offset or a bad path raises a `UsageError`.
 * @module
 */

/**
 * The unit a disk writes atomically, in bytes: after a power cut a sector holds its old bytes or
 * its new ones, never a mix. Drives promise this for 512-byte sectors (many write 4096-byte ones
 * internally, which keeps the promise for 512). Which of the sectors written since the last fsync
 * survive is not promised at all.
 */
export const SECTOR_BYTES = 512;

/** A file or directory that must exist does not (opening for read, listing, renaming). */
export class FileNotFoundError extends Error {
  override readonly name = 'FileNotFoundError';
  /** The path, relative to the file system's root. */
  readonly path: string;

  constructor(path: string) {
    super(`no such file or directory: ${path === '' ? '(the root)' : path}`);
    this.path = path;
  }
}

/** How to open a file. */
export type OpenMode =
  /** Read only; the file must exist. */
  | 'read'
  /** Read and write; the file must exist. */
  | 'readwrite'
  /** Read and write; creates the file if absent, keeps its contents if present. */
  | 'create'
  /** Read and write; creates the file, or empties it if present. */
  | 'truncate';

/** An open file. Offsets and sizes are in bytes. */
export interface FileHandle {
  /** The path the file was opened with. */
  readonly path: string;
  /** Current size of the file, including writes not yet synced. */
  size(): number;
  /**
   * Reads up to `length` bytes at `offset`. Returns fewer bytes only when the file ends first,
   * and an empty array at or past the end.
   */
  read(offset: number, length: number): Uint8Array;
  /**
   * Writes `data` at `offset`, growing the file if needed (a gap reads as zero bytes). The bytes
   * are taken before the call returns: the caller may reuse `data` at once.
   */
  write(offset: number, data: Uint8Array): void;
  /** Writes `data` at the end of the file and returns the offset it was written at. */
  append(data: Uint8Array): number;
  /** Shrinks or grows the file to `size` bytes. */
  truncate(size: number): void;
  /** Makes every write to this file so far durable (fsync). */
  sync(): void;
  /** Closes the handle; later calls on it throw. Closing does not sync. */
  close(): void;
}

/** A directory tree of files. */
export interface FileSystem {
  /**
   * Opens `path` in `mode`; see {@link OpenMode}. The parent directory must exist. Throws a
   * {@link FileNotFoundError} when it does not, or when `mode` needs an existing file.
   */
  open(path: string, mode: OpenMode): FileHandle;
  /** True when a file or directory exists at `path`. */
  exists(path: string): boolean;
  /** The names (not paths) of the entries in directory `path`, sorted; throws if it is absent. */
  list(path: string): string[];
  /** Creates directory `path` and any missing parents. */
  mkdir(path: string): void;
  /** Atomically renames file `from` to `to`, replacing `to` if it exists; `from` must exist. */
  rename(from: string, to: string): void;
  /** Removes the file at `path`; removing an absent file is not an error. */
  remove(path: string): void;
  /** Makes creations, renames and removals of entries in directory `path` durable. */
  syncDir(path: string): void;
}
