/**
 * A node's view of its disk: the node's {@link FileSystem}, guarded against zombies and counted.
 *
 * A crashed incarnation must not write to the disk its successor now owns, even through a file
 * handle it opened before the crash. Every call through the guard, on the file system or on any
 * handle opened through it, first checks that its incarnation is still the live one, and throws a
 * `StaleNodeError` otherwise. The guard also counts fsyncs and bytes written into the trace.
 *
 * When a call crashes the disk (a `SimulatedCrash` armed by `SimDisk.scheduleCrash`), the guard
 * tells the simulation, which crashes the node at that call, then lets the error unwind the
 * handler: nothing the handler would have done after the call happens.
 * @module
 */

import type { FileHandle, FileSystem, OpenMode } from '../fs/file-system.js';
import { SimulatedCrash } from '../fs/sim-disk.js';
import type { Counters } from './trace.js';

/** Runs one disk call; if it crashed the disk, reports the crash before rethrowing. */
type Call = <T>(operation: string, call: () => T) => T;

function caller(check: (action: string) => void, onCrash: (operation: string) => void): Call {
  return (operation, call) => {
    check(operation);
    try {
      return call();
    } catch (error) {
      if (error instanceof SimulatedCrash) onCrash(error.operation);
      throw error;
    }
  };
}

/** @internal Wraps `disk` for one incarnation; `check(action)` throws once it is stale. */
export class GuardedDisk implements FileSystem {
  private readonly call: Call;

  constructor(
    private readonly disk: FileSystem,
    check: (action: string) => void,
    private readonly counters: Counters,
    onCrash: (operation: string) => void = () => {},
  ) {
    this.call = caller(check, onCrash);
  }

  open(path: string, mode: OpenMode): FileHandle {
    return new GuardedHandle(this.call(`open ${path}`, () => this.disk.open(path, mode)), this.call, this.counters);
  }

  exists(path: string): boolean {
    return this.call(`check ${path} exists`, () => this.disk.exists(path));
  }

  list(path: string): string[] {
    return this.call(`list ${path}`, () => this.disk.list(path));
  }

  mkdir(path: string): void {
    this.call(`mkdir ${path}`, () => this.disk.mkdir(path));
  }

  rename(from: string, to: string): void {
    this.call(`rename ${from}`, () => this.disk.rename(from, to));
  }

  remove(path: string): void {
    this.call(`remove ${path}`, () => this.disk.remove(path));
  }

  syncDir(path: string): void {
    this.call(`sync directory ${path}`, () => {
      this.counters.fsyncs++;
      this.disk.syncDir(path);
    });
  }
}

class GuardedHandle implements FileHandle {
  readonly path: string;

  constructor(
    private readonly handle: FileHandle,
    private readonly call: Call,
    private readonly counters: Counters,
  ) {
    this.path = handle.path;
  }

  size(): number {
    return this.call(`read the size of ${this.path}`, () => this.handle.size());
  }

  read(offset: number, length: number): Uint8Array {
    return this.call(`read ${this.path}`, () => this.handle.read(offset, length));
  }

  write(offset: number, data: Uint8Array): void {
    this.call(`write ${this.path}`, () => {
      this.counters.diskBytesWritten += data.length;
      this.handle.write(offset, data);
    });
  }

  append(data: Uint8Array): number {
    return this.call(`append to ${this.path}`, () => {
      this.counters.diskBytesWritten += data.length;
      return this.handle.append(data);
    });
  }

  truncate(size: number): void {
    this.call(`truncate ${this.path}`, () => this.handle.truncate(size));
  }

  sync(): void {
    this.call(`sync ${this.path}`, () => {
      this.counters.fsyncs++;
      this.handle.sync();
    });
  }

  close(): void {
    this.call(`close ${this.path}`, () => this.handle.close());
  }
}
