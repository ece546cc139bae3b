import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareBytes, utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { prefixRange, type KeyRange } from '../../shared/kv.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import type { BTree } from '@impl/chapter02-storage-engines/btree.js';
import { Model, asText, distinct, key, newDisk, openTree, show, value } from './btree-testkit.js';

const SECTION = '3.5 Range scans';

function expected(model: Model, range: KeyRange): Array<{ key: Uint8Array; value: Uint8Array }> {
  let entries = sortedOnce(model).filter((e) => (range.start === undefined || compareBytes(e.key, range.start) >= 0) && (range.end === undefined || compareBytes(e.key, range.end) < 0));
  if (range.reverse) entries = entries.reverse();
  return range.limit === undefined ? entries : entries.slice(0, range.limit);
}

const sorted = new WeakMap<Model, Array<{ key: Uint8Array; value: Uint8Array }>>();
function sortedOnce(model: Model): Array<{ key: Uint8Array; value: Uint8Array }> {
  let entries = sorted.get(model);
  if (entries === undefined) {
    entries = model.entries();
    sorted.set(model, entries);
  }
  return entries;
}

// One tree of several levels, shared by the read-only tests below; built on first use so that a
// missing exercise fails each test rather than the whole file.
let built: { tree: BTree; model: Model } | undefined;
function fixture(): { tree: BTree; model: Model } {
  if (built !== undefined) return built;
  const random = new Random(7);
  const tree = openTree(newDisk(), 64);
  const model = new Model();
  for (const n of distinct(random, 1500, 20_000)) {
    const v = value(n, 0, random.int(0, 120));
    tree.put(key(n), v);
    model.put(key(n), v);
  }
  built = { tree, model };
  return built;
}

describe('3.5 range scans', () => {

  test('a full scan yields every entry once, in key order', () => {
    const { tree, model } = fixture();
    expect(asText(tree.scan()), because('an in-order walk of the tree visits leaves left to right', SECTION)).toEqual(asText(sortedOnce(model)));
  });

  test('a reverse scan yields every entry in descending order', () => {
    const { tree, model } = fixture();
    expect(asText(tree.scan({ reverse: true })), because('reverse walks children right to left', SECTION)).toEqual(asText([...sortedOnce(model)].reverse()));
  });

  test('scans of random half-open ranges, either way, with limits, match a sorted model (property)', () => {
    const { tree, model } = fixture();
    const bound = fc.option(fc.integer({ min: -5, max: 20_005 }).map(key), { nil: undefined });
    checkProperty(
      fc.property(bound, bound, fc.boolean(), fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }), (start, end, reverse, limit) => {
        const range: KeyRange = { start, end, reverse, limit };
        expect(asText(tree.scan(range)), because('scan yields exactly the keys in [start, end), in order, at most limit of them', SECTION)).toEqual(
          asText(expected(model, range)),
        );
      }),
      { numRuns: 100 },
    );
  });

  test('a range whose bounds fall between stored keys, or equal separators, is exact', () => {
    const { tree, model } = fixture();
    for (const [start, end] of [
      [utf8('key-000100x'), utf8('key-000900x')],
      [key(0), key(1)],
      [key(19_999), undefined],
      [utf8('l'), undefined],
      [undefined, utf8('a')],
    ] as const) {
      expect(asText(tree.scan({ start, end })), because('start is inclusive, end exclusive, wherever they fall', SECTION)).toEqual(asText(expected(model, { start, end })));
    }
  });

  test('a prefix scan yields exactly the keys with that prefix', () => {
    const { tree, model } = fixture();
    const range = prefixRange(utf8('key-0012'));
    expect(asText(tree.scan(range)), because('prefixRange turns a prefix into a half-open range', SECTION)).toEqual(asText(expected(model, range)));
  });

  test('a scan yields copies: changing them does not change the tree', () => {
    const tree = openTree(newDisk());
    for (let n = 0; n < 50; n++) tree.put(key(n), value(n));
    for (const e of tree.scan()) {
      e.key.fill(0x21);
      e.value.fill(0x21);
    }
    expect(show(tree.get(key(7))), because('keys and values are copied on the way out (shared/kv.ts): a view into a cached page would let a caller change the tree', SECTION)).toBe(show(value(7)));
    expect(tree.checkInvariants().entries).toBe(50);
  });

  test('changing the tree during a scan raises a UsageError instead of yielding stale or skipped entries', () => {
    const local = openTree(newDisk());
    for (let n = 0; n < 50; n++) local.put(key(n), value(n));
    const iterator = local.scan();
    iterator.next();
    local.put(key(1000), value(1000));
    expect(() => iterator.next(), because('a scan is not isolated from writes; collect it first', SECTION)).toThrow(UsageError);
  });
});
