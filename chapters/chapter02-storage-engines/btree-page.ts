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
import { CorruptionError, NotImplementedError } from '../../shared/errors.js';

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
  throw new NotImplementedError({
    exercise: '3.1 Page layout',
    file: 'chapter02-storage-engines/btree-page.ts',
    section: '3.1 Page layout',
  });
}

/**
 * Encodes `node` as page `pageNo`: a PAGE_SIZE array with header, body and checksum. A node whose
 * body does not fit ({@link nodeBodySize} above {@link PAGE_BODY_SIZE}) is a bug in the caller,
 * which must split it first: throw a `RangeError`.
 */
export function encodeNode(pageNo: number, node: BTreeNode): Uint8Array {
  throw new NotImplementedError({
    exercise: '3.1 Page layout',
    file: 'chapter02-storage-engines/btree-page.ts',
    section: '3.1 Page layout',
  });
}

/**
 * Decodes page `pageNo` of `file`. Verifies the checksum, the page number and every length
 * before trusting any of it; on any mismatch throws a {@link CorruptionError} naming `file` and
 * the byte offset in the file where the bad page (or the bad field) is.
 */
export function decodeNode(pageNo: number, page: Uint8Array, file: string): BTreeNode {
  throw new NotImplementedError({
    exercise: '3.1 Page layout',
    file: 'chapter02-storage-engines/btree-page.ts',
    section: '3.1 Page layout',
  });
}

/**
 * Encodes meta page `slot` (0 or 1) recording `meta`: the record twice, at byte 0 and at byte
 * {@link META_COPY_BYTES}, each copy with its own checksum.
 */
export function encodeMeta(slot: number, meta: MetaPage): Uint8Array {
  throw new NotImplementedError({
    exercise: '3.1 Page layout',
    file: 'chapter02-storage-engines/btree-page.ts',
    section: '3.1 Page layout',
  });
}

/**
 * Decodes meta page `slot` of `file`: of its two copies, the valid one with the larger commit
 * number. A copy is invalid when its checksum, page number, kind, magic, version or page size is
 * wrong, or when its root is not a node page below its page count. Throws a
 * {@link CorruptionError} only when neither copy is valid, naming the offset of the first
 * copy's fault.
 */
export function decodeMeta(slot: number, page: Uint8Array, file: string): MetaPage {
  throw new NotImplementedError({
    exercise: '3.1 Page layout',
    file: 'chapter02-storage-engines/btree-page.ts',
    section: '3.1 Page layout',
  });
}

/**
 * Checks a page's size, and the checksum and page number of its `length` bytes from `at` (the
 * whole page, or one copy of a meta record); returns a view of those bytes, so that offsets in
 * it count from `at`. A page of the wrong size is reported at `pageNo * PAGE_SIZE` plus its size.
 */
function checkedView(pageNo: number, page: Uint8Array, file: string, at = 0, length = PAGE_SIZE): DataView {
  throw new NotImplementedError({
    exercise: '3.1 Page layout',
    file: 'chapter02-storage-engines/btree-page.ts',
    section: '3.1 Page layout',
  });
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
