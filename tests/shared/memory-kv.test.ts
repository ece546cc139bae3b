/**
 * What is particular to MemoryKV and the prefix helpers. The ordered key-value contract itself
 * (order, ranges, copies, batches, the write-during-scan rule, a model-based property) runs on
 * MemoryKV in `kv-contract.test.ts`.
 */

import { describe, expect, it } from 'vitest';
import { fromUtf8, prefixEnd, utf8 } from '../../shared/bytes.js';
import { prefixRange, type Entry } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';

const show = (entries: Iterable<Entry>) => [...entries].map((e) => `${fromUtf8(e.key)}=${fromUtf8(e.value)}`);

function filled(...keys: string[]): MemoryKV {
  const kv = new MemoryKV();
  for (const k of keys) kv.put(utf8(k), utf8(k.toUpperCase()));
  return kv;
}

describe('MemoryKV, the reference ordered store', () => {
  it('a prefix range finds exactly the keys with that prefix', () => {
    const kv = filled('user/1', 'user/2', 'user0', 'usex', 'users');
    expect(show(kv.scan(prefixRange(utf8('user/'))))).toEqual(['user/1=USER/1', 'user/2=USER/2']);
  });

  it('prefixEnd skips trailing 0xff bytes and is undefined when no end exists', () => {
    expect(prefixEnd(Uint8Array.of(1, 0xff))).toEqual(Uint8Array.of(2));
    expect(prefixEnd(Uint8Array.of(0xff, 0xff))).toBeUndefined();
  });

  it('size counts the live keys: overwrites count once, deletes of absent keys not at all', () => {
    const kv = filled('a', 'b', 'c');
    kv.put(utf8('a'), utf8('again'));
    kv.batch([{ type: 'delete', key: utf8('b') }, { type: 'delete', key: utf8('zz') }, { type: 'put', key: utf8('d'), value: utf8('') }]);
    expect(kv.size, because('size is the number of keys a full scan yields', 'shared/memory-kv.ts')).toBe([...kv.scan()].length);
    expect(kv.size).toBe(3);
  });
});
