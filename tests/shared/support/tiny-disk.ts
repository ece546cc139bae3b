/**
 * A deliberately tiny crashable file system for the simulator's crash tests: whole files only,
 * a file's synced contents survive a crash, everything else is lost. It only has to show that
 * the simulator hands a restarted node the same disk and crashes it; the real simulated disk
 * (torn writes, directory syncs, corruption) is tested on its own.
 */

import type { FileHandle, FileSystem, OpenMode } from '../../../shared/fs/file-system.js';

export class TinyDisk implements FileSystem {
  private readonly live = new Map<string, Uint8Array>();
  private readonly durable = new Map<string, Uint8Array>();
  crashes = 0;

  crash(): void {
    this.crashes++;
    this.live.clear();
    for (const [path, data] of this.durable) this.live.set(path, data.slice());
  }

  open(path: string, mode: OpenMode): FileHandle {
    if (mode === 'truncate' || (mode === 'create' && !this.live.has(path))) this.live.set(path, new Uint8Array(0));
    if (!this.live.has(path)) throw new Error(`no such file: ${path}`);
    const disk = this;
    const get = () => disk.live.get(path) ?? new Uint8Array(0);
    return {
      path,
      size: () => get().length,
      read: (offset, length) => get().slice(offset, offset + length),
      write: (offset, data) => {
        const old = get();
        const next = new Uint8Array(Math.max(old.length, offset + data.length));
        next.set(old);
        next.set(data, offset);
        disk.live.set(path, next);
      },
      append(data) {
        const at = get().length;
        this.write(at, data);
        return at;
      },
      truncate: (size) => disk.live.set(path, get().slice(0, size)),
      sync: () => disk.durable.set(path, get().slice()),
      close: () => {},
    };
  }

  exists(path: string): boolean {
    return this.live.has(path);
  }
  list(): string[] {
    return [...this.live.keys()].sort();
  }
  mkdir(): void {}
  rename(from: string, to: string): void {
    const data = this.live.get(from);
    if (data === undefined) throw new Error(`no such file: ${from}`);
    this.live.delete(from);
    this.live.set(to, data);
  }
  remove(path: string): void {
    this.live.delete(path);
  }
  syncDir(): void {}
}
