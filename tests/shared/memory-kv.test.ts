import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes, fromUtf8, prefixEnd, utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { prefixRange, type Entry } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';

const show = (entries: Iterable<Entry>) => [...entries].map((e) => `${fromUtf8(e.key)}=${fromUtf8(e.value)}`);

function filled(...keys: string[]): MemoryKV {
  const kv = new MemoryKV();
  for (const k of keys) kv.put(utf8(k), utf8(k.toUpperCase()));
  return kv;
}

describe('MemoryKV, the reference ordered store', () => {
  it('scans in unsigned bytewise key order, whatever the insertion order', () => {
    const kv = filled('b', 'a', 'ab', 'B', '');
    expect(show(kv.scan())).toEqual(['=', 'B=B', 'a=A', 'ab=AB', 'b=B']);
  });

  it('ranges are half-open: start inclusive, end exclusive', () => {
    const kv = filled('a', 'b', 'c', 'd');
    expect(show(kv.scan({ start: utf8('b'), end: utf8('d') }))).toEqual(['b=B', 'c=C']);
  });

  it('reverse scans yield the same range backwards, and limit counts from the scan start', () => {
    const kv = filled('a', 'b', 'c', 'd');
    expect(show(kv.scan({ start: utf8('a'), end: utf8('d'), reverse: true, limit: 2 }))).toEqual(['c=C', 'b=B']);
  });

  it('a prefix range finds exactly the keys with that prefix', () => {
    const kv = filled('user/1', 'user/2', 'user0', 'usex', 'users');
    expect(show(kv.scan(prefixRange(utf8('user/'))))).toEqual(['user/1=USER/1', 'user/2=USER/2']);
  });

  it('prefixEnd skips trailing 0xff bytes and is undefined when no end exists', () => {
    expect(prefixEnd(Uint8Array.of(1, 0xff))).toEqual(Uint8Array.of(2));
    expect(prefixEnd(Uint8Array.of(0xff, 0xff))).toBeUndefined();
  });

  it('bytes are copied in and out: mutating a caller array never changes the store', () => {
    const kv = new MemoryKV();
    const key = utf8('k');
    const value = utf8('v');
    kv.put(key, value);
    value[0] = 0x78;
    kv.get(key)![0] = 0x79;
    expect(fromUtf8(kv.get(key)!)).toBe('v');
  });

  it('a write during a scan is reported as a usage error, not silently skipped', () => {
    const kv = filled('a', 'b');
    expect(() => {
      for (const e of kv.scan()) kv.put(e.key, utf8('x'));
    }).toThrow(UsageError);
  });

  it('matches a Map model under random puts, deletes, batches and range scans', () => {
    const key = fc.uint8Array({ maxLength: 3 });
    const op = fc.oneof(
      fc.record({ type: fc.constant('put' as const), key, value: fc.uint8Array({ maxLength: 3 }) }),
      fc.record({ type: fc.constant('delete' as const), key }),
    );
    checkProperty(
      fc.property(fc.array(fc.oneof(op, fc.array(op, { maxLength: 4 }))), key, key, (ops, a, b) => {
        const kv = new MemoryKV();
        const model = new Map<string, Uint8Array>();
        for (const o of ops) {
          const batch = Array.isArray(o) ? o : [o];
          if (Array.isArray(o)) kv.batch(o);
          else if (o.type === 'put') kv.put(o.key, o.value);
          else kv.delete(o.key);
          for (const x of batch) {
            if (x.type === 'put') model.set(x.key.join(','), x.value);
            else model.delete(x.key.join(','));
          }
        }
        const [start, end] = compareBytes(a, b) <= 0 ? [a, b] : [b, a];
        const expected = [...model.entries()]
          .map(([k, value]) => ({ key: Uint8Array.from(k === '' ? [] : k.split(',').map(Number)), value }))
          .filter((e) => compareBytes(e.key, start) >= 0 && compareBytes(e.key, end) < 0)
          .sort((x, y) => compareBytes(x.key, y.key));
        expect([...kv.scan({ start, end })], because('scan returns the live keys in [start, end) in order', 'kv.ts')).toEqual(expected);
        expect(kv.size).toBe(model.size);
      }),
    );
  });
});
