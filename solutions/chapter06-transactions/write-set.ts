/**
 * A transaction's buffered writes, for the engines that keep them private until commit (read
 * committed and two-phase locking). Given code, identical in `chapters/` and `solutions/`.
 * @module
 */

import { compareBytes, showBytes } from '../../shared/bytes.js';
import { inRange, type BatchOp, type Entry, type KeyRange } from '../../shared/kv.js';

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** A key as a map key: its bytes in hexadecimal. */
export function keyId(key: Uint8Array): string {
  let out = '';
  for (const byte of key) out += HEX[byte]!;
  return out;
}

/** What a write set knows about one key: nothing, a new value, or a deletion (`value` undefined). */
export type OwnWrite = { readonly found: false } | { readonly found: true; readonly value: Uint8Array | undefined };

/** Writes not yet committed, the last one per key winning. */
export class WriteSet {
  private readonly writes = new Map<string, { readonly key: Uint8Array; readonly value: Uint8Array | undefined }>();

  get size(): number {
    return this.writes.size;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.writes.set(keyId(key), { key: key.slice(), value: value.slice() });
  }

  delete(key: Uint8Array): void {
    this.writes.set(keyId(key), { key: key.slice(), value: undefined });
  }

  /** This transaction's own write of `key`, if it made one. */
  get(key: Uint8Array): OwnWrite {
    const write = this.writes.get(keyId(key));
    return write === undefined ? { found: false } : { found: true, value: write.value?.slice() };
  }

  /** The writes as one batch, to apply atomically at commit. */
  ops(): BatchOp[] {
    return [...this.writes.values()].map((w) => (w.value === undefined ? { type: 'delete', key: w.key } : { type: 'put', key: w.key, value: w.value }));
  }

  /**
   * `committed` (every entry of `range` that others committed, in key order, with no limit)
   * overlaid with this transaction's own writes, then ordered and limited as `range` asks.
   */
  overlay(committed: Iterable<Entry>, range: KeyRange = {}): Entry[] {
    const merged = new Map<string, Entry>();
    for (const entry of committed) merged.set(keyId(entry.key), entry);
    for (const [id, write] of this.writes) {
      if (!inRange(write.key, range)) continue;
      if (write.value === undefined) merged.delete(id);
      else merged.set(id, { key: write.key.slice(), value: write.value.slice() });
    }
    return limitRange([...merged.values()], range);
  }
}

/** Sorts `entries` by key, reverses and limits them as `range` asks. */
export function limitRange(entries: Entry[], range: KeyRange): Entry[] {
  entries.sort((x, y) => compareBytes(x.key, y.key));
  if (range.reverse) entries.reverse();
  return range.limit === undefined ? entries : entries.slice(0, Math.max(0, range.limit));
}

/** A key range as text, for lock names and explanations. */
export function showRange(range: KeyRange): string {
  const start = range.start === undefined ? '-∞' : `"${showBytes(range.start)}"`;
  const end = range.end === undefined ? '+∞' : `"${showBytes(range.end)}"`;
  return `[${start}, ${end})`;
}
