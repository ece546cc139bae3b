/**
 * Exercises 3.2 and 3.6: the pager. It owns the B-tree file: it reads pages through a cache of
 * decoded nodes, hands out page numbers, and commits with shadow paging (copy-on-write).
 *
 * Crash safety, in one rule: **a page reachable from the last committed meta page is never
 * written**. Changing such a page means writing the new version to a fresh page
 * ({@link Pager.update}); the old one is freed only once the next commit is durable. A commit
 * ({@link Pager.commit}) writes the dirty pages, syncs, then writes the other meta page, and
 * syncs again. A crash at any point leaves one valid meta page whose tree is intact.
 *
 * Creating the file follows the same idea: the new file is written and synced under a temporary
 * name and renamed into place ({@link Pager.open}), so the file's name never points at a file
 * without a valid meta page.
 * @module
 */

import { CorruptionError, UsageError } from '../../shared/errors.js';
import type { FileHandle, FileSystem } from '../../shared/fs/file-system.js';
import {
  FIRST_NODE_PAGE,
  PAGE_SIZE,
  decodeMeta,
  decodeNode,
  encodeMeta,
  encodeNode,
  type BTreeNode,
  type MetaPage,
} from './btree-page.js';

/** How a pager is opened. */
export interface PagerOptions {
  /** Decoded pages kept in memory (default 1024, i.e. 4 MiB of pages); at least 4. */
  readonly cachePages?: number;
}

/** Counters of a pager since it was opened. */
export interface PagerStats {
  /** Pages read from the file (cache misses). */
  pageReads: number;
  /** Reads served from the cache. */
  cacheHits: number;
  /** Pages written to the file, meta pages included. */
  pageWrites: number;
  /** Commits made (calls of `commit` that wrote a meta page). */
  commits: number;
}

interface CachedPage {
  node: BTreeNode;
  dirty: boolean;
  /** Read since the eviction hand last passed it: it gets a second chance. */
  referenced: boolean;
}

/** The page file under a B-tree: cache, allocation and copy-on-write commits. */
export class Pager {
  /** The file's path, named in every error. */
  readonly path: string;
  /** Counters; see {@link PagerStats}. */
  readonly stats: PagerStats = { pageReads: 0, cacheHits: 0, pageWrites: 0, commits: 0 };
  private readonly file: FileHandle;
  private readonly cachePages: number;
  // The page cache, evicted with the CLOCK algorithm (an approximation of least recently used
  // that PostgreSQL's buffer manager also uses): a hit only sets `referenced`; eviction walks
  // from the oldest entry, moving referenced ones to the back with the bit cleared, and drops
  // the first unreferenced one. Re-inserting on every hit would cost a Map delete and insert
  // on the hottest path of every lookup.
  private readonly cache = new Map<number, CachedPage>();
  // The last durable commit.
  private committed: MetaPage;
  // Pages [0, pageCount) are in use or free; new pages are taken from the end.
  private pageCount: number;
  // Free pages that no committed tree can reach: safe to overwrite now.
  private free: number[] = [];
  // Pages of the committed tree that this transaction replaced or dropped: free after commit.
  private pendingFree: number[] = [];
  // Pages allocated since the last commit: no committed tree reaches them, so they may be
  // written in place, as often as needed, until the commit.
  private fresh = new Set<number>();
  private closed = false;

  private constructor(file: FileHandle, options: PagerOptions, committed: MetaPage) {
    this.path = file.path;
    this.file = file;
    this.cachePages = Math.max(4, options.cachePages ?? 1024);
    this.committed = committed;
    this.pageCount = committed.pageCount;
  }

  /**
   * Opens the page file at `path`, creating it with an empty root leaf when it is absent or
   * empty, otherwise recovering the last commit (see {@link Pager.recover}).
   *
   * Creation is crash-safe: the new file is written under the name `path + '.tmp'`, synced, and
   * only then renamed to `path`, and the directory is synced. So `path` never names a file
   * without a valid meta page: a crash during creation leaves no tree at all (and perhaps a
   * leftover `.tmp` file, which the next creation overwrites), never a file that cannot be opened.
   */
  static open(fs: FileSystem, path: string, options: PagerOptions = {}): Pager {
    if (fs.exists(path)) {
      const file = fs.open(path, 'readwrite');
      if (file.size() > 0) {
        const pager = new Pager(file, options, { txn: 0, root: FIRST_NODE_PAGE, pageCount: FIRST_NODE_PAGE + 1 });
        pager.recover();
        return pager;
      }
      file.close(); // an empty file holds no commit: create the tree over it
    }
    return Pager.create(fs, path, options);
  }

  /** Writes a new tree beside `path`, makes it durable, then gives it its name. */
  private static create(fs: FileSystem, path: string, options: PagerOptions): Pager {
    // An empty leaf as root (page 2) and commit 1 in meta slot 1. Slot 0 reads as zero bytes,
    // which fail their checksum: recovery then uses slot 1.
    const root = FIRST_NODE_PAGE;
    const meta: MetaPage = { txn: 1, root, pageCount: root + 1 };
    const tmp = `${path}.tmp`;
    const building = fs.open(tmp, 'truncate');
    building.write(root * PAGE_SIZE, encodeNode(root, { kind: 'leaf', keys: [], values: [] }));
    building.write(1 * PAGE_SIZE, encodeMeta(1, meta));
    building.sync(); // the contents are durable before any name points at them
    building.close();
    fs.rename(tmp, path);
    fs.syncDir(parentDir(path)); // the name is durable too, or a crash could lose the whole file
    const pager = new Pager(fs.open(path, 'readwrite'), options, meta);
    pager.stats.pageWrites += 2;
    return pager;
  }

  /** The root page of the last commit. */
  get committedRoot(): number {
    return this.committed.root;
  }

  /** The number of the last commit (1 for a new file). */
  get committedTxn(): number {
    return this.committed.txn;
  }

  /** Pages the file has room for, free ones included. */
  get size(): number {
    return this.pageCount;
  }

  /**
   * The node in page `pageNo`, from the cache or else read, verified and decoded. Throws a
   * {@link CorruptionError} naming the file and the offset when the page fails its checksum.
   * Callers may change the node they get only if they then pass it to {@link Pager.update}.
   */
  read(pageNo: number): BTreeNode {
    this.checkOpen();
    const hit = this.cache.get(pageNo);
    if (hit !== undefined) {
      this.stats.cacheHits++;
      hit.referenced = true;
      return hit.node;
    }
    if (pageNo < FIRST_NODE_PAGE || pageNo >= this.pageCount) {
      throw new CorruptionError(this.path, pageNo * PAGE_SIZE, `a node points to page ${pageNo}, outside [2, ${this.pageCount})`);
    }
    const bytes = this.file.read(pageNo * PAGE_SIZE, PAGE_SIZE);
    this.stats.pageReads++;
    const node = decodeNode(pageNo, bytes, this.path);
    this.insert(pageNo, { node, dirty: false, referenced: true });
    return node;
  }

  /** Puts `node` in a new page and returns its number. The page is dirty until the commit. */
  allocate(node: BTreeNode): number {
    this.checkOpen();
    const pageNo = this.free.pop() ?? this.pageCount++;
    this.fresh.add(pageNo);
    this.insert(pageNo, { node, dirty: true, referenced: true });
    return pageNo;
  }

  /**
   * Stores `node` as the new contents of page `pageNo` and returns the page that now holds it:
   * `pageNo` itself when it was allocated since the last commit, otherwise a fresh copy (the
   * old page is freed once the next commit is durable). Callers must use the returned number.
   */
  update(pageNo: number, node: BTreeNode): number {
    this.checkOpen();
    if (this.fresh.has(pageNo)) {
      const cached = this.cache.get(pageNo);
      if (cached !== undefined) {
        cached.node = node;
        cached.dirty = true;
        cached.referenced = true;
      } else {
        this.insert(pageNo, { node, dirty: true, referenced: true });
      }
      return pageNo;
    }
    this.cache.delete(pageNo);
    this.pendingFree.push(pageNo);
    return this.allocate(node);
  }

  /** Page `pageNo` left the tree. It is reused at once if fresh, after the next commit if not. */
  release(pageNo: number): void {
    this.checkOpen();
    this.cache.delete(pageNo);
    if (this.fresh.delete(pageNo)) this.free.push(pageNo);
    else this.pendingFree.push(pageNo);
  }

  /** Writes every dirty page to the file (no sync, no meta page: not a commit). */
  flush(): void {
    this.checkOpen();
    for (const [pageNo, entry] of this.cache) {
      if (entry.dirty) this.writePage(pageNo, entry);
    }
  }

  /**
   * Exercise 3.6. Makes the tree rooted at `root` durable and current: writes the dirty pages,
   * syncs them, writes the meta page for the next commit into the slot the current commit does
   * not use, syncs again. Only then are the pages the old tree alone used reusable.
   */
  commit(root: number): void {
    this.checkOpen();
    if (this.fresh.size === 0 && this.pendingFree.length === 0 && root === this.committed.root) return;
    // 1. The new tree's pages must be durable before any meta page points at them: without this
    //    sync, a power cut may keep the meta page and lose sectors of the pages it names.
    this.flush();
    this.file.sync();
    // 2. The switch: one page write. If no copy of it survives whole, it leaves the old commit
    //    current, whose pages step 1 did not touch; if one does, it names the new commit, whose
    //    pages step 1 made durable.
    const meta: MetaPage = { txn: this.committed.txn + 1, root, pageCount: this.pageCount };
    this.file.write((meta.txn % 2) * PAGE_SIZE, encodeMeta(meta.txn % 2, meta));
    this.stats.pageWrites++;
    this.file.sync();
    this.stats.commits++;
    this.committed = meta;
    this.fresh.clear();
    this.free.push(...this.pendingFree);
    this.pendingFree = [];
  }

  /**
   * Exercise 3.6. Recovers after open or crash: decodes both meta pages, keeps the valid one with
   * the larger commit number (a torn or never-written meta page fails its checksum), and rebuilds
   * the free list as every node page the committed tree does not reach. Throws a
   * {@link CorruptionError} when neither meta page is valid.
   */
  recover(): void {
    const metas: MetaPage[] = [];
    let firstError: CorruptionError | undefined;
    for (const slot of [0, 1]) {
      try {
        metas.push(decodeMeta(slot, this.file.read(slot * PAGE_SIZE, PAGE_SIZE), this.path));
      } catch (error) {
        if (!(error instanceof CorruptionError)) throw error;
        firstError ??= error;
      }
    }
    const best = metas.sort((a, b) => b.txn - a.txn)[0];
    if (best === undefined) {
      throw new CorruptionError(this.path, firstError?.offset ?? 0, `no valid meta page: ${firstError?.message ?? ''}`);
    }
    this.committed = best;
    this.pageCount = best.pageCount;
    this.cache.clear();
    this.fresh.clear();
    this.pendingFree = [];
    // Every page the committed tree reaches is in use; every other node page is free. Leaves
    // all sit at the same depth, so only internal nodes need reading: opening stays cheap.
    let height = 1;
    for (let node = this.read(best.root); node.kind === 'internal'; node = this.read(node.children[0]!)) {
      if (++height > MAX_HEIGHT) throw new CorruptionError(this.path, 0, `the leftmost path is longer than ${MAX_HEIGHT} pages: a cycle`);
    }
    const reachable = new Set<number>([best.root]);
    let level = [best.root];
    for (let depth = 1; depth < height; depth++) {
      const next: number[] = [];
      for (const pageNo of level) {
        const node = this.read(pageNo);
        if (node.kind !== 'internal') {
          throw new CorruptionError(this.path, pageNo * PAGE_SIZE, `page ${pageNo} is a leaf above the leaf level`);
        }
        for (const child of node.children) {
          if (child < FIRST_NODE_PAGE || child >= this.pageCount || reachable.has(child)) {
            throw new CorruptionError(this.path, pageNo * PAGE_SIZE, `page ${pageNo} points to page ${child}, which is out of range or already in the tree`);
          }
          reachable.add(child);
          next.push(child);
        }
      }
      level = next;
    }
    this.free = [];
    for (let pageNo = this.pageCount - 1; pageNo >= FIRST_NODE_PAGE; pageNo--) {
      if (!reachable.has(pageNo)) this.free.push(pageNo);
    }
  }

  /** Closes the file without committing; later calls throw a `UsageError`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cache.clear();
    this.file.close();
  }

  private insert(pageNo: number, entry: CachedPage): void {
    this.cache.delete(pageNo);
    this.cache.set(pageNo, entry);
    while (this.cache.size > this.cachePages) {
      const [victim, old] = this.cache.entries().next().value as [number, CachedPage];
      this.cache.delete(victim);
      if (old.referenced && victim !== pageNo) {
        // Second chance: back of the queue, bit cleared.
        old.referenced = false;
        this.cache.set(victim, old);
        continue;
      }
      // A dirty page is fresh (no commit refers to it), so writing it early is safe; it is
      // simply written again if it changes before the commit.
      if (old.dirty) this.writePage(victim, old);
      if (victim === pageNo) this.cache.set(victim, old);
      else return;
    }
  }

  private writePage(pageNo: number, entry: CachedPage): void {
    if (!this.fresh.has(pageNo)) {
      // The rule shadow paging rests on; breaking it would let a crash corrupt the last commit.
      throw new Error(`pager: page ${pageNo} belongs to the committed tree and must not be overwritten`);
    }
    this.file.write(pageNo * PAGE_SIZE, encodeNode(pageNo, entry.node));
    this.stats.pageWrites++;
    entry.dirty = false;
  }

  private checkOpen(): void {
    if (this.closed) throw new UsageError(`pager ${this.path}: used after close`);
  }
}

// A tree of 4 KiB pages with at least three entries each is far shallower than this.
const MAX_HEIGHT = 64;

function parentDir(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}
