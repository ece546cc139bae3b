/**
 * A {@link FileSystem} wrapper that counts the I/O going through it: how a test proves that a
 * query left a file unread, and how a benchmark measures read and write amplification. It only
 * counts; every call goes to the wrapped file system unchanged.
 * @module
 */

import type { FileHandle, FileSystem, OpenMode } from './file-system.js';

/** Counts reads and writes, in total and bytes read per file, of the file system it wraps. */
export class CountingFs implements FileSystem {
  /** `read` calls, all files together. */
  reads = 0;
  /** Bytes returned by `read`, all files together. */
  bytesRead = 0;
  /** Bytes passed to `write` and `append`, all files together. */
  bytesWritten = 0;
  /** Bytes returned by `read`, per path. */
  readonly bytesReadByPath = new Map<string, number>();
  private readonly inner: FileSystem;

  constructor(inner: FileSystem) {
    this.inner = inner;
  }

  /** Paths that had at least one byte read, sorted. */
  filesRead(): string[] {
    return [...this.bytesReadByPath.entries()]
      .filter(([, n]) => n > 0)
      .map(([path]) => path)
      .sort();
  }

  /** Sets every count back to zero. */
  reset(): void {
    this.reads = 0;
    this.bytesRead = 0;
    this.bytesWritten = 0;
    this.bytesReadByPath.clear();
  }

  open(path: string, mode: OpenMode): FileHandle {
    const handle = this.inner.open(path, mode);
    return {
      path: handle.path,
      size: () => handle.size(),
      read: (offset, length) => {
        const data = handle.read(offset, length);
        this.reads++;
        this.bytesRead += data.length;
        this.bytesReadByPath.set(path, (this.bytesReadByPath.get(path) ?? 0) + data.length);
        return data;
      },
      write: (offset, data) => {
        this.bytesWritten += data.length;
        handle.write(offset, data);
      },
      append: (data) => {
        this.bytesWritten += data.length;
        return handle.append(data);
      },
      truncate: (size) => handle.truncate(size),
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
  }

  exists(path: string): boolean {
    return this.inner.exists(path);
  }

  list(path: string): string[] {
    return this.inner.list(path);
  }

  mkdir(path: string): void {
    this.inner.mkdir(path);
  }

  rename(from: string, to: string): void {
    this.inner.rename(from, to);
  }

  remove(path: string): void {
    this.inner.remove(path);
  }

  syncDir(path: string): void {
    this.inner.syncDir(path);
  }
}
