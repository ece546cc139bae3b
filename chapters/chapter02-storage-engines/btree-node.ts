/**
 * Exercises 3.3 and 3.4: what happens inside one node, with no disk involved: binary search,
 * choosing a child, splitting a node that outgrew its page, and merging or rebalancing two
 * siblings when one became underfull.
 *
 * Sizes are in encoded bytes ({@link nodeBodySize}), not in entries: keys and values vary in
 * length, so "half full" means half the bytes.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import { compareBytes } from '../../shared/bytes.js';
import {
  PAGE_BODY_SIZE,
  internalEntrySize,
  leafEntrySize,
  nodeBodySize,
  type BTreeNode,
  type InternalNode,
  type LeafNode,
} from './btree-page.js';

/** The result of splitting a node: the new right sibling and the key that separates the two. */
export interface Split {
  /** Every key left of it is smaller; every key in `right` is at least this. */
  readonly separator: Uint8Array;
  /** The new right node; the split node keeps the left part. */
  readonly right: BTreeNode;
}

/** The first index `i` with `keys[i] >= key` (`keys.length` when there is none). */
export function lowerBound(keys: readonly Uint8Array[], key: Uint8Array): number {
  throw new NotImplementedError({
    exercise: '3.3 Search and insert',
    file: 'chapter02-storage-engines/btree-node.ts',
    section: '3.3 Search and insert',
  });
}

/**
 * The index of the child of internal `node` whose subtree holds `key`: the number of
 * separators `<= key`, since `children[i]` holds the keys in `[keys[i - 1], keys[i])`.
 */
export function childIndex(node: InternalNode, key: Uint8Array): number {
  throw new NotImplementedError({
    exercise: '3.3 Search and insert',
    file: 'chapter02-storage-engines/btree-node.ts',
    section: '3.3 Search and insert',
  });
}

/**
 * Splits `node` (which must hold at least two leaf entries or three separators) into two
 * nodes of as nearly equal encoded size as possible. `node` keeps the left part; the right part
 * and the separator for the parent are returned. A leaf's separator is a copy of the right
 * node's first key (it stays in the leaf); an internal node's middle separator moves up to the
 * parent and is in neither half.
 */
export function splitNode(node: BTreeNode): Split {
  throw new NotImplementedError({
    exercise: '3.3 Search and insert',
    file: 'chapter02-storage-engines/btree-node.ts',
    section: '3.3 Search and insert',
  });
}

/**
 * Moves everything of `right` into `left`; `separator` is the parent's key between them, which
 * an internal merge pulls down between the two halves' keys. `right` must not be used after.
 */
export function mergeNodes(left: BTreeNode, separator: Uint8Array, right: BTreeNode): void {
  throw new NotImplementedError({
    exercise: '3.4 Delete',
    file: 'chapter02-storage-engines/btree-node.ts',
    section: '3.4 Delete',
  });
}

/**
 * Repairs two adjacent siblings after one became underfull. If everything fits in one page,
 * merges `right` into `left` and returns `undefined` (the parent must drop `right` and
 * `separator`). Otherwise shares the entries out evenly between the two and returns the new
 * separator (`left` and `right` are updated in place).
 */
export function rebalance(left: BTreeNode, separator: Uint8Array, right: BTreeNode): Uint8Array | undefined {
  throw new NotImplementedError({
    exercise: '3.4 Delete',
    file: 'chapter02-storage-engines/btree-node.ts',
    section: '3.4 Delete',
  });
}

/**
 * The cut `m` in `[min, max]` that best balances `sum(sizes[0, m))` against `sum(sizes[m, n))`.
 * When `cutMoves` (an internal node), the entry at the cut moves to the parent and counts on
 * neither side. (Each half also has a fixed part, 4 bytes for an internal node's first child,
 * the same on both sides, so it does not change which cut is best.)
 */
function balancedCut(sizes: readonly number[], min: number, max: number, cutMoves: boolean): number {
  throw new NotImplementedError({
    exercise: '3.3 Search and insert',
    file: 'chapter02-storage-engines/btree-node.ts',
    section: '3.3 Search and insert',
  });
}
