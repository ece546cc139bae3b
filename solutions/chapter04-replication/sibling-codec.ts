/**
 * The stored and wire form of a sibling list, as kept under each key of a leaderless replica's
 * ordered store. The encoding is canonical (siblings in dot order, context entries in replica
 * order), so two replicas holding the same siblings hold the same bytes: Merkle trees over
 * stored values then agree exactly when the replicas do.
 *
 * Format (integers big-endian, strings UTF-8 preceded by a u16 byte length):
 *
 * ```text
 * list    = u16 count, sibling × count
 * sibling = string dot.replica, u32 dot.counter,
 *           u16 entries, (string replica, u32 counter) × entries,   -- the context
 *           u8 kind (0x00 tombstone, 0x01 value), [u32 length, bytes]  -- value if kind 0x01
 * ```
 * @module
 */

import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { DecodeError } from '../../shared/errors.js';
import { compareSiblings, type Sibling } from './siblings.js';
import { normalize } from './version-vector.js';

/** Encodes siblings canonically (sorted by dot). */
export function encodeSiblings(siblings: readonly Sibling[]): Uint8Array {
  const out: number[] = [];
  const u16 = (n: number) => out.push((n >>> 8) & 0xff, n & 0xff);
  const u32 = (n: number) => out.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  const bytes = (b: Uint8Array) => {
    for (const x of b) out.push(x);
  };
  const string = (s: string) => {
    const b = utf8(s);
    u16(b.length);
    bytes(b);
  };
  const sorted = [...siblings].sort(compareSiblings);
  u16(sorted.length);
  for (const s of sorted) {
    string(s.dot.replica);
    u32(s.dot.counter);
    const context = normalize(s.context);
    const replicas = Object.keys(context);
    u16(replicas.length);
    for (const r of replicas) {
      string(r);
      u32(context[r]!);
    }
    if (s.value === null) out.push(0);
    else {
      out.push(1);
      u32(s.value.length);
      bytes(s.value);
    }
  }
  return Uint8Array.from(out);
}

/** Decodes {@link encodeSiblings}'s output; a `DecodeError` names the offset of anything else. */
export function decodeSiblings(data: Uint8Array): Sibling[] {
  let at = 0;
  const need = (n: number, what: string) => {
    if (at + n > data.length) throw new DecodeError(at, what, 'sibling list is truncated');
  };
  const u16 = (what: string) => {
    need(2, what);
    const v = (data[at]! << 8) | data[at + 1]!;
    at += 2;
    return v;
  };
  const u32 = (what: string) => {
    need(4, what);
    const v = ((data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!) >>> 0;
    at += 4;
    return v;
  };
  const string = (what: string) => {
    const n = u16(`the length of ${what}`);
    need(n, what);
    const s = fromUtf8(data.subarray(at, at + n));
    at += n;
    return s;
  };
  const out: Sibling[] = [];
  const count = u16('the sibling count');
  for (let i = 0; i < count; i++) {
    const replica = string('a dot replica id');
    const counter = u32('a dot counter');
    const entries = u16('the context size');
    const context: Record<string, number> = {};
    for (let e = 0; e < entries; e++) {
      const r = string('a context replica id');
      context[r] = u32('a context counter');
    }
    need(1, 'a value kind');
    const kind = data[at++]!;
    let value: Uint8Array | null = null;
    if (kind === 1) {
      const n = u32('a value length');
      need(n, `a value of ${n} bytes`);
      value = data.slice(at, at + n);
      at += n;
    } else if (kind !== 0) {
      throw new DecodeError(at - 1, 'value kind 0x00 or 0x01', `found 0x${kind.toString(16)}`);
    }
    out.push({ value, dot: { replica, counter }, context });
  }
  if (at !== data.length) throw new DecodeError(at, 'the end of the sibling list', `${data.length - at} bytes left over`);
  return out;
}
