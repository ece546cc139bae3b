/**
 * One entry of a leader's replication log, and its stored and wire form.
 *
 * An entry records a write (or a delete) at a log *offset* (1, 2, 3, …), the *epoch* of the
 * leader that wrote it, and the value the key held just before (`previous`), so that a replica
 * can undo the entry when it discovers that it was never replicated (an old leader rejoining).
 * It also carries the *dependencies* of the write: for each other replication group, the offset
 * the writing client had seen there (used by causal reads across groups; empty otherwise).
 *
 * Format (integers big-endian):
 *
 * ```text
 * entry   = u32 epoch, bytes key, optional value, optional previous, u16 n, (string group, f64 offset) × n,
 *           [u8 0x01, string client, f64 request]   (only when the entry has a write id)
 * bytes   = u32 length, the bytes
 * optional = u8 0x00 (absent: a delete, or no previous value) | u8 0x01, bytes
 * string  = bytes of UTF-8
 * ```
 * The offset itself is not in the entry: it is the entry's key in the log.
 * @module
 */

import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { DecodeError } from '../../shared/errors.js';

/** Group → offset: what a client had seen of other replication groups when it wrote. */
export type Dependencies = Readonly<Record<string, number>>;

/**
 * Who asked for a write, when the client deduplicates its retries: its node id and its request
 * number (unique per client: a client that restarted would have to number on, not start over).
 */
export interface WriteId {
  readonly client: string;
  readonly request: number;
}

/** One write in the replication log. */
export interface LogEntry {
  /** Position in the log: the first entry is 1, each next one is one more. */
  readonly offset: number;
  /** The epoch of the leader that appended it. */
  readonly epoch: number;
  readonly key: Uint8Array;
  /** The new value, or null for a delete. */
  readonly value: Uint8Array | null;
  /** The value before this write, or null if the key was absent: what undoing restores. */
  readonly previous: Uint8Array | null;
  readonly deps: Dependencies;
  /** Set when the writing client deduplicates: a write with this id is never appended twice. */
  readonly writeId?: WriteId;
}

/** Encodes an entry (without its offset). */
export function encodeEntry(entry: LogEntry): Uint8Array {
  const parts: number[] = [];
  const u32 = (n: number) => parts.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  const bytes = (b: Uint8Array) => {
    u32(b.length);
    for (const x of b) parts.push(x);
  };
  const optional = (b: Uint8Array | null) => {
    if (b === null) parts.push(0);
    else {
      parts.push(1);
      bytes(b);
    }
  };
  u32(entry.epoch);
  bytes(entry.key);
  optional(entry.value);
  optional(entry.previous);
  const groups = Object.keys(entry.deps).sort();
  parts.push(groups.length >>> 8, groups.length & 0xff);
  const f64 = new DataView(new ArrayBuffer(8));
  for (const group of groups) {
    bytes(utf8(group));
    f64.setFloat64(0, entry.deps[group]!);
    for (let i = 0; i < 8; i++) parts.push(f64.getUint8(i));
  }
  if (entry.writeId !== undefined) {
    parts.push(1);
    bytes(utf8(entry.writeId.client));
    f64.setFloat64(0, entry.writeId.request);
    for (let i = 0; i < 8; i++) parts.push(f64.getUint8(i));
  }
  return Uint8Array.from(parts);
}

/** Decodes {@link encodeEntry}'s output for the entry at `offset`. */
export function decodeEntry(offset: number, data: Uint8Array): LogEntry {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  const need = (n: number, what: string) => {
    if (at + n > data.length) throw new DecodeError(at, what, `log entry ${offset} is truncated`);
  };
  const u32 = (what: string) => {
    need(4, what);
    const v = view.getUint32(at);
    at += 4;
    return v;
  };
  const bytes = (what: string) => {
    const n = u32(`the length of ${what}`);
    need(n, what);
    const b = data.slice(at, at + n);
    at += n;
    return b;
  };
  const optional = (what: string) => {
    need(1, `the presence byte of ${what}`);
    const flag = data[at++]!;
    if (flag === 0) return null;
    if (flag !== 1) throw new DecodeError(at - 1, `0x00 or 0x01 before ${what}`, `found 0x${flag.toString(16)}`);
    return bytes(what);
  };
  const epoch = u32('the epoch');
  const key = bytes('the key');
  const value = optional('the value');
  const previous = optional('the previous value');
  need(2, 'the dependency count');
  const count = view.getUint16(at);
  at += 2;
  const deps: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const group = fromUtf8(bytes('a dependency group'));
    need(8, 'a dependency offset');
    deps[group] = view.getFloat64(at);
    at += 8;
  }
  if (at === data.length) return { offset, epoch, key, value, previous, deps };
  const flag = data[at++]!;
  if (flag !== 1) throw new DecodeError(at - 1, '0x01 before a write id', `found 0x${flag.toString(16)}`);
  const client = fromUtf8(bytes('the writing client'));
  need(8, 'the request number');
  const request = view.getFloat64(at);
  return { offset, epoch, key, value, previous, deps, writeId: { client, request } };
}

/**
 * The stored form of a value in a leader–follower replica's data: the value's dependencies, then
 * the value. `u8 n, (u8 length, group UTF-8, f64 offset) × n, value bytes`.
 */
export function encodeStoredValue(value: Uint8Array, deps: Dependencies): Uint8Array {
  const groups = Object.keys(deps).sort();
  const parts: number[] = [groups.length];
  const f64 = new DataView(new ArrayBuffer(8));
  for (const group of groups) {
    const name = utf8(group);
    parts.push(name.length, ...name);
    f64.setFloat64(0, deps[group]!);
    for (let i = 0; i < 8; i++) parts.push(f64.getUint8(i));
  }
  const out = new Uint8Array(parts.length + value.length);
  out.set(parts, 0);
  out.set(value, parts.length);
  return out;
}

/** Decodes {@link encodeStoredValue}'s output. */
export function decodeStoredValue(data: Uint8Array): { value: Uint8Array; deps: Dependencies } {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const deps: Record<string, number> = {};
  let at = 1;
  for (let i = 0; i < data[0]!; i++) {
    const length = data[at]!;
    if (at + 1 + length + 8 > data.length) throw new DecodeError(at, 'a dependency', 'stored value is truncated');
    deps[fromUtf8(data.subarray(at + 1, at + 1 + length))] = view.getFloat64(at + 1 + length);
    at += 1 + length + 8;
  }
  return { value: data.slice(at), deps };
}
