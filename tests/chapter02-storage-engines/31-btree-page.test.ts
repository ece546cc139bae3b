import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CorruptionError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import {
  PAGE_BODY_SIZE,
  META_COPY_BYTES,
  PAGE_SIZE,
  decodeMeta,
  decodeNode,
  encodeMeta,
  encodeNode,
  nodeBodySize,
  type BTreeNode,
  type InternalNode,
  type LeafNode,
} from '@impl/chapter02-storage-engines/btree-page.js';

const SECTION = '3.1 Page layout';
const FILE = 'db/tree.btree';

const bytesArb = (max: number) => fc.uint8Array({ maxLength: max });

/** Leaves whose entries fit one page. */
const leafArb: fc.Arbitrary<LeafNode> = fc
  .array(fc.tuple(bytesArb(40), bytesArb(120)), { maxLength: 30 })
  .map((pairs) => ({ kind: 'leaf', keys: pairs.map((p) => p[0]), values: pairs.map((p) => p[1]) }));

const internalArb: fc.Arbitrary<InternalNode> = fc
  .array(fc.tuple(bytesArb(60), fc.integer({ min: 2, max: 2 ** 32 - 1 })), { maxLength: 50 })
  .chain((entries) =>
    fc.integer({ min: 2, max: 2 ** 32 - 1 }).map((first) => ({
      kind: 'internal' as const,
      keys: entries.map((e) => e[0]),
      children: [first, ...entries.map((e) => e[1])],
    })),
  );

const nodeArb: fc.Arbitrary<BTreeNode> = fc.oneof(leafArb, internalArb);

function corruptionOf(run: () => unknown): CorruptionError {
  try {
    run();
  } catch (error) {
    if (error instanceof CorruptionError) return error;
    throw error;
  }
  throw new Error('expected a CorruptionError, but decoding succeeded');
}

describe('3.1 page layout', () => {
  test('a node survives encode then decode, in exactly one 4 KiB page', () => {
    checkProperty(
      fc.property(nodeArb, fc.integer({ min: 2, max: 100_000 }), (node, pageNo) => {
        const page = encodeNode(pageNo, node);
        expect(page.length, because('every page is exactly PAGE_SIZE bytes', SECTION)).toBe(PAGE_SIZE);
        expect(decodeNode(pageNo, page, FILE), because('decodeNode(encodeNode(node)) gives the node back', SECTION)).toEqual(node);
      }),
    );
  });

  test('nodeBodySize counts the bytes the entries take: 4 + key + value per leaf entry', () => {
    const leaf: LeafNode = { kind: 'leaf', keys: [new Uint8Array(3), new Uint8Array(5)], values: [new Uint8Array(10), new Uint8Array(0)] };
    expect(nodeBodySize(leaf), because('a leaf entry is u16 key length, u16 value length, key, value', SECTION)).toBe(4 + 3 + 10 + 4 + 5);
    const internal: InternalNode = { kind: 'internal', keys: [new Uint8Array(7)], children: [2, 3] };
    expect(nodeBodySize(internal), because('an internal body is u32 child 0, then u16 key length, key, u32 child', SECTION)).toBe(4 + 2 + 7 + 4);
  });

  test('the header records checksum, page number, kind, count and used bytes at fixed offsets', () => {
    const leaf: LeafNode = { kind: 'leaf', keys: [Uint8Array.of(1, 2)], values: [Uint8Array.of(9)] };
    const page = encodeNode(7, leaf);
    const view = new DataView(page.buffer, page.byteOffset);
    expect(view.getUint32(4), because('bytes 4..8 hold the page number, big-endian', SECTION)).toBe(7);
    expect(view.getUint8(8), because('byte 8 is the kind: 1 for a leaf', SECTION)).toBe(1);
    expect(view.getUint16(10), because('bytes 10..12 hold the entry count', SECTION)).toBe(1);
    expect(view.getUint16(12), because('bytes 12..14 hold the body bytes used', SECTION)).toBe(4 + 2 + 1);
    expect([...page.subarray(16, 23)], because('the body starts at byte 16: u16 key length, u16 value length, key, value', SECTION)).toEqual([0, 2, 0, 1, 1, 2, 9]);
    expect(encodeNode(7, { kind: 'internal', keys: [], children: [5] })[8], because('byte 8 is 2 for an internal node', SECTION)).toBe(2);
  });

  test('a node too big for one page is refused, not truncated', () => {
    const big: LeafNode = { kind: 'leaf', keys: [new Uint8Array(100)], values: [new Uint8Array(PAGE_BODY_SIZE)] };
    expect(() => encodeNode(2, big), because('an overfull node must be split before it is written', SECTION)).toThrow(RangeError);
  });

  test('any flipped byte of a page raises a CorruptionError naming the file and an offset inside that page', () => {
    checkProperty(
      fc.property(nodeArb, fc.integer({ min: 0, max: PAGE_SIZE - 1 }), fc.integer({ min: 1, max: 255 }), (node, at, mask) => {
        const pageNo = 9;
        const page = encodeNode(pageNo, node);
        page[at]! ^= mask;
        const error = corruptionOf(() => decodeNode(pageNo, page, FILE));
        expect(error.file, because('the error names the file', SECTION)).toBe(FILE);
        expect(error.offset, because('the offset lies inside the damaged page', SECTION)).toBeGreaterThanOrEqual(pageNo * PAGE_SIZE);
        expect(error.offset, because('the offset lies inside the damaged page', SECTION)).toBeLessThan((pageNo + 1) * PAGE_SIZE);
      }),
      { numRuns: 300 },
    );
  });

  test('a valid page read from the wrong place is rejected by its page number', () => {
    const page = encodeNode(5, { kind: 'leaf', keys: [], values: [] });
    const error = corruptionOf(() => decodeNode(6, page, FILE));
    expect(error.offset, because('page 6 holding page 5 is a misdirected write; the checksum alone cannot see it', SECTION)).toBe(6 * PAGE_SIZE + 4);
  });

  test('an all-zero page (never written) is corrupt, not an empty node', () => {
    corruptionOf(() => decodeNode(3, new Uint8Array(PAGE_SIZE), FILE));
  });

  test('a meta page holds its record twice: a flipped byte in one copy is survived, one in each copy is detected', () => {
    const meta = { txn: 41, root: 17, pageCount: 90 };
    for (const slot of [0, 1]) {
      const page = encodeMeta(slot, meta);
      expect(decodeMeta(slot, page, FILE), because('decodeMeta(encodeMeta(meta)) gives the meta back', SECTION)).toEqual(meta);
      expect(page.subarray(META_COPY_BYTES), because('the second half of a meta page is a copy of the first', SECTION)).toEqual(page.subarray(0, META_COPY_BYTES));
      for (const at of [0, 4, 8, 30, META_COPY_BYTES - 1]) {
        const one = page.slice();
        one[at]! ^= 0x10;
        expect(decodeMeta(slot, one, FILE), because(`a flipped byte at ${at} damages one copy; the other still holds the commit`, SECTION)).toEqual(meta);
        const both = one.slice();
        both[META_COPY_BYTES + at]! ^= 0x10;
        const error = corruptionOf(() => decodeMeta(slot, both, FILE));
        expect(error.offset, because('with both copies damaged the error points into the meta page', SECTION)).toBeGreaterThanOrEqual(slot * PAGE_SIZE);
        expect(error.offset, because('with both copies damaged the error points into the meta page', SECTION)).toBeLessThan((slot + 1) * PAGE_SIZE);
      }
    }
  });

  test('of two valid copies the newer commit wins: a torn write leaves the new first copy and the old second one', () => {
    const older = encodeMeta(1, { txn: 7, root: 3, pageCount: 10 });
    const newer = encodeMeta(1, { txn: 9, root: 5, pageCount: 12 });
    const torn = older.slice();
    torn.set(newer.subarray(0, META_COPY_BYTES + 100)); // a prefix of the new page reached the disk
    expect(decodeMeta(1, torn, FILE), because('a complete first copy records a commit whose pages are durable', SECTION)).toEqual({ txn: 9, root: 5, pageCount: 12 });
    const mixed = older.slice();
    mixed.set(newer.subarray(META_COPY_BYTES), META_COPY_BYTES); // no tear makes this, but the rule must hold
    expect(decodeMeta(1, mixed, FILE), because('of two valid copies, the one with the larger commit number wins, wherever it is', SECTION)).toEqual({ txn: 9, root: 5, pageCount: 12 });
    const short = older.slice();
    short.set(newer.subarray(0, 30)); // the tear cut the first copy
    expect(decodeMeta(1, short, FILE), because('a torn first copy leaves the old second one: the slot still holds its old commit', SECTION)).toEqual({ txn: 7, root: 3, pageCount: 10 });
  });
});
