/**
 * Helpers for the B-tree tests (exercises 3.x): readable keys and values, a sorted model to
 * compare with, and shorthands for opening a tree on a simulated disk.
 */

import { compareBytes, fromUtf8, utf8 } from '../../shared/bytes.js';
import { SimDisk } from '../../shared/fs/sim-disk.js';
import { Random } from '../../shared/random.js';
import { BTree } from '@impl/chapter02-storage-engines/btree.js';

/** The file every B-tree test uses. */
export const TREE_FILE = 'db/tree.btree';

/** A fresh simulated disk with the tree's directory made. */
export function newDisk(seed = 1): SimDisk {
  const disk = new SimDisk(new Random(seed));
  disk.mkdir('db');
  return disk;
}

/** Opens the test tree on `disk` with a small cache, so that pages really go to and from the file. */
export function openTree(disk: SimDisk, cachePages = 16): BTree {
  return BTree.open(disk, TREE_FILE, { cachePages });
}

/** `key-000042`-style keys: fixed width, so byte order is numeric order. */
export function key(n: number): Uint8Array {
  return utf8(`key-${String(n).padStart(6, '0')}`);
}

/** A value of about `length` bytes that names its key and a version. */
export function value(n: number, version = 0, length = 40): Uint8Array {
  const text = `value-${n}-v${version}-`;
  return utf8(text.padEnd(Math.max(length, text.length), '.'));
}

/** Renders a key for messages. */
export function show(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? 'undefined' : fromUtf8(bytes);
}

/** A key-value model: a Map keyed by the key's hex text, iterated in byte order. */
export class Model {
  private readonly map = new Map<string, { key: Uint8Array; value: Uint8Array }>();

  put(k: Uint8Array, v: Uint8Array): void {
    this.map.set(hex(k), { key: k.slice(), value: v.slice() });
  }

  delete(k: Uint8Array): void {
    this.map.delete(hex(k));
  }

  get(k: Uint8Array): Uint8Array | undefined {
    return this.map.get(hex(k))?.value;
  }

  get size(): number {
    return this.map.size;
  }

  /** Entries in key order. */
  entries(): Array<{ key: Uint8Array; value: Uint8Array }> {
    return [...this.map.values()].sort((a, b) => compareBytes(a.key, b.key));
  }

  clone(): Model {
    const copy = new Model();
    for (const e of this.map.values()) copy.put(e.key, e.value);
    return copy;
  }
}

/** Lowercase hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Entries as comparable text pairs. */
export function asText(entries: Iterable<{ key: Uint8Array; value: Uint8Array }>): string[] {
  const out: string[] = [];
  for (const e of entries) out.push(`${hex(e.key)}=${hex(e.value)}`);
  return out;
}

/** Draws `count` distinct integers in `[0, max)` in random order. */
export function distinct(random: Random, count: number, max: number): number[] {
  const all = Array.from({ length: max }, (_, i) => i);
  return random.shuffle(all).slice(0, count);
}
