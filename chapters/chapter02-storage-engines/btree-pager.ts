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

import { CorruptionError, NotImplementedError, UsageError } from '../../shared/errors.js';
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
   * Creation must be crash-safe: after a crash at any point of it, `path` is either absent or a
   * tree that opens (empty), never a file that `recover` refuses. Write the new file under the
   * name `path + '.tmp'` (opened with `'truncate'`, so a leftover of an interrupted creation is
   * overwritten): the root leaf in page 2, the meta page of commit 1 in slot 1, then `sync`,
   * `close`, `rename` it to `path` and `syncDir` the parent directory, and open `path` again.
   * Writing `path` in place is the classic mistake: a crash after the root page but before the
   * meta page leaves a file with no valid meta page, and every later open refuses it.
   */
  static open(fs: FileSystem, path: string, options: PagerOptions = {}): Pager {
    throw new NotImplementedError({
      exercise: '3.2 The pager and its cache',
      file: 'chapter02-storage-engines/btree-pager.ts',
      section: '3.2 The pager and its cache',
    });
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
    throw new NotImplementedError({
      exercise: '3.2 The pager and its cache',
      file: 'chapter02-storage-engines/btree-pager.ts',
      section: '3.2 The pager and its cache',
    });
  }

  /** Puts `node` in a new page and returns its number. The page is dirty until the commit. */
  allocate(node: BTreeNode): number {
    throw new NotImplementedError({
      exercise: '3.2 The pager and its cache',
      file: 'chapter02-storage-engines/btree-pager.ts',
      section: '3.2 The pager and its cache',
    });
  }

  /**
   * Stores `node` as the new contents of page `pageNo` and returns the page that now holds it:
   * `pageNo` itself when it was allocated since the last commit, otherwise a fresh copy (the
   * old page is freed once the next commit is durable). Callers must use the returned number.
   */
  update(pageNo: number, node: BTreeNode): number {
    throw new NotImplementedError({
      exercise: '3.2 The pager and its cache',
      file: 'chapter02-storage-engines/btree-pager.ts',
      section: '3.2 The pager and its cache',
    });
  }

  /** Page `pageNo` left the tree. It is reused at once if fresh, after the next commit if not. */
  release(pageNo: number): void {
    throw new NotImplementedError({
      exercise: '3.2 The pager and its cache',
      file: 'chapter02-storage-engines/btree-pager.ts',
      section: '3.2 The pager and its cache',
    });
  }

  /** Writes every dirty page to the file (no sync, no meta page: not a commit). */
  flush(): void {
    throw new NotImplementedError({
      exercise: '3.2 The pager and its cache',
      file: 'chapter02-storage-engines/btree-pager.ts',
      section: '3.2 The pager and its cache',
    });
  }

  /**
   * Exercise 3.6. Makes the tree rooted at `root` durable and current: writes the dirty pages,
   * syncs them, writes the meta page for the next commit into the slot the current commit does
   * not use, syncs again. Only then are the pages the old tree alone used reusable.
   */
  commit(root: number): void {
    throw new NotImplementedError({
      exercise: '3.6 Crash safety',
      file: 'chapter02-storage-engines/btree-pager.ts',
      section: '3.6 Crash safety',
    });
  }

  /**
   * Exercise 3.6. Recovers after open or crash: decodes both meta pages, keeps the valid one with
   * the larger commit number (a torn or never-written meta page fails its checksum), and rebuilds
   * the free list as every node page the committed tree does not reach. Throws a
   * {@link CorruptionError} when neither meta page is valid.
   */
  recover(): void {
    throw new NotImplementedError({
      exercise: '3.6 Crash safety',
      file: 'chapter02-storage-engines/btree-pager.ts',
      section: '3.6 Crash safety',
    });
  }

  /** Closes the file without committing; later calls throw a `UsageError`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cache.clear();
    this.file.close();
  }

  private insert(pageNo: number, entry: CachedPage): void {
    throw new NotImplementedError({
      exercise: '3.2 The pager and its cache',
      file: 'chapter02-storage-engines/btree-pager.ts',
      section: '3.2 The pager and its cache',
    });
  }

  private writePage(pageNo: number, entry: CachedPage): void {
    throw new NotImplementedError({
      exercise: '3.2 The pager and its cache',
      file: 'chapter02-storage-engines/btree-pager.ts',
      section: '3.2 The pager and its cache',
    });
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
