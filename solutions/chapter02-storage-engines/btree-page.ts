/**
 * Exercise 3.1: the B-tree's page layout. Every page of the B-tree file is {@link PAGE_SIZE}
 * bytes; page `n` starts at byte `n * PAGE_SIZE`. Pages 0 and 1 are meta pages (which commit is
 * current); every other page holds one node. Format (all integers big-endian), documented in
 * the chapter notes under "On-disk format: the B-tree file":
 *
 *     node page                               meta page: the same record twice, a copy at
 *     0   u32 CRC-32C of bytes [4, 4096)      byte 0 and a copy at byte 2048 (META_COPY_BYTES);
 *     4   u32 page number                     offsets below are from the copy's start
 *     8   u8  kind: 1 leaf, 2 internal        0   u32 CRC-32C of the copy's bytes [4, 2048)
 *     9   u8  zero                            4   u32 page number (0 or 1)
 *     10  u16 entry count                     8   u8  kind: 3 meta
 *     12  u16 body bytes used                 12  u32 magic "BTRE"
 *     14  u16 zero                            16  u32 format version (2)
 *     16  body                                20  u32 page size (4096)
 *                                             24  u32 commit number (txn)
 *                                             28  u32 root page
 *                                             32  u32 page count
 *     leaf body:     count x (u16 key length, u16 value length, key, value)
 *     internal body: u32 child 0, then count x (u16 key length, key, u32 child)
 *
 * The page number inside the page catches a page written to the wrong place; the checksum
 * catches torn writes and flipped bits. Unused bytes are zero. The meta record is kept twice so
 * that one flipped byte can never make recovery fall back to an older commit: see
 * {@link decodeMeta}.
 * @module
 */

import { crc32c } from '../../shared/checksum.js';
import { CorruptionError } from '../../shared/errors.js';

/** Bytes per page: a common file-system block and SSD page size. */
export const PAGE_SIZE = 4096;
/** Bytes of the header: checksum 4, page number 4, kind 1, zero 1, count 2, used 2, zero 2. */
export const PAGE_HEADER_SIZE = 16;
/** Bytes available to a node's entries. */
export const PAGE_BODY_SIZE = PAGE_SIZE - PAGE_HEADER_SIZE;
/** Longest key the tree accepts; keeps at least three entries in every page. */
export const MAX_KEY_BYTES = 256;
/** Longest value the tree accepts (no overflow pages; see the stretch tasks). */
export const MAX_VALUE_BYTES = 1024;
/**
 * A node other than the root that uses fewer body bytes than this is underfull and must be
 * merged with or refilled from a sibling. A quarter of the body, so that a split (two halves of
 * more than a page) and a redistribution (two halves of more than a page) always leave both
 * sides above it even with the largest entries.
 */
export const MIN_FILL_BYTES = PAGE_BODY_SIZE / 4;
/** Pages 0 and 1 are the two meta pages; the first node page is 2. */
export const FIRST_NODE_PAGE = 2;
/** "BTRE" in ASCII: marks a meta page of this format. */
export const META_MAGIC = 0x42545245;
/** Format version written in the meta page (2: the meta record is stored twice). */
export const FORMAT_VERSION = 2;
/** Bytes of one copy of the meta record: a meta page holds two, at 0 and at this offset. */
export const META_COPY_BYTES = PAGE_SIZE / 2;

/** The kind byte at offset 8 of every page. */
export const PageKind = { leaf: 1, internal: 2, meta: 3 } as const;

/** A leaf: sorted keys and their values (`values[i]` belongs to `keys[i]`). */
export interface LeafNode {
  readonly kind: 'leaf';
  keys: Uint8Array[];
  values: Uint8Array[];
}

/**
 * An internal node: `children.length === keys.length + 1`. Every key in the subtree of
 * `children[i]` is `>= keys[i - 1]` and `< keys[i]` (the separators).
 */
export interface InternalNode {
  readonly kind: 'internal';
  keys: Uint8Array[];
  children: number[];
}

/** One decoded node page. */
export type BTreeNode = LeafNode | InternalNode;

/** The contents of a meta page: which commit it records and where that commit's tree is. */
export interface MetaPage {
  /** Commit number; the valid meta page with the larger one is current. */
  readonly txn: number;
  /** Page number of the root node. */
  readonly root: number;
  /** Pages in use by the file at this commit (node pages are below it). */
  readonly pageCount: number;
}

/** Bytes one leaf entry takes in the body. */
export function leafEntrySize(key: Uint8Array, value: Uint8Array): number {
  return 4 + key.length + value.length;
}

/** Bytes one internal entry (a separator and the child to its right) takes in the body. */
export function internalEntrySize(key: Uint8Array): number {
  return 2 + key.length + 4;
}

/** Bytes `node`'s body takes when encoded; a node fits a page when this is at most PAGE_BODY_SIZE. */
export function nodeBodySize(node: BTreeNode): number {
  let size = 0;
  if (node.kind === 'leaf') {
    for (let i = 0; i < node.keys.length; i++) size += leafEntrySize(node.keys[i]!, node.values[i]!);
  } else {
    size = 4;
    for (const key of node.keys) size += internalEntrySize(key);
  }
  return size;
}

/**
 * Encodes `node` as page `pageNo`: a PAGE_SIZE array with header, body and checksum. A node whose
 * body does not fit ({@link nodeBodySize} above {@link PAGE_BODY_SIZE}) is a bug in the caller,
 * which must split it first: throw a `RangeError`.
 */
export function encodeNode(pageNo: number, node: BTreeNode): Uint8Array {
  const used = nodeBodySize(node);
  if (used > PAGE_BODY_SIZE) {
    throw new RangeError(`encodeNode: page ${pageNo} needs ${used} body bytes, more than ${PAGE_BODY_SIZE}`);
  }
  const page = new Uint8Array(PAGE_SIZE);
  const view = new DataView(page.buffer);
  view.setUint32(4, pageNo);
  view.setUint8(8, node.kind === 'leaf' ? PageKind.leaf : PageKind.internal);
  view.setUint16(10, node.keys.length);
  view.setUint16(12, used);
  let at = PAGE_HEADER_SIZE;
  if (node.kind === 'leaf') {
    for (let i = 0; i < node.keys.length; i++) {
      const key = node.keys[i]!;
      const value = node.values[i]!;
      view.setUint16(at, key.length);
      view.setUint16(at + 2, value.length);
      page.set(key, at + 4);
      page.set(value, at + 4 + key.length);
      at += 4 + key.length + value.length;
    }
  } else {
    view.setUint32(at, node.children[0]!);
    at += 4;
    for (let i = 0; i < node.keys.length; i++) {
      const key = node.keys[i]!;
      view.setUint16(at, key.length);
      page.set(key, at + 2);
      view.setUint32(at + 2 + key.length, node.children[i + 1]!);
      at += 2 + key.length + 4;
    }
  }
  view.setUint32(0, crc32c(page, 4, PAGE_SIZE));
  return page;
}

/**
 * Decodes page `pageNo` of `file`. Verifies the checksum, the page number and every length
 * before trusting any of it; on any mismatch throws a {@link CorruptionError} naming `file` and
 * the byte offset in the file where the bad page (or the bad field) is.
 */
export function decodeNode(pageNo: number, page: Uint8Array, file: string): BTreeNode {
  const base = pageNo * PAGE_SIZE;
  const view = checkedView(pageNo, page, file);
  const kind = view.getUint8(8);
  if (kind !== PageKind.leaf && kind !== PageKind.internal) {
    throw new CorruptionError(file, base + 8, `page ${pageNo} has kind ${kind}, expected a leaf (1) or internal (2) node`);
  }
  const count = view.getUint16(10);
  const used = view.getUint16(12);
  const end = PAGE_HEADER_SIZE + used;
  if (end > PAGE_SIZE) throw new CorruptionError(file, base + 12, `page ${pageNo} claims ${used} body bytes`);
  const bad = (at: number, what: string): CorruptionError =>
    new CorruptionError(file, base + at, `page ${pageNo}: ${what} runs past the ${used} body bytes`);
  let at = PAGE_HEADER_SIZE;
  const keys: Uint8Array[] = [];
  // One copy of the body; keys and values are views into it. One allocation per page instead
  // of two per entry, and the node does not keep the caller's page buffer alive.
  const body = page.slice(0, end);
  if (kind === PageKind.leaf) {
    const values: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      if (at + 4 > end) throw bad(at, `the header of entry ${i}`);
      const keyLength = view.getUint16(at);
      const valueLength = view.getUint16(at + 2);
      const next = at + 4 + keyLength + valueLength;
      if (next > end) throw bad(at, `entry ${i}`);
      keys.push(body.subarray(at + 4, at + 4 + keyLength));
      values.push(body.subarray(at + 4 + keyLength, next));
      at = next;
    }
    if (at !== end) throw new CorruptionError(file, base + at, `page ${pageNo}: entries end before the ${used} body bytes`);
    return { kind: 'leaf', keys, values };
  }
  if (at + 4 > end) throw bad(at, 'the first child');
  const children: number[] = [view.getUint32(at)];
  at += 4;
  for (let i = 0; i < count; i++) {
    if (at + 2 > end) throw bad(at, `the key length of entry ${i}`);
    const keyLength = view.getUint16(at);
    const next = at + 2 + keyLength + 4;
    if (next > end) throw bad(at, `entry ${i}`);
    keys.push(body.subarray(at + 2, at + 2 + keyLength));
    children.push(view.getUint32(at + 2 + keyLength));
    at = next;
  }
  if (at !== end) throw new CorruptionError(file, base + at, `page ${pageNo}: entries end before the ${used} body bytes`);
  return { kind: 'internal', keys, children };
}

/**
 * Encodes meta page `slot` (0 or 1) recording `meta`: the record twice, at byte 0 and at byte
 * {@link META_COPY_BYTES}, each copy with its own checksum.
 */
export function encodeMeta(slot: number, meta: MetaPage): Uint8Array {
  const page = new Uint8Array(PAGE_SIZE);
  for (const at of [0, META_COPY_BYTES]) {
    const view = new DataView(page.buffer, at, META_COPY_BYTES);
    view.setUint32(4, slot);
    view.setUint8(8, PageKind.meta);
    view.setUint32(12, META_MAGIC);
    view.setUint32(16, FORMAT_VERSION);
    view.setUint32(20, PAGE_SIZE);
    view.setUint32(24, meta.txn);
    view.setUint32(28, meta.root);
    view.setUint32(32, meta.pageCount);
    view.setUint32(0, crc32c(page, at + 4, at + META_COPY_BYTES));
  }
  return page;
}

/**
 * Decodes meta page `slot` of `file`: of its two copies, the valid one with the larger commit
 * number. A copy is invalid when its checksum, page number, kind, magic, version or page size is
 * wrong, or when its root is not a node page below its page count. Throws a
 * {@link CorruptionError} only when neither copy is valid, naming the offset of the first
 * copy's fault.
 *
 * Why two copies: a torn write leaves a *prefix* of the new page, so a copy that passes its
 * checksum is always a whole record, of the new commit or of the one the slot held before. A
 * flipped byte damages one copy and leaves the other. With a single copy, a flipped byte in the
 * newest meta page would look like a torn commit, and recovery would silently go back to the
 * commit before; with two, recovery still finds the newest commit.
 */
export function decodeMeta(slot: number, page: Uint8Array, file: string): MetaPage {
  let newest: MetaPage | undefined;
  let firstError: CorruptionError | undefined;
  for (const at of [0, META_COPY_BYTES]) {
    try {
      const meta = decodeMetaCopy(slot, page, at, file);
      if (newest === undefined || meta.txn > newest.txn) newest = meta;
    } catch (error) {
      if (!(error instanceof CorruptionError)) throw error;
      firstError ??= error;
    }
  }
  if (newest === undefined) throw firstError!;
  return newest;
}

/** Decodes the copy of meta page `slot` that starts at byte `at` of the page. */
function decodeMetaCopy(slot: number, page: Uint8Array, at: number, file: string): MetaPage {
  const base = slot * PAGE_SIZE + at;
  const view = checkedView(slot, page, file, at, META_COPY_BYTES);
  const expect = (offset: number, actual: number, wanted: number, what: string): void => {
    if (actual !== wanted) {
      throw new CorruptionError(file, base + offset, `meta page ${slot} (copy at ${at}): ${what} is ${actual}, expected ${wanted}`);
    }
  };
  expect(8, view.getUint8(8), PageKind.meta, 'the kind');
  expect(12, view.getUint32(12), META_MAGIC, 'the magic number');
  expect(16, view.getUint32(16), FORMAT_VERSION, 'the format version');
  expect(20, view.getUint32(20), PAGE_SIZE, 'the page size');
  const meta: MetaPage = { txn: view.getUint32(24), root: view.getUint32(28), pageCount: view.getUint32(32) };
  if (meta.root < FIRST_NODE_PAGE || meta.root >= meta.pageCount) {
    throw new CorruptionError(file, base + 28, `meta page ${slot} (copy at ${at}): root ${meta.root} is outside pages [2, ${meta.pageCount})`);
  }
  return meta;
}

/**
 * Checks a page's size, and the checksum and page number of its `length` bytes from `at` (the
 * whole page, or one copy of a meta record); returns a view of those bytes, so that offsets in
 * it count from `at`. A page of the wrong size is reported at `pageNo * PAGE_SIZE` plus its size.
 */
function checkedView(pageNo: number, page: Uint8Array, file: string, at = 0, length = PAGE_SIZE): DataView {
  const base = pageNo * PAGE_SIZE + at;
  if (page.length !== PAGE_SIZE) {
    throw new CorruptionError(file, pageNo * PAGE_SIZE + page.length, `page ${pageNo} is ${page.length} bytes long, expected ${PAGE_SIZE}`);
  }
  const view = new DataView(page.buffer, page.byteOffset + at, length);
  const stored = view.getUint32(0);
  const computed = crc32c(page, at + 4, at + length);
  if (stored !== computed) {
    throw new CorruptionError(
      file,
      base,
      `page ${pageNo} checksum mismatch (stored 0x${hex(stored)}, computed 0x${hex(computed)})`,
    );
  }
  const stamped = view.getUint32(4);
  if (stamped !== pageNo) {
    throw new CorruptionError(file, base + 4, `page ${pageNo} holds page ${stamped}: it was written to the wrong place`);
  }
  return view;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
