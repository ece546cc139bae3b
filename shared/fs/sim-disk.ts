/**
 * A simulated disk: a {@link FileSystem} in memory that a test can crash, tear and corrupt.
 *
 * Storage engines are tested against the rules below; they are the durability contract of this
 * workshop. They follow what POSIX file systems guarantee (and no more), made exact.
 *
 * **Files and their data.** Each file is an inode with two states: its *current* contents (what
 * every `read` sees, including writes not yet synced) and its *durable* contents (what a crash
 * leaves). `write`, `append` and `truncate` change only the current contents and are remembered,
 * in order, as the file's *unsynced writes*. `FileHandle.sync()` makes the durable contents equal
 * to the current ones and forgets the unsynced writes. Closing a handle does not sync.
 *
 * **Names.** The directory tree maps paths to inodes, and it too has a current and a durable
 * state. Creating a file (`open` with `create` or `truncate` when it is absent), `rename` and
 * `remove` change the current tree; `syncDir(dir)` makes the durable entries of `dir` equal to the
 * current ones. A rename between two directories needs a `syncDir` of each. Syncing a file never
 * makes its name durable, and syncing a directory never makes file data durable: a new file
 * survives a crash only after both its `sync` and its directory's `syncDir`. `mkdir` is durable at
 * once (a simplification: engines create their directories before any data goes in). Like POSIX,
 * a handle keeps working on its inode after the file is renamed or removed.
 *
 * **A crash** ({@link SimDisk.crash}) replaces every current state by what survives:
 *
 * - file data: by default exactly the durable contents; unsynced writes are dropped. Options keep
 *   them all (a process crash: the operating system still had them), tear the last one (every
 *   earlier unsynced write survives and a random prefix of the last one, possibly empty), keep
 *   a random prefix of the sequence and tear the write at the cut, or keep **any subset of
 *   sectors** (`'any-subset'`). Every mode but that one keeps the writes to one file in the
 *   order they were issued, so what a crash loses is always a suffix. `'any-subset'` is what a
 *   power cut may really do: the kernel writes dirty pages back in any order, and the drive
 *   reorders what it was sent, so each {@link SECTOR_BYTES}-byte sector written since the last sync
 *   independently ends up holding one of the versions it went through: its synced bytes, its
 *   newest, or one in between. A sector is written whole or not at all (sector atomicity, which
 *   drives promise); a write spanning several sectors may land in part, an earlier write may be
 *   lost while a later one is kept, and a sector that no kept write reached reads as it was at
 *   the last sync (zeros past the synced end of the file). The file's size is, likewise, the
 *   size after any one of the unsynced writes (or the synced size).
 * - in every mode, data made durable by a `sync` and not overwritten since survives.
 * - names: by default, creations, renames and removals not followed by a `syncDir` of their
 *   directory are undone; an option keeps them. Unlike data, names are all or nothing: either
 *   every unsynced directory change survives or none does. (Real file systems journal their
 *   metadata and can keep some of them; no engine here may depend on either outcome, so the two
 *   extremes are what the tests try.)
 * - every handle opened before the crash is dead: any call on it throws a `UsageError`, as the
 *   process that owned it is gone. Reopen the files.
 *
 * {@link SimDisk.scheduleCrash} crashes the disk in the middle of an engine's work: the n-th
 * mutating call (write, append, truncate, sync, create, rename, remove, syncDir) crashes the disk
 * instead of running (a write at the cut may be torn) and throws a {@link SimulatedCrash}.
 *
 * **Corruption** helpers change stored bytes behind the engine's back (bit rot), in both the
 * current and the durable contents: {@link SimDisk.flipByte}, {@link SimDisk.corrupt}.
 *
 * **Time.** An fsync costs nothing by default. With the `fsyncMs` option each `sync` and
 * `syncDir` takes that many virtual milliseconds: the disk adds them to `stats.fsyncMs` and
 * passes them to its {@link DiskClock}, the hook through which a simulator makes the caller wait.
 * The disk never reads real time.
 *
 * **Counters** ({@link SimDisk.stats}): fsyncs, directory syncs, time spent in them, bytes written
 * and read, calls.
 *
 * Every random choice (tear lengths, prefixes, which sectors survive, fsync latencies) comes from
 * the {@link Random} given to the constructor, so a seed replays a crash exactly.
 * @module
 */

import { UsageError } from '../errors.js';
import type { Random } from '../random.js';
import { FileNotFoundError, SECTOR_BYTES, type FileHandle, type FileSystem, type OpenMode } from './file-system.js';
import { checkRange, normalizePath, parentOf } from './paths.js';

export { SECTOR_BYTES };

/** What a crash does to writes that were not synced. */
export type UnsyncedWrites =
  /** Every unsynced write is lost; the file is back to its durable contents (the default). */
  | 'drop'
  /** Every unsynced write survives: a process crash, with the operating system still running. */
  | 'keep'
  /** Every unsynced write but the last survives; a random prefix (maybe empty) of the last one. */
  | 'tear-last'
  /** A random number of the unsynced writes survive, in order; the next one is torn. */
  | 'random-prefix'
  /**
   * Each sector written since the last sync keeps a random one of its versions (the synced one,
   * the newest, or one in between), independently of the others; the size is the size after a
   * random one of the writes. Earlier writes can be lost while later ones survive.
   */
  | 'any-subset';

/**
 * The virtual clock an fsync spends its time on. A simulator implements it to make the node that
 * called `sync` wait; without one the disk only counts the time in `stats.fsyncMs`.
 */
export interface DiskClock {
  /** The caller is blocked for `ms` virtual milliseconds (an fsync is under way). */
  wait(ms: number): void;
}

/** How a {@link SimDisk} is built. */
export interface SimDiskOptions {
  /**
   * Virtual milliseconds each fsync (`FileHandle.sync` and `syncDir`) takes: a number, or a
   * function drawing one from the disk's generator (for jitter). Default 0: fsyncs take no time.
   */
  readonly fsyncMs?: number | ((random: Random) => number);
  /** Where fsync time is spent; see {@link DiskClock}. Can be set later with `setClock`. */
  readonly clock?: DiskClock;
}

/** How a crash treats unsynced state. */
export interface CrashOptions {
  /** What happens to each file's unsynced writes; default `'drop'`. */
  readonly unsyncedWrites?: UnsyncedWrites;
  /**
   * Whether creations, renames and removals not followed by `syncDir` survive: `'lose'` (the
   * default) undoes them, `'keep'` keeps them.
   */
  readonly unsyncedDirOps?: 'lose' | 'keep';
}

/** Thrown by the call that a {@link SimDisk.scheduleCrash} crash interrupted. */
export class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
  /** The call that was interrupted, e.g. `append wal/000001.log`. */
  readonly operation: string;

  constructor(operation: string) {
    super(`simulated crash during ${operation}`);
    this.operation = operation;
  }
}

/** I/O counters of a {@link SimDisk}; reset with {@link SimDisk.resetStats}. */
export interface DiskStats {
  /** `FileHandle.sync` calls. */
  fsyncs: number;
  /** `FileSystem.syncDir` calls. */
  dirSyncs: number;
  /** Bytes passed to `write` and `append`. */
  bytesWritten: number;
  /** Bytes returned by `read`. */
  bytesRead: number;
  /** `read` calls. */
  reads: number;
  /** `write` and `append` calls. */
  writes: number;
  /** `open` calls. */
  opens: number;
  /** Virtual milliseconds spent in `sync` and `syncDir` (always 0 without `fsyncMs`). */
  fsyncMs: number;
}

type Op = { readonly kind: 'write'; readonly offset: number; readonly data: Uint8Array } | { readonly kind: 'truncate'; readonly size: number };

/** A growable byte buffer: a file's contents. */
class Contents {
  bytes: Uint8Array;
  size: number;

  constructor(bytes: Uint8Array = new Uint8Array(0), size = bytes.length) {
    this.bytes = bytes;
    this.size = size;
  }

  copy(): Contents {
    return new Contents(this.bytes.slice(0, this.size));
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.size);
  }

  apply(op: Op, limit = Infinity): void {
    if (op.kind === 'truncate') {
      this.resize(op.size);
      return;
    }
    const data = limit < op.data.length ? op.data.subarray(0, limit) : op.data;
    if (data.length === 0) return; // like write(2): writing nothing never grows a file
    const end = op.offset + data.length;
    if (end > this.size) this.resize(end);
    this.bytes.set(data, op.offset);
  }

  resize(size: number): void {
    if (size > this.bytes.length) {
      const grown = new Uint8Array(Math.max(size, this.bytes.length * 2, 64));
      grown.set(this.bytes.subarray(0, this.size));
      this.bytes = grown;
    } else if (size < this.size) {
      this.bytes.fill(0, size, this.size); // a later extension must read zeros, not old bytes
    }
    this.size = size;
  }
}

class Inode {
  current = new Contents();
  durable = new Contents();
  unsynced: Op[] = [];
}

/** An in-memory, crashable {@link FileSystem}; see the module comment for its exact rules. */
export class SimDisk implements FileSystem {
  /** I/O counters since construction or the last {@link SimDisk.resetStats}. */
  readonly stats: DiskStats = emptyStats();
  private readonly random: Random;
  // Directories (always durable) and the two states of the name → inode tree.
  private readonly dirs = new Set<string>(['']);
  private names = new Map<string, Inode>();
  private durableNames = new Map<string, Inode>();
  // Handles remember the epoch they were opened in; a crash starts a new epoch.
  private epoch = 0;
  private crashCountdown: { remaining: number; options: CrashOptions } | undefined;
  private readonly fsyncMs: number | ((random: Random) => number);
  private clock: DiskClock | undefined;

  /** `random` decides tear lengths, surviving sectors and fsync latencies at each crash or sync. */
  constructor(random: Random, options: SimDiskOptions = {}) {
    this.random = random;
    this.fsyncMs = options.fsyncMs ?? 0;
    this.clock = options.clock;
    if (typeof this.fsyncMs === 'number') checkLatency(this.fsyncMs);
  }

  /** Sets (or, with `undefined`, removes) the clock fsync time is spent on. */
  setClock(clock: DiskClock | undefined): void {
    this.clock = clock;
  }

  open(path: string, mode: OpenMode): FileHandle {
    const rel = normalizePath(path);
    this.stats.opens++;
    if (!this.dirs.has(parentOf(rel))) throw new FileNotFoundError(parentOf(rel));
    if (this.dirs.has(rel)) throw new UsageError(`open ${rel}: it is a directory`);
    let inode = this.names.get(rel);
    if (inode === undefined) {
      if (mode === 'read' || mode === 'readwrite') throw new FileNotFoundError(rel);
      this.mutating(`create ${rel}`);
      inode = new Inode();
      this.names.set(rel, inode);
    } else if (mode === 'truncate') {
      this.mutating(`truncate ${rel}`);
      pushOp(inode, { kind: 'truncate', size: 0 });
    }
    return new SimFileHandle(this, rel, inode, mode !== 'read', this.epoch);
  }

  exists(path: string): boolean {
    const rel = normalizePath(path);
    return this.dirs.has(rel) || this.names.has(rel);
  }

  list(path: string): string[] {
    const dir = normalizePath(path);
    if (!this.dirs.has(dir)) throw new FileNotFoundError(dir);
    const out: string[] = [];
    for (const p of this.names.keys()) if (parentOf(p) === dir) out.push(baseName(p));
    for (const d of this.dirs) if (d !== '' && parentOf(d) === dir) out.push(baseName(d));
    return out.sort();
  }

  mkdir(path: string): void {
    const rel = normalizePath(path);
    if (this.names.has(rel)) throw new UsageError(`mkdir ${rel}: a file has that name`);
    for (let d = rel; d !== '' && !this.dirs.has(d); d = parentOf(d)) this.dirs.add(d);
  }

  rename(from: string, to: string): void {
    const src = normalizePath(from);
    const dst = normalizePath(to);
    const inode = this.names.get(src);
    if (inode === undefined) throw new FileNotFoundError(src);
    if (!this.dirs.has(parentOf(dst))) throw new FileNotFoundError(parentOf(dst));
    if (this.dirs.has(dst)) throw new UsageError(`rename ${src} to ${dst}: the target is a directory`);
    this.mutating(`rename ${src} ${dst}`);
    this.names.delete(src);
    this.names.set(dst, inode);
  }

  remove(path: string): void {
    const rel = normalizePath(path);
    if (this.dirs.has(rel)) throw new UsageError(`remove ${rel}: it is a directory; only files can be removed`);
    if (!this.names.has(rel)) return;
    this.mutating(`remove ${rel}`);
    this.names.delete(rel);
  }

  syncDir(path: string): void {
    const dir = normalizePath(path);
    if (!this.dirs.has(dir)) throw new FileNotFoundError(dir);
    this.mutating(`syncDir ${dir}`);
    this.stats.dirSyncs++;
    this.spendFsyncTime();
    for (const p of [...this.durableNames.keys()]) if (parentOf(p) === dir) this.durableNames.delete(p);
    for (const [p, inode] of this.names) if (parentOf(p) === dir) this.durableNames.set(p, inode);
  }

  /**
   * Crashes the machine: every file and name is reset to what survives under `options` (see the
   * module comment), and every handle opened so far becomes unusable.
   */
  crash(options: CrashOptions = {}): void {
    const mode = options.unsyncedWrites ?? 'drop';
    const inodes = new Set([...this.names.values(), ...this.durableNames.values()]);
    for (const inode of inodes) {
      const survivor = mode === 'any-subset' ? this.anySubset(inode) : inode.durable.copy();
      const ops = mode === 'any-subset' ? [] : inode.unsynced;
      let keep = 0; // whole writes that survive
      let torn = false; // whether the write after them survives in part
      if (mode === 'keep') keep = ops.length;
      else if (mode === 'tear-last' && ops.length > 0) [keep, torn] = [ops.length - 1, true];
      else if (mode === 'random-prefix' && ops.length > 0) [keep, torn] = [this.random.int(0, ops.length), true];
      for (let i = 0; i < keep; i++) survivor.apply(ops[i]!);
      const cut = ops[keep];
      if (torn && cut !== undefined && cut.kind === 'write') {
        survivor.apply(cut, this.random.int(0, cut.data.length - 1));
      }
      inode.durable = survivor;
      inode.current = survivor.copy();
      inode.unsynced = [];
    }
    if ((options.unsyncedDirOps ?? 'lose') === 'lose') this.names = new Map(this.durableNames);
    else this.durableNames = new Map(this.names);
    this.epoch++;
    this.crashCountdown = undefined;
  }

  /**
   * Arms a crash: the `afterCalls`-th mutating call from now (1 = the next one) crashes the disk
   * with `options` instead of running, and throws a {@link SimulatedCrash}. Mutating calls are
   * write, append, truncate, sync, creating or truncating open, rename, remove and syncDir.
   */
  scheduleCrash(afterCalls: number, options: CrashOptions = {}): void {
    if (!Number.isInteger(afterCalls) || afterCalls < 1) {
      throw new UsageError(`scheduleCrash: afterCalls must be a positive integer, got ${afterCalls}`);
    }
    this.crashCountdown = { remaining: afterCalls, options };
  }

  /** Disarms a crash armed by {@link SimDisk.scheduleCrash} that has not fired yet. */
  cancelScheduledCrash(): void {
    this.crashCountdown = undefined;
  }

  /** Mutating calls still to go before an armed crash, or `undefined` when none is armed. */
  get callsUntilCrash(): number | undefined {
    return this.crashCountdown?.remaining;
  }

  /** Flips bits of the byte at `offset` of file `path` (`mask` says which; default all eight). */
  flipByte(path: string, offset: number, mask = 0xff): void {
    const inode = this.inodeOf(path);
    if (offset >= inode.current.size) {
      throw new UsageError(`flipByte ${path}: offset ${offset} is past the end (${inode.current.size} bytes)`);
    }
    inode.current.bytes[offset]! ^= mask;
    if (offset < inode.durable.size) inode.durable.bytes[offset]! ^= mask;
  }

  /** Overwrites stored bytes at `offset` of file `path` with `data`, durably and silently. */
  corrupt(path: string, offset: number, data: Uint8Array): void {
    const inode = this.inodeOf(path);
    checkRange('corrupt', path, offset, data.length);
    inode.current.apply({ kind: 'write', offset, data });
    inode.durable.apply({ kind: 'write', offset, data });
  }

  /** A copy of the current contents of file `path`, without counting it as a read. */
  contents(path: string): Uint8Array {
    return this.inodeOf(path).current.view().slice();
  }

  /** A copy of what file `path` would hold after a crash that drops every unsynced write. */
  durableContents(path: string): Uint8Array {
    return this.inodeOf(path).durable.view().slice();
  }

  /** Every file path, sorted (directories excluded). */
  files(): string[] {
    return [...this.names.keys()].sort();
  }

  /** Total size in bytes of the current contents of every file: for space amplification. */
  totalBytes(): number {
    let total = 0;
    for (const inode of new Set(this.names.values())) total += inode.current.size;
    return total;
  }

  /** Sets every counter of {@link SimDisk.stats} back to zero. */
  resetStats(): void {
    Object.assign(this.stats, emptyStats());
  }

  /** @internal Checks that a handle of `epoch` is still alive. */
  checkEpoch(epoch: number, path: string): void {
    if (epoch !== this.epoch) {
      throw new UsageError(`${path}: this handle was opened before a crash; reopen the file after a crash`);
    }
  }

  /**
   * @internal Counts down an armed crash; when it fires, `tear` (the write about to happen) may
   * land in part, then the disk crashes and the call throws.
   */
  mutating(operation: string, inode?: Inode, tear?: Op): void {
    const armed = this.crashCountdown;
    if (armed === undefined || --armed.remaining > 0) return;
    const mode = armed.options.unsyncedWrites ?? 'drop';
    // The interrupted write may reach the disk in part, as the last of its file's writes.
    const tears = mode === 'tear-last' || mode === 'random-prefix' || mode === 'any-subset';
    if (inode !== undefined && tear !== undefined && tears) pushOp(inode, tear);
    this.crash(armed.options);
    throw new SimulatedCrash(operation);
  }

  /** @internal An fsync takes its virtual time. */
  spendFsyncTime(): void {
    const ms = typeof this.fsyncMs === 'number' ? this.fsyncMs : checkLatency(this.fsyncMs(this.random));
    if (ms === 0) return;
    this.stats.fsyncMs += ms;
    this.clock?.wait(ms);
  }

  /**
   * What an `'any-subset'` crash leaves of `inode`: each sector its unsynced writes touched holds
   * the bytes of one of its versions, drawn independently; the size is one of the sizes the file
   * went through. Version 0 is the durable state; version i is the state after unsynced op i.
   */
  private anySubset(inode: Inode): Contents {
    const ops = inode.unsynced;
    if (ops.length === 0) return inode.durable.copy();
    // First pass, sizes only: which versions changed each sector, and each version's size.
    const touches = new Map<number, number[]>();
    const sizes = [inode.durable.size];
    let size = inode.durable.size;
    ops.forEach((op, i) => {
      // The bytes the op changes: a write's range, or what a shrinking truncate cuts off.
      const [from, to] = op.kind === 'write' ? [op.offset, op.offset + op.data.length] : [op.size, Math.max(op.size, size)];
      for (let sector = Math.floor(from / SECTOR_BYTES); from < to && sector * SECTOR_BYTES < to; sector++) {
        const versions = touches.get(sector);
        if (versions === undefined) touches.set(sector, [i + 1]);
        else versions.push(i + 1);
      }
      size = op.kind === 'truncate' ? op.size : op.data.length === 0 ? size : Math.max(size, to);
      sizes.push(size);
    });
    // The version each touched sector keeps, drawn in sector order so that a seed replays it.
    const keptAt = new Map<number, number[]>(); // version → the sectors that keep it
    for (const sector of [...touches.keys()].sort((x, y) => x - y)) {
      const versions = touches.get(sector)!;
      const k = this.random.int(0, versions.length);
      if (k === 0) continue; // the synced bytes, already in the survivor
      const version = versions[k - 1]!;
      const list = keptAt.get(version);
      if (list === undefined) keptAt.set(version, [sector]);
      else list.push(sector);
    }
    const finalSize = sizes[this.random.int(0, ops.length)]!;
    const capacity = Math.max(...sizes);
    const bytes = new Uint8Array(capacity);
    bytes.set(inode.durable.view());
    // Second pass: replay, and copy out each kept sector once its version is reached.
    const replay = inode.durable.copy();
    ops.forEach((op, i) => {
      replay.apply(op);
      for (const sector of keptAt.get(i + 1) ?? []) {
        const start = sector * SECTOR_BYTES;
        const end = Math.min(start + SECTOR_BYTES, capacity);
        bytes.fill(0, start, end);
        bytes.set(replay.bytes.subarray(start, Math.min(end, replay.bytes.length)), start);
      }
    });
    bytes.fill(0, finalSize); // past the end, a file reads as zeros if it grows again
    return new Contents(bytes, finalSize);
  }

  private inodeOf(path: string): Inode {
    const rel = normalizePath(path);
    const inode = this.names.get(rel);
    if (inode === undefined) throw new FileNotFoundError(rel);
    return inode;
  }
}

class SimFileHandle implements FileHandle {
  readonly path: string;
  private readonly disk: SimDisk;
  private readonly inode: Inode;
  private readonly writable: boolean;
  private readonly epoch: number;
  private closed = false;

  constructor(disk: SimDisk, path: string, inode: Inode, writable: boolean, epoch: number) {
    this.disk = disk;
    this.path = path;
    this.inode = inode;
    this.writable = writable;
    this.epoch = epoch;
  }

  size(): number {
    this.check();
    return this.inode.current.size;
  }

  read(offset: number, length: number): Uint8Array {
    this.check();
    checkRange('read', this.path, offset, length);
    const { current } = this.inode;
    const end = Math.min(offset + length, current.size);
    const out = offset >= end ? new Uint8Array(0) : current.bytes.slice(offset, end);
    this.disk.stats.reads++;
    this.disk.stats.bytesRead += out.length;
    return out;
  }

  write(offset: number, data: Uint8Array): void {
    this.checkWritable();
    checkRange('write', this.path, offset, data.length);
    this.writeAt(offset, data, 'write');
  }

  append(data: Uint8Array): number {
    this.checkWritable();
    const offset = this.inode.current.size;
    this.writeAt(offset, data, 'append');
    return offset;
  }

  truncate(size: number): void {
    this.checkWritable();
    checkRange('truncate', this.path, size, 0);
    const op: Op = { kind: 'truncate', size };
    this.disk.mutating(`truncate ${this.path}`);
    pushOp(this.inode, op);
  }

  sync(): void {
    this.check();
    this.disk.mutating(`sync ${this.path}`);
    this.disk.stats.fsyncs++;
    this.disk.spendFsyncTime();
    this.inode.durable = this.inode.current.copy();
    this.inode.unsynced = [];
  }

  close(): void {
    this.closed = true;
  }

  private writeAt(offset: number, data: Uint8Array, verb: string): void {
    const op: Op = { kind: 'write', offset, data: data.slice() };
    this.disk.mutating(`${verb} ${this.path}`, this.inode, op);
    pushOp(this.inode, op);
    this.disk.stats.writes++;
    this.disk.stats.bytesWritten += data.length;
  }

  private check(): void {
    if (this.closed) throw new UsageError(`${this.path}: the file handle is closed`);
    this.disk.checkEpoch(this.epoch, this.path);
  }

  private checkWritable(): void {
    this.check();
    if (!this.writable) throw new UsageError(`${this.path}: the file was opened read-only`);
  }
}

function pushOp(inode: Inode, op: Op): void {
  inode.current.apply(op);
  inode.unsynced.push(op);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function emptyStats(): DiskStats {
  return { fsyncs: 0, dirSyncs: 0, bytesWritten: 0, bytesRead: 0, reads: 0, writes: 0, opens: 0, fsyncMs: 0 };
}

function checkLatency(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new UsageError(`SimDisk: an fsync latency must be a finite number of milliseconds >= 0, got ${ms}`);
  return ms;
}
