/**
 * {@link FileSystem} on the real disk, through `node:fs`'s synchronous calls.
 *
 * Every path is relative to the root directory given to the constructor and uses `/` as its
 * separator on every platform; `..`, absolute paths and empty segments are rejected with a
 * {@link UsageError}, so an engine can never touch a file outside its root.
 *
 * Durability is exactly what the operating system gives: `FileHandle.sync` is `fsync(2)`, and
 * `syncDir` opens the directory and fsyncs it (POSIX requires that for a creation, rename or
 * removal to survive a power failure). On Windows directories cannot be opened, and NTFS makes
 * metadata durable on its own, so `syncDir` does nothing there.
 * @module
 */

import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { FileNotFoundError, type FileHandle, type FileSystem, type OpenMode } from './file-system.js';
import { checkRange, normalizePath, parentOf } from './paths.js';

const FLAGS: Record<OpenMode, string> = { read: 'r', readwrite: 'r+', create: 'a+', truncate: 'w+' };

/** A file system rooted at one directory of the real disk. */
export class RealFs implements FileSystem {
  /** The directory every path is relative to. */
  readonly root: string;

  /** Uses `root` (created if missing) as the root of every path. */
  constructor(root: string) {
    this.root = root;
    mkdirSync(root, { recursive: true });
  }

  open(path: string, mode: OpenMode): FileHandle {
    const rel = normalizePath(path);
    const native = this.native(rel);
    if (!isDirectory(this.native(parentOf(rel)))) throw new FileNotFoundError(parentOf(rel));
    if (isDirectory(native)) throw new UsageError(`open ${rel}: it is a directory`);
    if ((mode === 'read' || mode === 'readwrite') && !isFile(native)) throw new FileNotFoundError(rel);
    // 'a+' would create without truncating, but on Linux it also forces every write to the end
    // of the file; so create with 'a+', close, and reopen read-write.
    if (mode === 'create') {
      if (!isFile(native)) closeSync(this.openNative(rel, native, 'a+'));
      return new RealFileHandle(rel, this.openNative(rel, native, 'r+'), true);
    }
    return new RealFileHandle(rel, this.openNative(rel, native, FLAGS[mode]), mode !== 'read');
  }

  exists(path: string): boolean {
    return existsSync(this.native(normalizePath(path)));
  }

  list(path: string): string[] {
    const rel = normalizePath(path);
    const native = this.native(rel);
    if (!isDirectory(native)) throw new FileNotFoundError(rel);
    return readdirSync(native).sort();
  }

  mkdir(path: string): void {
    const rel = normalizePath(path);
    if (isFile(this.native(rel))) throw new UsageError(`mkdir ${rel}: a file has that name`);
    mkdirSync(this.native(rel), { recursive: true });
  }

  rename(from: string, to: string): void {
    const src = normalizePath(from);
    if (!isFile(this.native(src))) throw new FileNotFoundError(src);
    const dst = normalizePath(to);
    if (isDirectory(this.native(dst))) throw new UsageError(`rename ${src} to ${dst}: the target is a directory`);
    try {
      renameSync(this.native(src), this.native(dst));
    } catch (error) {
      if (isErrno(error, 'ENOENT')) throw new FileNotFoundError(parentOf(dst));
      throw error;
    }
  }

  remove(path: string): void {
    const rel = normalizePath(path);
    const native = this.native(rel);
    if (isDirectory(native)) throw new UsageError(`remove: ${rel} is a directory; only files can be removed`);
    rmSync(native, { force: true });
  }

  syncDir(path: string): void {
    const rel = normalizePath(path);
    const native = this.native(rel);
    if (!isDirectory(native)) throw new FileNotFoundError(rel);
    if (process.platform === 'win32') return;
    const fd = openSync(native, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private native(rel: string): string {
    return rel === '' ? this.root : join(this.root, ...rel.split('/'));
  }

  private openNative(rel: string, native: string, flags: string): number {
    try {
      return openSync(native, flags);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) throw new FileNotFoundError(rel);
      throw error;
    }
  }
}

class RealFileHandle implements FileHandle {
  readonly path: string;
  private fd: number | undefined;
  private readonly writable: boolean;

  constructor(path: string, fd: number, writable: boolean) {
    this.path = path;
    this.fd = fd;
    this.writable = writable;
  }

  size(): number {
    return fstatSync(this.open()).size;
  }

  read(offset: number, length: number): Uint8Array {
    checkRange('read', this.path, offset, length);
    const fd = this.open();
    const out = new Uint8Array(length);
    let done = 0;
    // readSync may return fewer bytes than asked; only 0 means end of file.
    while (done < length) {
      const n = readSync(fd, out, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return done === length ? out : out.subarray(0, done);
  }

  write(offset: number, data: Uint8Array): void {
    checkRange('write', this.path, offset, data.length);
    const fd = this.openForWrite();
    let done = 0;
    while (done < data.length) done += writeSync(fd, data, done, data.length - done, offset + done);
  }

  append(data: Uint8Array): number {
    const offset = this.size();
    this.write(offset, data);
    return offset;
  }

  truncate(size: number): void {
    checkRange('truncate', this.path, size, 0);
    ftruncateSync(this.openForWrite(), size);
  }

  sync(): void {
    fsyncSync(this.open());
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): number {
    if (this.fd === undefined) throw new UsageError(`${this.path}: the file handle is closed`);
    return this.fd;
  }

  private openForWrite(): number {
    const fd = this.open();
    if (!this.writable) throw new UsageError(`${this.path}: the file was opened read-only`);
    return fd;
  }
}

function isFile(native: string): boolean {
  return statSync(native, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isDirectory(native: string): boolean {
  return statSync(native, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
