import { describe, expect, test } from 'vitest';
import { utf8 } from '../../shared/bytes.js';
import { CorruptionError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { PAGE_SIZE, decodeNode, type LeafNode } from '@impl/chapter02-storage-engines/btree-page.js';
import { Pager } from '@impl/chapter02-storage-engines/btree-pager.js';
import { TREE_FILE, newDisk } from './btree-testkit.js';

const SECTION = '3.2 The pager and its cache';

function leaf(text: string): LeafNode {
  return { kind: 'leaf', keys: [utf8(text)], values: [utf8(`value of ${text}`)] };
}

describe('3.2 pager and page cache', () => {
  test('a new file starts with an empty root leaf in page 2, durably', () => {
    const disk = newDisk();
    const pager = Pager.open(disk, TREE_FILE);
    expect(pager.committedRoot, because('pages 0 and 1 are meta pages; the first node is page 2', SECTION)).toBe(2);
    expect(pager.read(2), because('a new tree is one empty leaf', SECTION)).toEqual({ kind: 'leaf', keys: [], values: [] });
    disk.crash();
    expect(disk.exists(TREE_FILE), because('creating the file must sync its directory too, or a crash loses it', SECTION)).toBe(true);
    expect(disk.contents(TREE_FILE).length, because('the root page and a meta page must be synced at creation', SECTION)).toBeGreaterThanOrEqual(3 * PAGE_SIZE);
  });

  test('allocated pages get distinct numbers and read back equal, even after the cache evicts them', () => {
    const disk = newDisk();
    const pager = Pager.open(disk, TREE_FILE, { cachePages: 4 });
    const pages = Array.from({ length: 40 }, (_, i) => pager.allocate(leaf(`node ${i}`)));
    expect(new Set(pages).size, because('every allocation returns a page no other node uses', SECTION)).toBe(40);
    expect(pages.every((p) => p >= 2), because('pages 0 and 1 are reserved for meta pages', SECTION)).toBe(true);
    pages.forEach((p, i) => expect(pager.read(p), because('a page reads back what was stored in it', SECTION)).toEqual(leaf(`node ${i}`)));
    expect(pager.stats.pageReads, because('with 4 cached pages, most of 40 must come back from the file', SECTION)).toBeGreaterThan(30);
  });

  test('an evicted dirty page is written to the file with its checksum', () => {
    const disk = newDisk();
    const pager = Pager.open(disk, TREE_FILE, { cachePages: 4 });
    const first = pager.allocate(leaf('first'));
    for (let i = 0; i < 10; i++) pager.allocate(leaf(`filler ${i}`));
    const bytes = disk.contents(TREE_FILE).slice(first * PAGE_SIZE, (first + 1) * PAGE_SIZE);
    expect(decodeNode(first, bytes, TREE_FILE), because('evicting a dirty page writes it, encoded, at page * PAGE_SIZE', SECTION)).toEqual(leaf('first'));
  });

  test('a cached page is served from memory: a second read is a cache hit', () => {
    const disk = newDisk();
    const pager = Pager.open(disk, TREE_FILE);
    const p = pager.allocate(leaf('a'));
    const before = { ...pager.stats };
    pager.read(p);
    pager.read(p);
    expect(pager.stats.pageReads - before.pageReads, because('a page in the cache is not read from the file again', SECTION)).toBe(0);
    expect(pager.stats.cacheHits - before.cacheHits, because('each read of a cached page counts as a hit', SECTION)).toBe(2);
  });

  test('eviction spares a page in use: one read before every new page keeps it cached (CLOCK, not first-in first-out)', () => {
    const pager = Pager.open(newDisk(), TREE_FILE, { cachePages: 4 });
    const hot = pager.allocate(leaf('hot'));
    for (let i = 0; i < 3; i++) pager.allocate(leaf(`warm ${i}`));
    let misses = 0;
    for (let i = 0; i < 20; i++) {
      const before = pager.stats.pageReads;
      pager.read(hot);
      misses += pager.stats.pageReads - before;
      pager.allocate(leaf(`cold ${i}`));
    }
    expect(
      misses,
      because(`the hot page was read from the file ${misses} times in 20 rounds: a hit must give a page a second chance (first-in first-out misses every 4th round, 5 times)`, SECTION),
    ).toBeLessThanOrEqual(2);
  });

  test('updating a page allocated since the last commit keeps its number', () => {
    const pager = Pager.open(newDisk(), TREE_FILE);
    const p = pager.allocate(leaf('a'));
    expect(pager.update(p, leaf('b')), because('no commit refers to a fresh page, so it may change in place', SECTION)).toBe(p);
    expect(pager.read(p), because('the page holds the update', SECTION)).toEqual(leaf('b'));
  });

  test('updating a committed page writes a copy and never touches the committed bytes', () => {
    const disk = newDisk();
    const pager = Pager.open(disk, TREE_FILE, { cachePages: 4 });
    const committed = disk.contents(TREE_FILE).slice(2 * PAGE_SIZE, 3 * PAGE_SIZE);
    const moved = pager.update(2, leaf('changed root'));
    expect(moved, because('copy-on-write: a page the last commit uses is never overwritten', SECTION)).not.toBe(2);
    expect(pager.read(moved), because('the copy holds the new contents', SECTION)).toEqual(leaf('changed root'));
    for (let i = 0; i < 10; i++) pager.allocate(leaf(`filler ${i}`));
    pager.flush();
    expect(disk.contents(TREE_FILE).slice(2 * PAGE_SIZE, 3 * PAGE_SIZE), because('flushing must leave committed pages as they were', SECTION)).toEqual(committed);
  });

  test('a released fresh page is reused by the next allocation', () => {
    const pager = Pager.open(newDisk(), TREE_FILE);
    const p = pager.allocate(leaf('a'));
    pager.allocate(leaf('b'));
    pager.release(p);
    expect(pager.allocate(leaf('c')), because('a fresh page no commit refers to can be reused at once', SECTION)).toBe(p);
  });

  test('a page whose bytes changed on disk raises a CorruptionError naming the file and the page offset', () => {
    const disk = newDisk();
    const pager = Pager.open(disk, TREE_FILE, { cachePages: 4 });
    const victim = pager.allocate(leaf('victim'));
    for (let i = 0; i < 10; i++) pager.allocate(leaf(`filler ${i}`));
    pager.flush();
    disk.flipByte(TREE_FILE, victim * PAGE_SIZE + 40);
    let error: unknown;
    try {
      pager.read(victim);
    } catch (e) {
      error = e;
    }
    expect(error, because('a page failing its checksum must never be returned', SECTION)).toBeInstanceOf(CorruptionError);
    expect((error as CorruptionError).file, because('the error names the file', SECTION)).toBe(TREE_FILE);
    expect((error as CorruptionError).offset, because('the error names the page offset', SECTION)).toBe(victim * PAGE_SIZE);
  });
});
