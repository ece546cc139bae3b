/**
 * Exercise 5.1: a key-range partitioned store. One {@link OrderedKV} per partition, a
 * `KeyRangeMap` saying which partition owns which keys, automatic splits of partitions
 * that grow past a threshold and merges of neighbours that shrink, and scans that cross
 * partitions in key order. The whole thing is itself an `OrderedKV`.
 * @module
 */

import { compareBytes } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import type { BatchOp, Entry, KeyRange, OrderedKV } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { KeyRangeMap, type PartitionRange } from './key-range-map.js';

/** What the store says about one partition. */
export interface PartitionInfo extends PartitionRange {
  /** How many keys the partition holds. */
  readonly keys: number;
}

/** How the store partitions its keys. */
export interface RangePartitionOptions {
  /** A partition holding more keys than this splits in two at its median key. At least 2. */
  readonly splitAboveKeys: number;
  /**
   * Two adjacent partitions holding this many keys or fewer between them merge into one
   * (checked after deletes). Default `Math.floor(splitAboveKeys / 4)`; at most `splitAboveKeys`.
   */
  readonly mergeAtMostKeys?: number;
  /** Makes the store of a new partition. Default: a `MemoryKV`. */
  readonly newStore?: () => OrderedKV;
  /** The partitions to start with. Default: one partition `p0` owning every key. */
  readonly ranges?: readonly PartitionRange[];
}

interface Partition {
  readonly id: string;
  readonly start: Uint8Array;
  end: Uint8Array | undefined;
  readonly store: OrderedKV;
  keys: number;
}

/** The later of two lower bounds; the earlier of two upper bounds (`undefined` is +∞). */
function maxStart(a: Uint8Array, b: Uint8Array | undefined): Uint8Array {
  return b !== undefined && compareBytes(b, a) > 0 ? b : a;
}
function minEnd(a: Uint8Array | undefined, b: Uint8Array | undefined): Uint8Array | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareBytes(a, b) <= 0 ? a : b;
}

/** A store whose keys are spread over partitions by key range. */
export class RangePartitionedKV implements OrderedKV {
  private readonly splitAbove: number;
  private readonly mergeAtMost: number;
  private readonly newStore: () => OrderedKV;
  private readonly parts = new Map<string, Partition>();
  private map: KeyRangeMap;
  private nextId = 0;
  // Bumped by every write, split and merge; a scan that sees it change fails.
  private version = 0;

  constructor(options: RangePartitionOptions) {
    if (!Number.isInteger(options.splitAboveKeys) || options.splitAboveKeys < 2) {
      throw new UsageError(`RangePartitionedKV: splitAboveKeys must be an integer >= 2, got ${options.splitAboveKeys}`);
    }
    this.splitAbove = options.splitAboveKeys;
    this.mergeAtMost = options.mergeAtMostKeys ?? Math.floor(options.splitAboveKeys / 4);
    if (this.mergeAtMost > this.splitAbove) {
      throw new UsageError(`RangePartitionedKV: mergeAtMostKeys (${this.mergeAtMost}) exceeds splitAboveKeys (${this.splitAbove})`);
    }
    this.newStore = options.newStore ?? (() => new MemoryKV());
    const ranges = options.ranges ?? [{ id: this.freshId(), start: new Uint8Array(0), end: undefined }];
    this.map = new KeyRangeMap(ranges);
    for (const r of this.map.ranges) {
      this.parts.set(r.id, { id: r.id, start: r.start, end: r.end, store: this.newStore(), keys: 0 });
    }
  }

  /** Every partition, in key order. */
  partitions(): PartitionInfo[] {
    return this.map.ranges.map((r) => this.info(this.parts.get(r.id)!));
  }

  /** The partition that owns `key` (`KeyOutsideRangesError` if none does). */
  partitionOf(key: Uint8Array): PartitionInfo {
    return this.info(this.partitionFor(key));
  }

  /** The partitions a scan of `range` reads, in key order: its cost in partitions touched. */
  partitionsFor(range: KeyRange = {}): PartitionInfo[] {
    return this.map.overlapping(range).map((r) => this.info(this.parts.get(r.id)!));
  }

  get(key: Uint8Array): Uint8Array | undefined {
    return this.partitionFor(key).store.get(key);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.batch([{ type: 'put', key, value }]);
  }

  delete(key: Uint8Array): void {
    this.batch([{ type: 'delete', key }]);
  }

  batch(ops: readonly BatchOp[]): void {
    // Route every key before changing anything: a key outside every range fails the whole batch.
    const byPartition = new Map<Partition, BatchOp[]>();
    for (const op of ops) {
      const p = this.partitionFor(op.key);
      const list = byPartition.get(p) ?? [];
      list.push(op);
      byPartition.set(p, list);
    }
    this.version++;
    for (const [p, list] of byPartition) {
      p.keys += this.countDelta(p, list);
      p.store.batch(list);
    }
    for (const p of byPartition.keys()) {
      if (!this.parts.has(p.id)) continue; // merged away by an earlier partition of this batch
      if (p.keys > this.splitAbove) this.split(p);
      else this.mergeAround(p);
    }
  }

  *scan(range: KeyRange = {}): IterableIterator<Entry> {
    const ranges = this.map.overlapping(range);
    if (range.reverse) ranges.reverse();
    const version = this.version;
    let left = range.limit ?? Infinity;
    for (const r of ranges) {
      if (left <= 0) return;
      const p = this.parts.get(r.id)!;
      const start = maxStart(p.start, range.start);
      const end = minEnd(p.end, range.end);
      const sub: KeyRange = end === undefined ? { start, reverse: range.reverse ?? false, limit: left } : { start, end, reverse: range.reverse ?? false, limit: left };
      for (const entry of p.store.scan(sub)) {
        yield entry;
        left--;
        if (this.version !== version) {
          throw new UsageError('RangePartitionedKV: the store was modified during a scan; collect the scan first with [...kv.scan()]');
        }
      }
    }
  }

  private info(p: Partition): PartitionInfo {
    return { id: p.id, start: p.start.slice(), end: p.end?.slice(), keys: p.keys };
  }

  private partitionFor(key: Uint8Array): Partition {
    return this.parts.get(this.map.locate(key).id)!;
  }

  private freshId(): string {
    return `p${this.nextId++}`;
  }

  /** How many keys `ops` adds to (or removes from) `p`: the last operation on each key wins. */
  private countDelta(p: Partition, ops: readonly BatchOp[]): number {
    const last = new Map<string, BatchOp>();
    for (const op of ops) last.set(op.key.join(','), op);
    let delta = 0;
    for (const op of last.values()) {
      const existed = p.store.get(op.key) !== undefined;
      if (op.type === 'put' && !existed) delta++;
      if (op.type === 'delete' && existed) delta--;
    }
    return delta;
  }

  /**
   * Splits `p` at its median key: `p` keeps `[start, median)`, a new partition takes
   * `[median, end)`. The median key goes right, and only right. Halves still too large split again.
   */
  private split(p: Partition): void {
    const entries = [...p.store.scan()];
    const median = entries[Math.floor(entries.length / 2)]!.key;
    const moving = entries.filter((e) => compareBytes(e.key, median) >= 0);
    const right: Partition = { id: this.freshId(), start: median, end: p.end, store: this.newStore(), keys: moving.length };
    right.store.batch(moving.map((e) => ({ type: 'put', key: e.key, value: e.value })));
    p.store.batch(moving.map((e) => ({ type: 'delete', key: e.key })));
    p.end = median;
    p.keys -= moving.length;
    this.parts.set(right.id, right);
    this.rebuildMap();
    if (p.keys > this.splitAbove) this.split(p);
    if (right.keys > this.splitAbove) this.split(right);
  }

  /** Merges `p` into its left neighbour, or its right one into `p`, when they are adjacent and small enough together. */
  private mergeAround(p: Partition): void {
    const ranges = this.map.ranges;
    const at = ranges.findIndex((r) => r.id === p.id);
    const left = at > 0 ? this.parts.get(ranges[at - 1]!.id) : undefined;
    const right = at + 1 < ranges.length ? this.parts.get(ranges[at + 1]!.id) : undefined;
    if (left !== undefined && this.adjacent(left, p) && left.keys + p.keys <= this.mergeAtMost) this.merge(left, p);
    else if (right !== undefined && this.adjacent(p, right) && p.keys + right.keys <= this.mergeAtMost) this.merge(p, right);
  }

  private adjacent(left: Partition, right: Partition): boolean {
    return left.end !== undefined && compareBytes(left.end, right.start) === 0;
  }

  /** Moves every entry of `right` into `left`, which then owns both ranges. */
  private merge(left: Partition, right: Partition): void {
    const entries = [...right.store.scan()];
    left.store.batch(entries.map((e) => ({ type: 'put', key: e.key, value: e.value })));
    left.keys += entries.length;
    right.store.batch(entries.map((e) => ({ type: 'delete', key: e.key }))); // a store given up is left empty
    left.end = right.end;
    this.parts.delete(right.id);
    this.rebuildMap();
  }

  private rebuildMap(): void {
    this.map = new KeyRangeMap([...this.parts.values()].map((p) => ({ id: p.id, start: p.start, end: p.end })));
  }
}
