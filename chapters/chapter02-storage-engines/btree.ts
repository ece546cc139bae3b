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
import { NotImplementedError, UsageError } from '../../shared/errors.js';
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
    throw new NotImplementedError({
      exercise: '3.3 Search and insert',
      file: 'chapter02-storage-engines/btree.ts',
      section: '3.3 Search and insert',
    });
  }

  put(key: Uint8Array, value: Uint8Array): void {
    throw new NotImplementedError({
      exercise: '3.3 Search and insert',
      file: 'chapter02-storage-engines/btree.ts',
      section: '3.3 Search and insert',
    });
  }

  delete(key: Uint8Array): void {
    throw new NotImplementedError({
      exercise: '3.4 Delete',
      file: 'chapter02-storage-engines/btree.ts',
      section: '3.4 Delete',
    });
  }

  /** Atomic because nothing is durable before the next commit, and a commit is all or nothing. */
  batch(ops: readonly BatchOp[]): void {
    throw new NotImplementedError({
      exercise: '3.4 Delete',
      file: 'chapter02-storage-engines/btree.ts',
      section: '3.4 Delete',
    });
  }

  *scan(range: KeyRange = {}): IterableIterator<Entry> {
    throw new NotImplementedError({
      exercise: '3.5 Range scans',
      file: 'chapter02-storage-engines/btree.ts',
      section: '3.5 Range scans',
    });
  }

  /** Commits every change so far: after this returns, a crash loses none of it. */
  sync(): void {
    throw new NotImplementedError({
      exercise: '3.6 Crash safety',
      file: 'chapter02-storage-engines/btree.ts',
      section: '3.6 Crash safety',
    });
  }

  /** Commits, then closes the file. Later calls throw a `UsageError`. */
  close(): void {
    throw new NotImplementedError({
      exercise: '3.6 Crash safety',
      file: 'chapter02-storage-engines/btree.ts',
      section: '3.6 Crash safety',
    });
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
    throw new NotImplementedError({
      exercise: '3.3 Search and insert',
      file: 'chapter02-storage-engines/btree.ts',
      section: '3.3 Search and insert',
    });
  }

  /**
   * Applies `change` to the subtree rooted at `pageNo`. Returns `undefined` when nothing
   * changed (deleting an absent key), else where the subtree now lives and what the parent
   * must fix.
   */
  private change(pageNo: number, change: Change): Outcome | undefined {
    throw new NotImplementedError({
      exercise: '3.3 Search and insert',
      file: 'chapter02-storage-engines/btree.ts',
      section: '3.3 Search and insert',
    });
  }

  /** Splits `node` (now in page `pageNo`) if it outgrew its page; reports whether it is underfull. */
  private settle(pageNo: number, node: BTreeNode): Outcome {
    throw new NotImplementedError({
      exercise: '3.3 Search and insert',
      file: 'chapter02-storage-engines/btree.ts',
      section: '3.3 Search and insert',
    });
  }

  /** Child `i` of `parent` is underfull: merge it with a sibling, or even the two out. */
  private repair(parent: InternalNode, i: number): void {
    throw new NotImplementedError({
      exercise: '3.4 Delete',
      file: 'chapter02-storage-engines/btree.ts',
      section: '3.4 Delete',
    });
  }

  /** Yields the entries of the subtree at `pageNo` that fall in `range`, in range order. */
  private *walk(pageNo: number, range: KeyRange): Generator<Entry> {
    throw new NotImplementedError({
      exercise: '3.5 Range scans',
      file: 'chapter02-storage-engines/btree.ts',
      section: '3.5 Range scans',
    });
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
