/**
 * Exercises 3.3 to 3.6: a B-tree on 4 KiB pages in one file, implementing {@link DurableKV}.
 *
 * - Search descends from the root, one page per level (3.3).
 * - Insert adds to a leaf; a node that outgrows its page splits and sends a separator up; a
 *   root that splits makes the tree one level taller (3.3).
 * - Delete removes from a leaf; a node that falls below {@link MIN_FILL_BYTES} is merged with a
 *   sibling or refilled from it; a root left with one child is dropped (3.4).
 * - Scans walk the tree in order between two bounds, either way (3.5).
 * - Every change copies the pages on the path from the root (copy-on-write, through
 *   {@link Pager.update}); `sync` commits by switching the meta page (3.6).
 *
 * Sync policy: `put`, `delete` and `batch` change pages in memory (and fresh pages on disk
 * when the cache evicts them); they become durable when `sync` or `close` returns. After a
 * crash the tree is exactly as it was at the last completed `sync` or `close`.
 * @module
 */

import { compareBytes } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import type { FileSystem } from '../../shared/fs/file-system.js';
import type { BatchOp, DurableKV, Entry, KeyRange } from '../../shared/kv.js';
import { childIndex, lowerBound, rebalance, splitNode } from './btree-node.js';
import {
  MAX_KEY_BYTES,
  MAX_VALUE_BYTES,
  MIN_FILL_BYTES,
  PAGE_BODY_SIZE,
  nodeBodySize,
  type BTreeNode,
  type InternalNode,
} from './btree-page.js';
import { Pager, type PagerOptions, type PagerStats } from './btree-pager.js';

/** A B-tree invariant that does not hold; thrown by {@link BTree.checkInvariants}. */
export class BTreeInvariantError extends Error {
  override readonly name = 'BTreeInvariantError';
  /** The page where the invariant fails. */
  readonly page: number;
  /** Which invariant: `order`, `balance`, `fill` or `structure`. */
  readonly rule: 'order' | 'balance' | 'fill' | 'structure';

  constructor(page: number, rule: BTreeInvariantError['rule'], detail: string) {
    super(
      `B-tree invariant "${rule}" fails at page ${page}: ${detail}  [notes: "B-trees"; splits are "3.3 Search and insert", merges "3.4 Delete"]`,
    );
    this.page = page;
    this.rule = rule;
  }
}

/** What {@link BTree.checkInvariants} measured. */
export interface BTreeShape {
  /** Levels, counting the root and the leaves (1 for a root leaf). */
  readonly height: number;
  /** Node pages in the tree. */
  readonly pages: number;
  /** Key-value pairs stored. */
  readonly entries: number;
}

/** One operation that changes a leaf. */
type Change = { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array } | { readonly type: 'delete'; readonly key: Uint8Array };

/** What changing a subtree did to it, for the parent to fix up. */
interface Outcome {
  /** The page that holds the subtree's root now (copy-on-write may have moved it). */
  readonly page: number;
  /** Set when the subtree's root split: the parent must add `right` after `page`. */
  readonly split?: { readonly separator: Uint8Array; readonly right: number };
  /** The subtree's root is now below the minimum fill. */
  readonly underfull: boolean;
}

/** A B-tree key-value store in one file of 4 KiB pages. */
export class BTree implements DurableKV {
  private readonly pager: Pager;
  private root: number;
  // Bumped by every change; a scan that sees it move fails rather than read a changed tree.
  private version = 0;
  private closed = false;

  private constructor(pager: Pager) {
    this.pager = pager;
    this.root = pager.committedRoot;
  }

  /**
   * Opens (or creates) the B-tree file at `path` on `fs`. Creating is crash-safe (see
   * {@link Pager.open}): a crash while creating leaves no tree at `path`, and the next open
   * creates it.
   */
  static open(fs: FileSystem, path: string, options: PagerOptions = {}): BTree {
    return new BTree(Pager.open(fs, path, options));
  }

  /** The pager's counters: pages read and written, cache hits, commits. */
  get stats(): Readonly<PagerStats> {
    return this.pager.stats;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.checkOpen();
    let node = this.pager.read(this.root);
    while (node.kind === 'internal') node = this.pager.read(node.children[childIndex(node, key)]!);
    const i = lowerBound(node.keys, key);
    if (i < node.keys.length && compareBytes(node.keys[i]!, key) === 0) return node.values[i]!.slice();
    return undefined;
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.checkOpen();
    checkEntry(key, value);
    this.apply({ type: 'put', ...copyEntry(key, value) });
  }

  delete(key: Uint8Array): void {
    this.checkOpen();
    checkKey(key);
    this.apply({ type: 'delete', key });
  }

  /** Atomic because nothing is durable before the next commit, and a commit is all or nothing. */
  batch(ops: readonly BatchOp[]): void {
    this.checkOpen();
    // Validate everything first, so a bad operation changes nothing.
    for (const op of ops) {
      if (op.type === 'put') checkEntry(op.key, op.value);
      else checkKey(op.key);
    }
    for (const op of ops) {
      if (op.type === 'put') this.apply({ type: 'put', ...copyEntry(op.key, op.value) });
      else this.apply({ type: 'delete', key: op.key });
    }
  }

  *scan(range: KeyRange = {}): IterableIterator<Entry> {
    this.checkOpen();
    const limit = range.limit ?? Infinity;
    if (limit <= 0) return;
    const version = this.version;
    let yielded = 0;
    for (const entry of this.walk(this.root, range)) {
      yield entry;
      if (this.version !== version || this.closed) {
        throw new UsageError('BTree: the tree was changed or closed during a scan; collect the scan first with [...tree.scan()]');
      }
      if (++yielded >= limit) return;
    }
  }

  /** Commits every change so far: after this returns, a crash loses none of it. */
  sync(): void {
    this.checkOpen();
    this.pager.commit(this.root);
  }

  /** Commits, then closes the file. Later calls throw a `UsageError`. */
  close(): void {
    if (this.closed) return;
    this.pager.commit(this.root);
    this.pager.close();
    this.closed = true;
    this.version++;
  }

  /**
   * Checks the B-tree invariants over the whole tree and returns its shape, or throws a
   * {@link BTreeInvariantError} naming the page and the rule:
   *
   * - order: keys strictly increase within every node, and every key in a child's subtree lies
   *   between the separators around that child;
   * - balance: every leaf is at the same depth;
   * - fill: every node fits its page, every node but the root uses at least MIN_FILL_BYTES,
   *   an internal root has at least two children;
   * - structure: no page appears twice, and internal nodes have one more child than keys.
   */
  checkInvariants(): BTreeShape {
    this.checkOpen();
    const seen = new Set<number>();
    let leafDepth = -1;
    let entries = 0;
    const visit = (pageNo: number, depth: number, low: Uint8Array | undefined, high: Uint8Array | undefined): void => {
      if (seen.has(pageNo)) throw new BTreeInvariantError(pageNo, 'structure', 'the page is reachable twice');
      seen.add(pageNo);
      const node = this.pager.read(pageNo);
      const size = nodeBodySize(node);
      if (size > PAGE_BODY_SIZE) throw new BTreeInvariantError(pageNo, 'fill', `${size} body bytes do not fit a page`);
      if (pageNo !== this.root && size < MIN_FILL_BYTES) {
        throw new BTreeInvariantError(pageNo, 'fill', `${size} body bytes, below the minimum of ${MIN_FILL_BYTES}`);
      }
      for (let i = 0; i < node.keys.length; i++) {
        const key = node.keys[i]!;
        if (i > 0 && compareBytes(node.keys[i - 1]!, key) >= 0) {
          throw new BTreeInvariantError(pageNo, 'order', `key ${i} is not greater than key ${i - 1}`);
        }
        if ((low !== undefined && compareBytes(key, low) < 0) || (high !== undefined && compareBytes(key, high) >= 0)) {
          throw new BTreeInvariantError(pageNo, 'order', `key ${i} lies outside the range its parent's separators allow`);
        }
      }
      if (node.kind === 'leaf') {
        if (leafDepth === -1) leafDepth = depth;
        if (depth !== leafDepth) {
          throw new BTreeInvariantError(pageNo, 'balance', `a leaf at depth ${depth}, another at depth ${leafDepth}`);
        }
        entries += node.keys.length;
        return;
      }
      if (node.children.length !== node.keys.length + 1) {
        throw new BTreeInvariantError(pageNo, 'structure', `${node.keys.length} keys but ${node.children.length} children`);
      }
      if (pageNo === this.root && node.keys.length === 0) {
        throw new BTreeInvariantError(pageNo, 'fill', 'an internal root with a single child should have been removed');
      }
      for (let i = 0; i < node.children.length; i++) {
        visit(node.children[i]!, depth + 1, i === 0 ? low : node.keys[i - 1], i === node.keys.length ? high : node.keys[i]);
      }
    };
    visit(this.root, 1, undefined, undefined);
    return { height: leafDepth, pages: seen.size, entries };
  }

  /** Applies one change from the root down, then fixes the root. */
  private apply(change: Change): void {
    this.version++;
    const outcome = this.change(this.root, change);
    if (outcome === undefined) return;
    this.root = outcome.page;
    if (outcome.split !== undefined) {
      // The root split: a new root one level up holds the two halves.
      const root: InternalNode = { kind: 'internal', keys: [outcome.split.separator], children: [outcome.page, outcome.split.right] };
      this.root = this.pager.allocate(root);
      return;
    }
    const node = this.pager.read(this.root);
    if (node.kind === 'internal' && node.keys.length === 0) {
      // Merging emptied the root: its only child becomes the root, one level down.
      this.pager.release(this.root);
      this.root = node.children[0]!;
    }
  }

  /**
   * Applies `change` to the subtree rooted at `pageNo`. Returns `undefined` when nothing
   * changed (deleting an absent key), else where the subtree now lives and what the parent
   * must fix.
   */
  private change(pageNo: number, change: Change): Outcome | undefined {
    const node = this.pager.read(pageNo);
    if (node.kind === 'leaf') {
      const i = lowerBound(node.keys, change.key);
      const found = i < node.keys.length && compareBytes(node.keys[i]!, change.key) === 0;
      if (change.type === 'put') {
        if (found) node.values[i] = change.value;
        else {
          node.keys.splice(i, 0, change.key);
          node.values.splice(i, 0, change.value);
        }
      } else {
        if (!found) return undefined;
        node.keys.splice(i, 1);
        node.values.splice(i, 1);
      }
      return this.settle(this.pager.update(pageNo, node), node);
    }
    const i = childIndex(node, change.key);
    const below = this.change(node.children[i]!, change);
    if (below === undefined) return undefined;
    node.children[i] = below.page;
    if (below.split !== undefined) {
      node.keys.splice(i, 0, below.split.separator);
      node.children.splice(i + 1, 0, below.split.right);
    } else if (below.underfull) {
      this.repair(node, i);
    }
    return this.settle(this.pager.update(pageNo, node), node);
  }

  /** Splits `node` (now in page `pageNo`) if it outgrew its page; reports whether it is underfull. */
  private settle(pageNo: number, node: BTreeNode): Outcome {
    const size = nodeBodySize(node);
    if (size > PAGE_BODY_SIZE) {
      const { separator, right } = splitNode(node);
      const rightPage = this.pager.allocate(right);
      // Re-store the left half: it changed, and the cache may have evicted it meanwhile.
      this.pager.update(pageNo, node);
      return { page: pageNo, split: { separator, right: rightPage }, underfull: false };
    }
    return { page: pageNo, underfull: size < MIN_FILL_BYTES };
  }

  /** Child `i` of `parent` is underfull: merge it with a sibling, or even the two out. */
  private repair(parent: InternalNode, i: number): void {
    if (parent.children.length < 2) return;
    const l = i > 0 ? i - 1 : i;
    const left = this.pager.read(parent.children[l]!);
    const leftPage = this.pager.update(parent.children[l]!, left);
    const right = this.pager.read(parent.children[l + 1]!);
    const separator = rebalance(left, parent.keys[l]!, right);
    parent.children[l] = this.pager.update(leftPage, left);
    if (separator === undefined) {
      this.pager.release(parent.children[l + 1]!);
      parent.keys.splice(l, 1);
      parent.children.splice(l + 1, 1);
    } else {
      parent.keys[l] = separator;
      parent.children[l + 1] = this.pager.update(parent.children[l + 1]!, right);
    }
  }

  /** Yields the entries of the subtree at `pageNo` that fall in `range`, in range order. */
  private *walk(pageNo: number, range: KeyRange): Generator<Entry> {
    const node = this.pager.read(pageNo);
    if (node.kind === 'leaf') {
      const lo = range.start === undefined ? 0 : lowerBound(node.keys, range.start);
      const hi = range.end === undefined ? node.keys.length : lowerBound(node.keys, range.end);
      if (range.reverse) {
        for (let i = hi - 1; i >= lo; i--) yield { key: node.keys[i]!.slice(), value: node.values[i]!.slice() };
      } else {
        for (let i = lo; i < hi; i++) yield { key: node.keys[i]!.slice(), value: node.values[i]!.slice() };
      }
      return;
    }
    // Child i holds [keys[i-1], keys[i]): the first child that can hold `start` is the number
    // of separators <= start; the last that can hold a key < end is the number of separators
    // < end.
    const first = range.start === undefined ? 0 : childIndex(node, range.start);
    const last = range.end === undefined ? node.keys.length : lowerBound(node.keys, range.end);
    // Copy the child list: a scan must not follow a node changed under it (the version check
    // in scan stops it at the next entry).
    const children = node.children.slice(first, last + 1);
    if (range.reverse) children.reverse();
    for (const child of children) yield* this.walk(child, range);
  }

  private checkOpen(): void {
    if (this.closed) throw new UsageError('BTree: used after close');
  }
}

/** Opens the B-tree of directory `dir` (file `btree.db`): the one-line constructor for benchmarks. */
export function openBTree(fs: FileSystem, dir: string, options: PagerOptions = {}): BTree {
  return BTree.open(fs, dir === '' ? 'btree.db' : `${dir}/btree.db`, options);
}

/** Copies a key and its value into one new buffer (one allocation instead of two). */
function copyEntry(key: Uint8Array, value: Uint8Array): { key: Uint8Array; value: Uint8Array } {
  const both = new Uint8Array(key.length + value.length);
  both.set(key);
  both.set(value, key.length);
  return { key: both.subarray(0, key.length), value: both.subarray(key.length) };
}

function checkKey(key: Uint8Array): void {
  if (key.length > MAX_KEY_BYTES) {
    throw new UsageError(`BTree: a key of ${key.length} bytes is longer than the limit of ${MAX_KEY_BYTES} (MAX_KEY_BYTES)`);
  }
}

function checkEntry(key: Uint8Array, value: Uint8Array): void {
  checkKey(key);
  if (value.length > MAX_VALUE_BYTES) {
    throw new UsageError(`BTree: a value of ${value.length} bytes is longer than the limit of ${MAX_VALUE_BYTES} (MAX_VALUE_BYTES)`);
  }
}
