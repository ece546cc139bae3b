/**
 * Exercises 3.3 and 3.4: what happens inside one node, with no disk involved: binary search,
 * choosing a child, splitting a node that outgrew its page, and merging or rebalancing two
 * siblings when one became underfull.
 *
 * Sizes are in encoded bytes ({@link nodeBodySize}), not in entries: keys and values vary in
 * length, so "half full" means half the bytes.
 * @module
 */

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
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The index of the child of internal `node` whose subtree holds `key`: the number of
 * separators `<= key`, since `children[i]` holds the keys in `[keys[i - 1], keys[i])`.
 */
export function childIndex(node: InternalNode, key: Uint8Array): number {
  let lo = 0;
  let hi = node.keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(node.keys[mid]!, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Splits `node` (which must hold at least two leaf entries or three separators) into two
 * nodes of as nearly equal encoded size as possible. `node` keeps the left part; the right part
 * and the separator for the parent are returned. A leaf's separator is a copy of the right
 * node's first key (it stays in the leaf); an internal node's middle separator moves up to the
 * parent and is in neither half.
 */
export function splitNode(node: BTreeNode): Split {
  if (node.kind === 'leaf') {
    const sizes = node.keys.map((key, i) => leafEntrySize(key, node.values[i]!));
    const m = balancedCut(sizes, 1, node.keys.length - 1, false);
    const right: LeafNode = { kind: 'leaf', keys: node.keys.slice(m), values: node.values.slice(m) };
    node.keys.length = m;
    node.values.length = m;
    return { separator: right.keys[0]!, right };
  }
  // keys[m] moves up; the left keeps keys[0, m) and children[0, m]; the right the rest.
  const sizes = node.keys.map((key) => internalEntrySize(key));
  const m = balancedCut(sizes, 1, node.keys.length - 2, true);
  const separator = node.keys[m]!;
  const right: InternalNode = { kind: 'internal', keys: node.keys.slice(m + 1), children: node.children.slice(m + 1) };
  node.keys.length = m;
  node.children.length = m + 1;
  return { separator, right };
}

/**
 * Moves everything of `right` into `left`; `separator` is the parent's key between them, which
 * an internal merge pulls down between the two halves' keys. `right` must not be used after.
 */
export function mergeNodes(left: BTreeNode, separator: Uint8Array, right: BTreeNode): void {
  if (left.kind === 'leaf' && right.kind === 'leaf') {
    left.keys.push(...right.keys);
    left.values.push(...right.values);
  } else if (left.kind === 'internal' && right.kind === 'internal') {
    left.keys.push(separator, ...right.keys);
    left.children.push(...right.children);
  } else {
    throw new Error(`mergeNodes: siblings of different kinds (${left.kind}, ${right.kind}): the tree is unbalanced`);
  }
}

/**
 * Repairs two adjacent siblings after one became underfull. If everything fits in one page,
 * merges `right` into `left` and returns `undefined` (the parent must drop `right` and
 * `separator`). Otherwise shares the entries out evenly between the two and returns the new
 * separator (`left` and `right` are updated in place).
 */
export function rebalance(left: BTreeNode, separator: Uint8Array, right: BTreeNode): Uint8Array | undefined {
  mergeNodes(left, separator, right);
  if (nodeBodySize(left) <= PAGE_BODY_SIZE) return undefined;
  // Too big for one page: split the merged node again, evenly, into the same two nodes.
  const split = splitNode(left);
  if (right.kind === 'leaf' && split.right.kind === 'leaf') {
    right.keys = split.right.keys;
    right.values = split.right.values;
  } else if (right.kind === 'internal' && split.right.kind === 'internal') {
    right.keys = split.right.keys;
    right.children = split.right.children;
  }
  return split.separator;
}

/**
 * The cut `m` in `[min, max]` that best balances `sum(sizes[0, m))` against `sum(sizes[m, n))`.
 * When `cutMoves` (an internal node), the entry at the cut moves to the parent and counts on
 * neither side. (Each half also has a fixed part, 4 bytes for an internal node's first child,
 * the same on both sides, so it does not change which cut is best.)
 */
function balancedCut(sizes: readonly number[], min: number, max: number, cutMoves: boolean): number {
  let total = 0;
  for (const s of sizes) total += s;
  let best = min;
  let bestDiff = Infinity;
  let left = 0;
  for (let m = 0; m <= max; m++) {
    if (m >= min) {
      const right = total - left - (cutMoves ? sizes[m]! : 0);
      const diff = Math.abs(left - right);
      if (diff < bestDiff) {
        bestDiff = diff;
        best = m;
      }
    }
    left += sizes[m]!;
  }
  return best;
}
