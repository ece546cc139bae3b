/**
 * The ordered key-value contract as one test suite, run on every store that implements
 * {@link OrderedKV} or {@link DurableKV}: the in-memory reference, chapter 02's engines, and the
 * stores of later chapters. `tests/shared/fs-contract.test.ts` does the same for the file system.
 *
 *     describeKVContract('1.3 Bitcask: the ordered key-value contract', {
 *       durable: true,
 *       open: (disk) => new Bitcask(disk, { dir: 'db', segmentBytes: 128 }),
 *     }, { sections: { ... } });
 *
 * It tests exactly what `shared/kv.ts` states, and nothing it leaves open (what a crash does to
 * writes after the last `sync`, whether a scan created but not yet iterated sees a later write,
 * what a negative limit means): a correct store never fails it. Each failure names the rule and the notes section
 * that teaches it.
 * @module
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes, showBytes } from '../bytes.js';
import { UsageError } from '../errors.js';
import { SimDisk, SimulatedCrash, type UnsyncedWrites } from '../fs/sim-disk.js';
import { prefixRange, type BatchOp, type DurableKV, type Entry, type KeyRange, type OrderedKV } from '../kv.js';
import { Random } from '../random.js';
import { because } from './explain.js';
import { checkProperty } from './property.js';

/** How the suite opens the store under test. */
export type KVFactory<S extends OrderedKV> =
  | {
      readonly durable: false;
      /** A new, empty store. */
      readonly open: () => S;
    }
  | {
      readonly durable: true;
      /**
       * Opens the store kept on `disk`: an empty store on a fresh disk, and on a disk the store
       * was closed or crashed on, what survived. Called again for every reopen.
       */
      readonly open: (disk: SimDisk) => S & DurableKV;
      /**
       * Optional: moves what the store holds in memory into its files (an LSM-tree's flush, a
       * Bitcask merge), so that the tests read both paths.
       */
      readonly settle?: (store: S & DurableKV) => void;
    };

/** The notes sections a failure points to, one per part of the contract. */
export interface ContractSections {
  /** `get` and `put`: copies in and out, empty values. */
  readonly write: string;
  /** `delete`. */
  readonly delete: string;
  /** `scan`: key order, half-open ranges, direction, limit, the write-during-scan rule. */
  readonly scan: string;
  /** `batch`. */
  readonly batch: string;
  /** Closing, reopening and crashing (durable stores only). */
  readonly recovery: string;
}

/** Options of {@link describeKVContract}. */
export interface KVContractOptions {
  readonly sections: ContractSections;
  /**
   * An operation the store refuses (a key over its size limit), the error it throws, and the
   * notes section that states the limit. Refused input is a `UsageError`, which changes nothing
   * stored: a batch holding it is refused whole.
   */
  readonly refused?: { readonly op: BatchOp; readonly error: new (...args: never[]) => Error; readonly section: string };
  /** Runs of the model-based property (default 25). */
  readonly numRuns?: number;
}

/** Every section the same: for stores whose whole contract is `shared/kv.ts`. */
export function sameSections(section: string): ContractSections {
  return { write: section, delete: section, scan: section, batch: section, recovery: section };
}

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);

/**
 * Keys in unsigned bytewise order, written out by hand: the empty key first, a prefix before
 * every longer key it starts, 0x80 after 0x7f (a signed comparison gets that wrong), 0x00 inside
 * a key (a C-string would cut it) and 0xfe and 0xff (invalid UTF-8: decoded as text they would
 * collide).
 */
const ORDERED: readonly Uint8Array[] = [
  bytes(),
  bytes(0x00),
  bytes(0x00, 0x00),
  bytes(0x00, 0xff),
  bytes(0x01),
  bytes(0x61),
  bytes(0x61, 0x00),
  bytes(0x61, 0x01),
  bytes(0x61, 0x62),
  bytes(0x61, 0xff),
  bytes(0x62),
  bytes(0x7f),
  bytes(0x80),
  bytes(0xfe),
  bytes(0xff),
  bytes(0xff, 0x00),
  bytes(0xff, 0xff),
];

/** The value stored under `ORDERED[i]` by the order tests: bytes 0x00 and 0xff included. */
const orderedValue = (i: number): Uint8Array => bytes(i, 0xff - i, 0x00);

/** Ranges over {@link ORDERED} and the indexes `[from, to)` of the keys each holds. */
const RANGES: ReadonlyArray<{ readonly range: KeyRange; readonly from: number; readonly to: number }> = [
  { range: {}, from: 0, to: 17 },
  { range: { start: bytes() }, from: 0, to: 17 },
  { range: { start: bytes(0x61), end: bytes(0x62) }, from: 5, to: 10 },
  { range: { start: bytes(0x00, 0x01), end: bytes(0x61, 0x01) }, from: 3, to: 7 },
  { range: { start: bytes(0x7f), end: bytes(0x80, 0x00) }, from: 11, to: 13 },
  { range: { start: bytes(0xfe) }, from: 13, to: 17 },
  { range: { end: bytes(0x00) }, from: 0, to: 1 },
  { range: { end: bytes() }, from: 0, to: 0 },
  { range: { start: bytes(0x61), end: bytes(0x61) }, from: 5, to: 5 },
  { range: { start: bytes(0x62), end: bytes(0x61) }, from: 0, to: 0 },
  { range: prefixRange(bytes(0x00)), from: 1, to: 4 },
  { range: prefixRange(bytes(0xff)), from: 14, to: 17 },
];

const CRASH_MODES: readonly UnsyncedWrites[] = ['drop', 'tear-last', 'random-prefix', 'keep'];

/** Entries as `key=value` text, with non-printable bytes as `\xNN`, for readable diffs. */
function shown(entries: Iterable<Entry>): string[] {
  const out: string[] = [];
  for (const e of entries) out.push(`${showBytes(e.key)}=${showBytes(e.value)}`);
  return out;
}

function showRange(range: KeyRange): string {
  const parts: string[] = [];
  if (range.start !== undefined) parts.push(`start "${showBytes(range.start)}"`);
  if (range.end !== undefined) parts.push(`end "${showBytes(range.end)}"`);
  if (range.reverse) parts.push('reverse');
  if (range.limit !== undefined) parts.push(`limit ${range.limit}`);
  return `{${parts.join(', ')}}`;
}

function showValue(value: Uint8Array | undefined): string {
  return value === undefined ? 'undefined' : `"${showBytes(value)}"`;
}

/** The plain model: a map of copies, sorted with `compareBytes` when scanned. */
class SortedModel {
  private readonly map = new Map<string, Entry>();

  put(key: Uint8Array, value: Uint8Array): void {
    this.map.set(showBytes(key, Infinity), { key: key.slice(), value: value.slice() });
  }

  delete(key: Uint8Array): void {
    this.map.delete(showBytes(key, Infinity));
  }

  apply(ops: readonly BatchOp[]): void {
    for (const op of ops) {
      if (op.type === 'put') this.put(op.key, op.value);
      else this.delete(op.key);
    }
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.map.get(showBytes(key, Infinity))?.value;
  }

  scan(range: KeyRange = {}): Entry[] {
    let out = [...this.map.values()]
      .filter((e) => (range.start === undefined || compareBytes(e.key, range.start) >= 0) && (range.end === undefined || compareBytes(e.key, range.end) < 0))
      .sort((x, y) => compareBytes(x.key, y.key));
    if (range.reverse) out = out.reverse();
    return range.limit === undefined ? out : out.slice(0, range.limit);
  }

  clone(): SortedModel {
    const copy = new SortedModel();
    for (const e of this.map.values()) copy.put(e.key, e.value);
    return copy;
  }
}

/** One store under test, on its own simulated disk when it is durable. */
class Subject<S extends OrderedKV> {
  kv: S;
  private readonly disk: SimDisk | undefined;

  constructor(private readonly factory: KVFactory<S>, seed = 1) {
    if (factory.durable) {
      this.disk = new SimDisk(new Random(seed));
      this.kv = factory.open(this.disk);
    } else {
      this.kv = factory.open();
    }
  }

  get durable(): boolean {
    return this.factory.durable;
  }

  get canSettle(): boolean {
    return this.factory.durable && this.factory.settle !== undefined;
  }

  /** The simulated disk of a durable store. */
  get simDisk(): SimDisk {
    if (this.disk === undefined) throw new UsageError('kv-contract: an in-memory store has no disk');
    return this.disk;
  }

  /** The store as a {@link DurableKV}. */
  get durableKv(): S & DurableKV {
    if (!this.factory.durable) throw new UsageError('kv-contract: the store is not durable');
    return this.kv as S & DurableKV;
  }

  settle(): void {
    if (this.factory.durable) this.factory.settle?.(this.durableKv);
  }

  /** Closes the store and opens it again on the same disk. */
  reopen(): void {
    this.durableKv.close();
    this.recover();
  }

  /** Opens the store again on its disk, as after a crash: the old instance is dropped unclosed. */
  recover(): void {
    if (!this.factory.durable) throw new UsageError('kv-contract: an in-memory store cannot be reopened');
    this.kv = this.factory.open(this.simDisk);
  }

  /** Syncs, crashes the disk and recovers. */
  crashAfterSync(unsyncedWrites: UnsyncedWrites, unsyncedDirOps: 'lose' | 'keep' = 'lose'): void {
    this.durableKv.sync();
    this.simDisk.crash({ unsyncedWrites, unsyncedDirOps });
    this.recover();
  }
}

/**
 * Runs `check` on the store as it is, then, for a durable store, after its `settle` hook and
 * after a close and reopen: the rules hold whichever structure answers.
 */
function eachView<S extends OrderedKV>(subject: Subject<S>, check: (kv: OrderedKV, when: string) => void): void {
  check(subject.kv, '');
  if (!subject.durable) return;
  if (subject.canSettle) {
    subject.settle();
    check(subject.kv, ' (after the store moved its data to its files)');
  }
  subject.reopen();
  check(subject.kv, ' (after a close and reopen)');
}

/** Fills a store with {@link ORDERED}, in a scrambled order, through puts and a batch. */
function fillOrdered(kv: OrderedKV): void {
  const order = ORDERED.map((_, i) => (i * 7) % ORDERED.length);
  const viaBatch = order.slice(0, 6);
  kv.batch(viaBatch.map((i) => ({ type: 'put', key: ORDERED[i]!, value: orderedValue(i) })));
  for (const i of order.slice(6)) kv.put(ORDERED[i]!, orderedValue(i));
}

function expectedOrdered(from: number, to: number, range: KeyRange): string[] {
  const entries = ORDERED.slice(from, to).map((key, j) => ({ key, value: orderedValue(from + j) }));
  if (range.reverse) entries.reverse();
  return shown(range.limit === undefined ? entries : entries.slice(0, range.limit));
}

/**
 * Declares the contract's tests for one store, in a `describe` block called `name`. Name it so
 * a learner's progress report places it: chapter 02 uses the number of the store's last exercise.
 */
export function describeKVContract<S extends OrderedKV>(name: string, factory: KVFactory<S>, options: KVContractOptions): void {
  const sec = options.sections;
  const open = (seed = 1): Subject<S> => new Subject(factory, seed);

  describe(name, () => {
    it('keys order by unsigned bytewise comparison, 0x00 and 0xff bytes and prefixes included, in both directions', () => {
      const subject = open();
      fillOrdered(subject.kv);
      eachView(subject, (kv, when) => {
        const all = ORDERED.map((key, i) => ({ key, value: orderedValue(i) }));
        expect(
          shown(kv.scan()),
          because(`a full scan yields every key in unsigned bytewise order: the empty key first, a prefix before the keys it starts, 0x80 after 0x7f${when} (shared/kv.ts)`, sec.scan),
        ).toEqual(shown(all));
        expect(shown(kv.scan({ reverse: true })), because(`a reverse scan yields the same keys in descending order${when} (shared/kv.ts)`, sec.scan)).toEqual(shown(all.reverse()));
        ORDERED.forEach((key, i) => {
          expect(
            showValue(kv.get(key)),
            because(`get("${showBytes(key)}") returns its own value: keys that differ in any byte, even 0x00 or an invalid UTF-8 byte, are different keys${when}`, sec.write),
          ).toBe(showValue(orderedValue(i)));
        });
      });
    });

    it('ranges are half-open: start inclusive, end exclusive, either open; empty and inverted ranges yield nothing', () => {
      const subject = open();
      fillOrdered(subject.kv);
      eachView(subject, (kv, when) => {
        for (const { range, from, to } of RANGES) {
          for (const shape of [{}, { reverse: true }, { limit: 2 }, { reverse: true, limit: 2 }, { limit: 0 }, { limit: 100 }]) {
            const r: KeyRange = { ...range, ...shape };
            expect(
              shown(kv.scan(r)),
              because(
                `scan(${showRange(r)}) yields the keys k with start <= k < end, descending if reverse, and stops after limit entries${when} (shared/kv.ts, KeyRange)`,
                sec.scan,
              ),
            ).toEqual(expectedOrdered(from, to, r));
          }
        }
      });
    });

    it('bytes are copied in and out: changing an array after put, batch, get or scan never changes the store', () => {
      const subject = open();
      const kv = subject.kv;
      const k1 = bytes(0x6b, 0x31);
      const v1 = bytes(0x76, 0x31);
      kv.put(k1, v1);
      k1.fill(0x21);
      v1.fill(0x21);
      const k2 = bytes(0x6b, 0x32);
      const v2 = bytes(0x76, 0x32);
      kv.batch([{ type: 'put', key: k2, value: v2 }]);
      k2.fill(0x21);
      v2.fill(0x21);
      expect(kv.get(bytes(0x21, 0x21)), because('put and batch store copies: changing the caller\'s key afterwards stores nothing under the new bytes (shared/kv.ts)', sec.write)).toBeUndefined();
      const got = kv.get(bytes(0x6b, 0x31));
      expect(showValue(got), because('put keeps a copy of the value, not the caller\'s array (shared/kv.ts)', sec.write)).toBe('"v1"');
      got!.fill(0x21);
      expect(showValue(kv.get(bytes(0x6b, 0x31))), because('get returns a copy: changing it does not change the store (shared/kv.ts)', sec.write)).toBe('"v1"');
      // A larger buffer with the key and value in the middle: only the view's bytes count.
      const buffer = bytes(0x78, 0x6b, 0x33, 0x76, 0x33, 0x78);
      kv.put(buffer.subarray(1, 3), buffer.subarray(3, 5));
      buffer.fill(0x21);
      eachView(subject, (store, when) => {
        const seen: string[] = [];
        for (const e of store.scan()) {
          seen.push(`${showBytes(e.key)}=${showBytes(e.value)}`);
          e.key.fill(0x21); // the scan must not depend on the arrays it handed out
          e.value.fill(0x21);
        }
        expect(seen, because(`a scan yields copies: changing each key and value as it arrives changes neither the store nor the rest of the scan${when} (shared/kv.ts)`, sec.scan)).toEqual([
          'k1=v1',
          'k2=v2',
          'k3=v3',
        ]);
        expect(shown(store.scan()), because(`keys and values given as views into a larger array are stored as just the view's bytes, and scans hand out copies${when}`, sec.write)).toEqual([
          'k1=v1',
          'k2=v2',
          'k3=v3',
        ]);
      });
    });

    it('empty values are values: get returns an empty array, not undefined, and scans yield them', () => {
      const subject = open();
      const kv = subject.kv;
      kv.put(bytes(0x61), bytes());
      kv.put(bytes(0x62), bytes(0x01));
      kv.put(bytes(0x62), bytes()); // a value replaced by an empty one
      kv.put(bytes(0x63), bytes());
      kv.put(bytes(0x63), bytes(0x02)); // and the other way round
      kv.batch([{ type: 'put', key: bytes(), value: bytes() }]); // the empty key, too
      eachView(subject, (store, when) => {
        for (const k of [bytes(), bytes(0x61), bytes(0x62)]) {
          expect(showValue(store.get(k)), because(`a key put with an empty value is present, holding zero bytes, not deleted${when}`, sec.write)).toBe('""');
        }
        expect(shown(store.scan()), because(`scans yield keys whose value is empty${when}`, sec.scan)).toEqual(['=', 'a=', 'b=', 'c=\\x02']);
      });
    });

    it('deleting a key removes it; deleting an absent key, or a key twice, is not an error and changes nothing', () => {
      const subject = open();
      const kv = subject.kv;
      kv.delete(bytes(0x61)); // on an empty store
      kv.put(bytes(0x61), bytes(0x01));
      kv.put(bytes(0x62), bytes(0x02));
      kv.delete(bytes(0x62));
      kv.delete(bytes(0x62)); // twice
      kv.delete(bytes(0x61, 0x00)); // absent, next to a present key
      kv.delete(bytes());
      kv.batch([{ type: 'delete', key: bytes(0x7a) }]);
      eachView(subject, (store, when) => {
        expect(store.get(bytes(0x62)), because(`a deleted key is gone${when}`, sec.delete)).toBeUndefined();
        expect(shown(store.scan()), because(`deleting absent keys is not an error and leaves every other key alone${when} (shared/kv.ts, delete)`, sec.delete)).toEqual(['a=\\x01']);
        store.delete(bytes(0x62)); // and again, on the reopened store
      });
    });

    it('a batch applies every operation, in order: within a batch the later operation on a key wins', () => {
      const subject = open();
      const kv = subject.kv;
      kv.put(bytes(0x6f), bytes(0x00));
      kv.batch([]); // an empty batch changes nothing
      kv.batch([
        { type: 'put', key: bytes(0x61), value: bytes(0x01) },
        { type: 'put', key: bytes(0x61), value: bytes(0x02) },
        { type: 'put', key: bytes(0x62), value: bytes(0x01) },
        { type: 'delete', key: bytes(0x62) },
        { type: 'delete', key: bytes(0x63) },
        { type: 'put', key: bytes(0x63), value: bytes(0x03) },
        { type: 'delete', key: bytes(0x6f) },
        { type: 'put', key: bytes(0x6f), value: bytes(0x04) },
        { type: 'delete', key: bytes(0x6f) },
      ]);
      eachView(subject, (store, when) => {
        expect(shown(store.scan()), because(`every op of a batch applies, and a later op on the same key wins over an earlier one${when} (shared/kv.ts)`, sec.batch)).toEqual([
          'a=\\x02',
          'c=\\x03',
        ]);
      });
    });

    if (options.refused !== undefined) {
      const refused = options.refused;
      it('an operation the store refuses is a usage error that changes nothing: a batch holding it is refused whole', () => {
        const subject = open();
        const kv = subject.kv;
        kv.put(bytes(0x61), bytes(0x01));
        expect(() => {
          if (refused.op.type === 'put') kv.put(refused.op.key, refused.op.value);
          else kv.delete(refused.op.key);
        }, because('the store refuses this input with its typed error', refused.section)).toThrow(refused.error);
        expect(
          () =>
            kv.batch([
              { type: 'put', key: bytes(0x62), value: bytes(0x02) },
              { type: 'delete', key: bytes(0x61) },
              refused.op,
              { type: 'put', key: bytes(0x63), value: bytes(0x03) },
            ]),
          because('a batch with a refused op throws the same error', refused.section),
        ).toThrow(refused.error);
        eachView(subject, (store, when) => {
          expect(
            shown(store.scan()),
            because(`a refused batch applies none of its ops, not even those before the bad one: a batch is all or nothing${when} (shared/kv.ts; shared/errors.ts, UsageError)`, sec.batch),
          ).toEqual(['a=\\x01']);
        });
      });
    }

    it('writing during a scan is a usage error: the write is refused, or the scan throws at its next step', () => {
      const writes: ReadonlyArray<[string, (kv: OrderedKV) => void]> = [
        ['a put of a new key', (kv) => kv.put(bytes(0x63, 0x00), bytes(0x09))],
        ['a put over a key not scanned yet', (kv) => kv.put(bytes(0x64), bytes(0x09))],
        ['a delete of a key not scanned yet', (kv) => kv.delete(bytes(0x65))],
        ['a batch', (kv) => kv.batch([{ type: 'put', key: bytes(0x7a), value: bytes(0x09) }])],
      ];
      for (const [what, write] of writes) {
        const subject = open();
        for (const k of [0x61, 0x62, 0x63, 0x64, 0x65]) subject.kv.put(bytes(k), bytes(k));
        const scan = subject.kv.scan();
        expect(scan.next().done).toBe(false);
        let refused = false;
        try {
          write(subject.kv);
        } catch (error) {
          if (!(error instanceof UsageError)) throw error;
          refused = true;
        }
        if (refused) continue;
        expect(
          () => scan.next(),
          because(`${what} while a scan is being iterated invalidates the scan: its next step throws a UsageError rather than skip or repeat entries (shared/kv.ts: collect the scan first)`, sec.scan),
        ).toThrow(UsageError);
      }
    });

    it('reads during a scan are fine, and so are writes once a scan has finished or been left with break', () => {
      const subject = open();
      const kv = subject.kv;
      for (const k of [0x61, 0x62, 0x63]) kv.put(bytes(k), bytes(k));
      const seen: string[] = [];
      for (const e of kv.scan()) {
        seen.push(showBytes(e.key));
        expect(showValue(kv.get(e.key)), because('a get during a scan reads the store as usual', sec.scan)).toBe(showValue(e.value));
        expect(shown(kv.scan({ start: e.key, limit: 1 })).length, because('a scan inside a scan is a read, not a modification', sec.scan)).toBe(1);
      }
      expect(seen, because('reads do not disturb a scan in progress (shared/kv.ts: only modifying the store is an error)', sec.scan)).toEqual(['a', 'b', 'c']);
      for (const e of [...kv.scan()]) kv.put(e.key, bytes(0x00)); // collect first, then write: the rule's own advice
      for (const e of kv.scan()) {
        if (e.key[0] === 0x61) break;
      }
      kv.put(bytes(0x64), bytes(0x00)); // after leaving a scan with break
      expect(shown(kv.scan()), because('a scan that has finished, or was left with break, is no longer being iterated: writes after it are fine', sec.scan)).toEqual([
        'a=\\x00',
        'b=\\x00',
        'c=\\x00',
        'd=\\x00',
      ]);
    });

    if (factory.durable) {
      it('reopening keeps everything: a few hundred keys, overwritten and deleted, scan the same before and after', () => {
        const subject = open();
        const model = new SortedModel();
        const random = new Random(5);
        const write = (round: number) => {
          for (let i = 0; i < 150; i++) {
            const key = bytes(random.int(0, 3), random.int(0, 255), random.int(0, 255));
            const value = random.bytes(random.int(0, 40));
            if (random.chance(0.25)) {
              subject.kv.delete(key);
              model.delete(key);
            } else if (random.chance(0.2)) {
              const ops: BatchOp[] = [{ type: 'put', key, value }, { type: 'put', key: bytes(0xff, round, i), value: bytes(round) }];
              subject.kv.batch(ops);
              model.apply(ops);
            } else {
              subject.kv.put(key, value);
              model.put(key, value);
            }
          }
        };
        const check = (when: string) => {
          expect(shown(subject.kv.scan()), because(`every live key, with its newest value, in order${when}`, sec.recovery)).toEqual(shown(model.scan()));
          for (const range of [{ start: bytes(0x01) }, { start: bytes(0x00, 0x80), end: bytes(0x02, 0x40), reverse: true }, { end: bytes(0x03), reverse: true, limit: 20 }]) {
            expect(shown(subject.kv.scan(range)), because(`scan(${showRange(range)}) matches the model${when}`, sec.recovery)).toEqual(shown(model.scan(range)));
          }
        };
        write(0);
        check('');
        subject.reopen();
        check(' after a close and reopen');
        write(1); // a reopened store takes new writes
        subject.settle();
        subject.reopen();
        check(' after writing to the reopened store and reopening it again');
        subject.durableKv.close();
      });

      it('a closed store refuses every call with a UsageError; closing it again does nothing', () => {
        const subject = open();
        const kv = subject.durableKv;
        kv.put(bytes(0x61), bytes(0x01));
        kv.close();
        expect(() => kv.close(), because('close on a closed store does nothing (shared/kv.ts, DurableKV.close)', sec.recovery)).not.toThrow();
        const calls: ReadonlyArray<[string, () => unknown]> = [
          ['get', () => kv.get(bytes(0x61))],
          ['put', () => kv.put(bytes(0x62), bytes(0x02))],
          ['delete', () => kv.delete(bytes(0x61))],
          ['batch', () => kv.batch([{ type: 'put', key: bytes(0x62), value: bytes(0x02) }])],
          ['scan', () => [...kv.scan()]],
          ['sync', () => kv.sync()],
        ];
        for (const [call, run] of calls) {
          expect(run, because(`${call} after close throws a UsageError (shared/kv.ts, DurableKV.close)`, sec.recovery)).toThrow(UsageError);
        }
        subject.recover();
        expect(shown(subject.kv.scan()), because('the refused calls changed nothing on disk', sec.recovery)).toEqual(['a=\\x01']);
      });

      it('a crash after sync keeps every synced write, whatever the crash does to unsynced bytes and names', () => {
        const subject = open();
        const model = new SortedModel();
        const random = new Random(9);
        subject.crashAfterSync('drop'); // a store that has never been written to
        expect(shown(subject.kv.scan()), because('a new store, synced and crashed, reopens empty', sec.recovery)).toEqual([]);
        for (const mode of CRASH_MODES) {
          for (const dirOps of ['lose', 'keep'] as const) {
            for (let i = 0; i < 12; i++) {
              const key = bytes(0x6b, random.int(0, 15));
              const value = random.bytes(random.int(0, 12));
              if (random.chance(0.2)) {
                subject.kv.delete(key);
                model.delete(key);
              } else if (random.chance(0.2)) {
                const ops: BatchOp[] = [{ type: 'put', key, value }, { type: 'delete', key: bytes(0x6b, random.int(0, 15)) }];
                subject.kv.batch(ops);
                model.apply(ops);
              } else {
                subject.kv.put(key, value);
                model.put(key, value);
              }
            }
            subject.crashAfterSync(mode, dirOps);
            expect(
              shown(subject.kv.scan()),
              because(`after sync() returns, a crash (unsynced writes: ${mode}, unsynced names: ${dirOps}) loses nothing: sync makes every acknowledged write durable (shared/kv.ts, DurableKV.sync)`, sec.recovery),
            ).toEqual(shown(model.scan()));
          }
        }
      });

      it('a crash keeps every synced write, of later writes invents nothing, and keeps each batch whole or not at all', () => {
        for (const [n, mode] of CRASH_MODES.entries()) {
          const subject = open(n + 1);
          const kv = subject.durableKv;
          const synced = new SortedModel();
          for (let i = 0; i < 10; i++) {
            kv.put(bytes(0x73, i), bytes(i));
            synced.put(bytes(0x73, i), bytes(i));
          }
          kv.sync();
          // Later writes touch other keys only, each key once, so what may survive is clear.
          for (let i = 0; i < 10; i++) kv.put(bytes(0x75, i), bytes(0x80 + i));
          const written: Entry[] = Array.from({ length: 6 }, (_, i) => ({ key: bytes(0x62, i), value: bytes(0x40 + i, 0x00, 0xff) }));
          kv.batch(written.map((e) => ({ type: 'put', ...e })));
          subject.simDisk.crash({ unsyncedWrites: mode });
          subject.recover();
          const after = subject.kv;
          expect(
            shown(after.scan({ start: bytes(0x73), end: bytes(0x74) })),
            because(`a crash (${mode}) never loses a write that a returned sync() made durable (shared/kv.ts, DurableKV.sync)`, sec.recovery),
          ).toEqual(shown(synced.scan()));
          for (const e of after.scan({ start: bytes(0x75), end: bytes(0x76) })) {
            expect(showBytes(e.value), because(`an unsynced write may be lost in a crash (${mode}), but what survives is the value written, never other bytes`, sec.recovery)).toBe(
              showBytes(bytes(0x80 + e.key[1]!)),
            );
          }
          const batchKeys = shown(after.scan({ start: bytes(0x62), end: bytes(0x63) }));
          expect(
            [0, written.length],
            because(`after a crash (${mode}) either every operation of a batch is visible or none is; found ${batchKeys.length} of ${written.length} (shared/kv.ts)`, sec.batch),
          ).toContain(batchKeys.length);
          if (batchKeys.length > 0) expect(batchKeys, because('a batch that survives, survives with its values', sec.batch)).toEqual(shown(written));
        }
      });

      it('a crash at any step of a batch and the sync after it keeps the whole batch or none of it', () => {
        const base: BatchOp[] = [0, 1, 2, 3, 4, 5].map((i) => ({ type: 'put', key: bytes(0x6b, i), value: bytes(i, i) }));
        const ops: BatchOp[] = [
          { type: 'put', key: bytes(0x6e, 0x01), value: bytes(0x01) },
          { type: 'put', key: bytes(0x6b, 0x00), value: bytes(0xff) },
          { type: 'delete', key: bytes(0x6b, 0x01) },
          { type: 'put', key: bytes(0x6e, 0x02), value: bytes() },
          { type: 'delete', key: bytes(0x6e, 0x03) },
          { type: 'put', key: bytes(0x6e, 0x01), value: bytes(0x02) },
          ...Array.from({ length: 8 }, (_, i): BatchOp => ({ type: 'put', key: bytes(0x70, i), value: new Uint8Array(24).fill(i) })),
        ];
        const before = new SortedModel();
        before.apply(base);
        const after = before.clone();
        after.apply(ops);
        const states = [shown(before.scan()), shown(after.scan())];
        let finished = false;
        for (let call = 1; call <= 1000 && !finished; call++) {
          const subject = open(call);
          const kv = subject.durableKv;
          for (const op of base) kv.batch([op]);
          kv.sync();
          subject.simDisk.scheduleCrash(call, { unsyncedWrites: CRASH_MODES[call % CRASH_MODES.length]! });
          finished = true;
          try {
            kv.batch(ops);
            kv.sync();
          } catch (error) {
            if (!(error instanceof SimulatedCrash)) throw error;
            finished = false;
          }
          subject.simDisk.cancelScheduledCrash();
          if (finished) subject.simDisk.crash(); // sync returned: the batch must be durable
          subject.recover();
          const got = shown(subject.kv.scan());
          if (finished) {
            expect(got, because('once sync returns after a batch, a crash keeps all of the batch', sec.recovery)).toEqual(states[1]);
          } else {
            expect(
              states,
              because(`a crash at mutating call ${call} of batch() and sync() leaves the store as before the batch or as after all of it, never in between (shared/kv.ts: a batch is atomic)`, sec.batch),
            ).toContainEqual(got);
          }
        }
        expect(finished, because('the batch and its sync finish once the crash is scheduled past their last call', sec.batch)).toBe(true);
      });
    }

    it(`matches a sorted model under random puts, deletes, batches, gets and scans${factory.durable ? ', reopens and crashes after sync' : ''} (property)`, () => {
      const keyArb = fc.constantFrom(...ORDERED);
      const valueArb = fc.uint8Array({ maxLength: 6 });
      const opArb: fc.Arbitrary<BatchOp> = fc.oneof(
        fc.record({ type: fc.constant<'put'>('put'), key: keyArb, value: valueArb }),
        fc.record({ type: fc.constant<'delete'>('delete'), key: keyArb }),
      );
      type Command =
        | { readonly kind: 'write'; readonly op: BatchOp }
        | { readonly kind: 'batch'; readonly ops: BatchOp[] }
        | { readonly kind: 'get'; readonly key: Uint8Array }
        | { readonly kind: 'scan'; readonly range: KeyRange }
        | { readonly kind: 'reopen' }
        | { readonly kind: 'settle' }
        | { readonly kind: 'crash'; readonly mode: UnsyncedWrites };
      const bound = fc.option(keyArb, { nil: undefined });
      const durableCommands: Array<fc.WeightedArbitrary<Command>> = factory.durable
        ? [
            { weight: 1, arbitrary: fc.constant<Command>({ kind: 'reopen' }) },
            { weight: 1, arbitrary: fc.constantFrom(...CRASH_MODES).map((mode): Command => ({ kind: 'crash', mode })) },
            ...(factory.settle === undefined ? [] : [{ weight: 1, arbitrary: fc.constant<Command>({ kind: 'settle' }) }]),
          ]
        : [];
      const commandArb: fc.Arbitrary<Command> = fc.oneof(
        { weight: 8, arbitrary: opArb.map((op): Command => ({ kind: 'write', op })) },
        { weight: 2, arbitrary: fc.array(opArb, { minLength: 1, maxLength: 5 }).map((ops): Command => ({ kind: 'batch', ops })) },
        { weight: 2, arbitrary: keyArb.map((key): Command => ({ kind: 'get', key })) },
        {
          weight: 2,
          arbitrary: fc
            .record({ start: bound, end: bound, reverse: fc.boolean(), limit: fc.option(fc.nat(5), { nil: undefined }) })
            .map((range): Command => ({ kind: 'scan', range })),
        },
        ...durableCommands,
      );
      checkProperty(
        fc.property(fc.array(commandArb, { minLength: 10, maxLength: 50, size: 'max' }), fc.integer({ min: 1, max: 1000 }), (commands, seed) => {
          const subject = open(seed);
          const model = new SortedModel();
          for (const command of commands) {
            switch (command.kind) {
              case 'write':
                if (command.op.type === 'put') subject.kv.put(command.op.key, command.op.value);
                else subject.kv.delete(command.op.key);
                model.apply([command.op]);
                break;
              case 'batch':
                subject.kv.batch(command.ops);
                model.apply(command.ops);
                break;
              case 'get':
                expect(
                  showValue(subject.kv.get(command.key)),
                  because(`get("${showBytes(command.key)}") returns the newest value put, or undefined after a delete`, sec.write),
                ).toBe(showValue(model.get(command.key)));
                break;
              case 'scan':
                expect(shown(subject.kv.scan(command.range)), because(`scan(${showRange(command.range)}) yields exactly the model's live keys in that range, in order`, sec.scan)).toEqual(
                  shown(model.scan(command.range)),
                );
                break;
              case 'reopen':
                subject.reopen();
                break;
              case 'settle':
                subject.settle();
                break;
              case 'crash':
                subject.crashAfterSync(command.mode);
                expect(shown(subject.kv.scan()), because(`a crash (${command.mode}) right after sync() loses nothing`, sec.recovery)).toEqual(shown(model.scan()));
                break;
            }
          }
          expect(shown(subject.kv.scan()), because('at the end the store holds exactly what the model holds', sec.write)).toEqual(shown(model.scan()));
          if (subject.durable) {
            subject.reopen();
            expect(shown(subject.kv.scan()), because('and after a final close and reopen too', sec.recovery)).toEqual(shown(model.scan()));
            subject.durableKv.close();
          }
        }),
        { numRuns: options.numRuns ?? 25 },
      );
    });
  });
}
