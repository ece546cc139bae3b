/**
 * A node's view of its disk: the node's {@link FileSystem}, guarded against zombies and counted.
 *
 * A crashed incarnation must not write to the disk its successor now owns, even through a file
 * handle it opened before the crash. Every call through the guard, on the file system or on any
 * handle opened through it, first checks that its incarnation is still the live one, and throws a
 * `StaleNodeError` otherwise. The guard also counts fsyncs and bytes written into the trace.
 * @module
 */

import type { FileHandle, FileSystem, OpenMode } from '../fs/file-system.js';
import type { Counters } from './trace.js';

/** @internal Wraps `disk` for one incarnation; `check(action)` throws once it is stale. */
export class GuardedDisk implements FileSystem {
  constructor(
    private readonly disk: FileSystem,
    private readonly check: (action: string) => void,
    private readonly counters: Counters,
  ) {}

  open(path: string, mode: OpenMode): FileHandle {
    this.check(`open ${path}`);
    return new GuardedHandle(this.disk.open(path, mode), this.check, this.counters);
  }

  exists(path: string): boolean {
    this.check(`check ${path} exists`);
    return this.disk.exists(path);
  }

  list(path: string): string[] {
    this.check(`list ${path}`);
    return this.disk.list(path);
  }

  mkdir(path: string): void {
    this.check(`mkdir ${path}`);
    this.disk.mkdir(path);
  }

  rename(from: string, to: string): void {
    this.check(`rename ${from}`);
    this.disk.rename(from, to);
  }

  remove(path: string): void {
    this.check(`remove ${path}`);
    this.disk.remove(path);
  }

  syncDir(path: string): void {
    this.check(`sync directory ${path}`);
    this.counters.fsyncs++;
    this.disk.syncDir(path);
  }
}

class GuardedHandle implements FileHandle {
  readonly path: string;

  constructor(
    private readonly handle: FileHandle,
    private readonly check: (action: string) => void,
    private readonly counters: Counters,
  ) {
    this.path = handle.path;
  }

  size(): number {
    this.check(`read the size of ${this.path}`);
    return this.handle.size();
  }

  read(offset: number, length: number): Uint8Array {
    this.check(`read ${this.path}`);
    return this.handle.read(offset, length);
  }

  write(offset: number, data: Uint8Array): void {
    this.check(`write ${this.path}`);
    this.counters.diskBytesWritten += data.length;
    this.handle.write(offset, data);
  }

  append(data: Uint8Array): number {
    this.check(`append to ${this.path}`);
    this.counters.diskBytesWritten += data.length;
    return this.handle.append(data);
  }

  truncate(size: number): void {
    this.check(`truncate ${this.path}`);
    this.handle.truncate(size);
  }

  sync(): void {
    this.check(`sync ${this.path}`);
    this.counters.fsyncs++;
    this.handle.sync();
  }

  close(): void {
    this.check(`close ${this.path}`);
    this.handle.close();
  }
}
