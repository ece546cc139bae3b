/**
 * Helpers shared by the chapter 02 tests: byte shorthands, a fresh simulated disk, and the
 * model-based command test every engine must pass (fast-check commands against a `Map`).
 */

import fc from 'fast-check';
import { expect } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { SimDisk, type UnsyncedWrites } from '../../shared/fs/sim-disk.js';
import type { DurableKV, KeyRange } from '../../shared/kv.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';

export const b = utf8;
export const s = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : fromUtf8(bytes));

export function freshDisk(seed = 1): SimDisk {
  return new SimDisk(new Random(seed));
}

/**
 * Durably appends `count` zero bytes to file `path`, through the `FileSystem` interface: what a
 * crash leaves when a file's length grew but the blocks holding its new bytes never landed.
 */
export function appendZeros(disk: SimDisk, path: string, count: number): void {
  const file = disk.open(path, 'readwrite');
  file.write(file.size(), new Uint8Array(count));
  file.sync();
  file.close();
}

/**
 * Lengths of zero-filled tails worth trying after a log of `logBytes`: short of a frame header,
 * exactly one, one more, a few, a whole 4 KiB block, and up to a block boundary plus a block.
 */
export function zeroTailLengths(logBytes: number): number[] {
  return [1, 11, 12, 13, 100, 4096, 2 * 4096 - (logBytes % 4096)];
}

/** Opens an engine on a disk; called again to reopen after close or crash. */
export type Opener = (disk: SimDisk) => DurableKV;

type Model = Map<string, string>;
interface Real {
  disk: SimDisk;
  kv: DurableKV;
  readonly open: Opener;
  /** The notes section a failed read points to: the engine's own read path. */
  readonly section: string;
}

const keyArb = fc.constantFrom('a', 'b', 'c', 'ab', 'ba', 'k1', 'k2', 'k10', 'zz', '');
const valueArb = fc.string({ maxLength: 12 });

function sortedModel(m: Model, range: KeyRange): Array<[string, string]> {
  const start = range.start === undefined ? undefined : fromUtf8(range.start);
  const end = range.end === undefined ? undefined : fromUtf8(range.end);
  // Keys are ASCII, so string order equals bytewise order.
  let out = [...m.entries()]
    .filter(([k]) => (start === undefined || k >= start) && (end === undefined || k < end))
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  if (range.reverse) out = out.reverse();
  return out.slice(0, range.limit ?? Infinity);
}

class Put implements fc.Command<Model, Real> {
  constructor(readonly key: string, readonly value: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    r.kv.put(b(this.key), b(this.value));
    m.set(this.key, this.value);
  }
  toString = () => `put(${JSON.stringify(this.key)}, ${JSON.stringify(this.value)})`;
}

class Delete implements fc.Command<Model, Real> {
  constructor(readonly key: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    r.kv.delete(b(this.key));
    m.delete(this.key);
  }
  toString = () => `delete(${JSON.stringify(this.key)})`;
}

class Batch implements fc.Command<Model, Real> {
  constructor(readonly ops: ReadonlyArray<readonly [string, string | null]>) {}
  check = () => true;
  run(m: Model, r: Real): void {
    r.kv.batch(this.ops.map(([k, v]) => (v === null ? { type: 'delete', key: b(k) } : { type: 'put', key: b(k), value: b(v) })));
    for (const [k, v] of this.ops) {
      if (v === null) m.delete(k);
      else m.set(k, v);
    }
  }
  toString = () => `batch(${JSON.stringify(this.ops)})`;
}

class Get implements fc.Command<Model, Real> {
  constructor(readonly key: string) {}
  check = () => true;
  run(m: Model, r: Real): void {
    expect(s(r.kv.get(b(this.key))), because(`get(${JSON.stringify(this.key)}) returns the newest value put, or nothing after a delete`, r.section)).toBe(m.get(this.key));
  }
  toString = () => `get(${JSON.stringify(this.key)})`;
}

class Scan implements fc.Command<Model, Real> {
  constructor(
    readonly range: { start?: string; end?: string; reverse: boolean; limit?: number },
    readonly when = '',
  ) {}
  check = () => true;
  run(m: Model, r: Real): void {
    const range: KeyRange = {
      ...(this.range.start === undefined ? {} : { start: b(this.range.start) }),
      ...(this.range.end === undefined ? {} : { end: b(this.range.end) }),
      reverse: this.range.reverse,
      ...(this.range.limit === undefined ? {} : { limit: this.range.limit }),
    };
    const got = [...r.kv.scan(range)].map((e) => [fromUtf8(e.key), fromUtf8(e.value)]);
    expect(got, because(`a scan${this.when} yields exactly the live keys in range, in order, newest values`, r.section)).toEqual(sortedModel(m, range));
  }
  toString = () => `scan(${JSON.stringify(this.range)})${this.when}`;
}

class Reopen implements fc.Command<Model, Real> {
  check = () => true;
  run(_m: Model, r: Real): void {
    r.kv.close();
    r.kv = r.open(r.disk);
  }
  toString = () => 'close-and-reopen';
}

class Crash implements fc.Command<Model, Real> {
  constructor(readonly mode: UnsyncedWrites) {}
  check = () => true;
  run(_m: Model, r: Real): void {
    r.disk.crash({ unsyncedWrites: this.mode });
    r.kv = r.open(r.disk);
  }
  toString = () => `crash(${this.mode})-and-reopen`;
}

/**
 * Random sequences of puts, deletes, batches, gets, scans and reopens, checked against a `Map`.
 * With `crashes`, the engine must be in sync policy `'every-write'`: every acknowledged write
 * must survive a crash.
 */
export function checkAgainstMap(
  open: Opener,
  options: { section: string; crashes?: boolean; numRuns?: number; maxCommands?: number },
): void {
  const commands = [
    fc.tuple(keyArb, valueArb).map(([k, v]) => new Put(k, v)),
    fc.tuple(keyArb, valueArb).map(([k, v]) => new Put(k, v)),
    keyArb.map((k) => new Delete(k)),
    fc.array(fc.tuple(keyArb, fc.option(valueArb, { nil: null })), { minLength: 1, maxLength: 4 }).map((ops) => new Batch(ops)),
    keyArb.map((k) => new Get(k)),
    fc
      .record({ start: fc.option(keyArb, { nil: undefined }), end: fc.option(keyArb, { nil: undefined }), reverse: fc.boolean(), limit: fc.option(fc.nat(4), { nil: undefined }) })
      .map((r) => new Scan(r)),
    fc.constant(new Reopen()),
    ...(options.crashes ? [fc.constantFrom<UnsyncedWrites>('drop', 'tear-last', 'any-subset').map((mode) => new Crash(mode))] : []),
  ];
  checkProperty(
    fc.property(fc.commands(commands, { maxCommands: options.maxCommands ?? 40 }), (cmds) => {
      const disk = freshDisk();
      const real: Real = { disk, kv: open(disk), open, section: options.section };
      const model: Model = new Map();
      fc.modelRun(() => ({ model, real }), cmds);
      // A final full comparison, after one more reopen.
      new Reopen().run(model, real);
      new Scan({ reverse: false }, ' after a final close and reopen').run(model, real);
      real.kv.close();
    }),
    { numRuns: options.numRuns ?? 40 },
  );
}
