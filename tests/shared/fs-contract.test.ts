/**
 * One contract, two implementations: every test here runs on the real disk and on the simulated
 * one, so an engine that passes its crash tests on SimDisk behaves the same on RealFs.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { FileNotFoundError, type FileSystem } from '../../shared/fs/file-system.js';
import { CountingFs } from '../../shared/fs/counting-fs.js';
import { RealFs } from '../../shared/fs/real-fs.js';
import { SimDisk } from '../../shared/fs/sim-disk.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';

const tempRoots: string[] = [];
afterAll(() => {
  for (const dir of tempRoots) rmSync(dir, { recursive: true, force: true });
});

function realFs(): FileSystem {
  const dir = mkdtempSync(join(tmpdir(), 'ddia-fs-'));
  tempRoots.push(dir);
  return new RealFs(dir);
}

const implementations: ReadonlyArray<[string, () => FileSystem]> = [
  ['RealFs', realFs],
  ['SimDisk', () => new SimDisk(new Random(1))],
  ['CountingFs over SimDisk', () => new CountingFs(new SimDisk(new Random(1)))],
];

const CONTRACT = 'shared/fs/file-system.ts';

describe.each(implementations)('the FileSystem contract on %s', (_name, make) => {
  it('reads back what was written, and a short read only at the end of the file', () => {
    const fs = make();
    const f = fs.open('a.log', 'create');
    expect(f.append(utf8('hello '))).toBe(0);
    expect(f.append(utf8('world'))).toBe(6);
    expect(f.size()).toBe(11);
    expect(f.read(6, 5)).toEqual(utf8('world'));
    expect(f.read(6, 100)).toEqual(utf8('world'));
    expect(f.read(11, 4)).toEqual(new Uint8Array(0));
    expect(f.read(50, 4)).toEqual(new Uint8Array(0));
    f.close();
  });

  it('a write past the end leaves a gap that reads as zero bytes', () => {
    const fs = make();
    const f = fs.open('gap', 'truncate');
    f.write(4, Uint8Array.of(9));
    expect(f.read(0, 10), because('a gap in a file reads as zeros', CONTRACT)).toEqual(Uint8Array.of(0, 0, 0, 0, 9));
    f.close();
  });

  it('truncate shrinks and regrows with zeros, and overwrites change bytes in place', () => {
    const fs = make();
    const f = fs.open('t', 'create');
    f.append(Uint8Array.of(1, 2, 3, 4, 5));
    f.write(1, Uint8Array.of(7, 7));
    f.truncate(4);
    f.truncate(6);
    expect(f.read(0, 10)).toEqual(Uint8Array.of(1, 7, 7, 4, 0, 0));
    f.close();
  });

  it('open modes: create keeps contents, truncate empties, read and readwrite need the file', () => {
    const fs = make();
    const f = fs.open('m', 'create');
    f.append(utf8('abc'));
    f.close();
    const again = fs.open('m', 'create');
    expect(again.size(), because("'create' keeps an existing file's contents", CONTRACT)).toBe(3);
    again.close();
    const emptied = fs.open('m', 'truncate');
    expect(emptied.size(), because("'truncate' empties an existing file", CONTRACT)).toBe(0);
    emptied.close();
    expect(() => fs.open('missing', 'read')).toThrow(FileNotFoundError);
    expect(() => fs.open('missing', 'readwrite')).toThrow(FileNotFoundError);
    expect(() => fs.open('no-dir/x', 'create')).toThrow(FileNotFoundError);
  });

  it('a read-only or closed handle refuses writes with a UsageError', () => {
    const fs = make();
    fs.open('r', 'create').close();
    const r = fs.open('r', 'read');
    expect(() => r.append(utf8('x'))).toThrow(UsageError);
    r.close();
    expect(() => r.read(0, 1)).toThrow(UsageError);
  });

  it('bad paths and offsets are usage errors', () => {
    const fs = make();
    expect(() => fs.open('../escape', 'create')).toThrow(UsageError);
    expect(() => fs.open('/abs', 'create')).toThrow(UsageError);
    const f = fs.open('x', 'create');
    expect(() => f.read(-1, 1)).toThrow(UsageError);
    expect(() => f.write(1.5, utf8('a'))).toThrow(UsageError);
    f.close();
  });

  it('directories: mkdir makes parents, list gives sorted names, exists sees files and dirs', () => {
    const fs = make();
    fs.mkdir('db/sst');
    fs.open('db/b', 'create').close();
    fs.open('db/a', 'create').close();
    expect(fs.list('db')).toEqual(['a', 'b', 'sst']);
    expect(fs.list('.')).toEqual(['db']);
    expect(fs.exists('db/sst')).toBe(true);
    expect(fs.exists('db/c')).toBe(false);
    expect(() => fs.list('nope')).toThrow(FileNotFoundError);
    fs.syncDir('db');
  });

  it('rename replaces the target atomically; remove of an absent file is not an error', () => {
    const fs = make();
    const a = fs.open('a', 'create');
    a.append(utf8('new'));
    a.close();
    const b = fs.open('b', 'create');
    b.append(utf8('old'));
    b.close();
    fs.rename('a', 'b');
    expect(fs.list('')).toEqual(['b']);
    const r = fs.open('b', 'read');
    expect(r.read(0, 3)).toEqual(utf8('new'));
    r.close();
    fs.remove('b');
    fs.remove('b');
    expect(fs.exists('b')).toBe(false);
    expect(() => fs.rename('b', 'c')).toThrow(FileNotFoundError);
  });

  it('random writes, appends and truncates read back like a model byte array', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), offset: fc.nat(64), data: fc.uint8Array({ maxLength: 16 }) }),
      fc.record({ kind: fc.constant('append' as const), data: fc.uint8Array({ maxLength: 16 }) }),
      fc.record({ kind: fc.constant('truncate' as const), size: fc.nat(80) }),
    );
    const fs = make();
    let n = 0;
    checkProperty(
      fc.property(fc.array(op, { maxLength: 20 }), (ops) => {
        const f = fs.open(`p${n++}`, 'truncate');
        let model = new Uint8Array(0);
        const grow = (size: number) => {
          const next = new Uint8Array(size);
          next.set(model.subarray(0, Math.min(size, model.length)));
          model = next;
        };
        for (const o of ops) {
          if (o.kind === 'truncate') {
            f.truncate(o.size);
            grow(o.size);
          } else {
            const offset = o.kind === 'append' ? model.length : o.offset;
            if (o.kind === 'append') f.append(o.data);
            else f.write(offset, o.data);
            if (o.data.length > 0 && offset + o.data.length > model.length) grow(offset + o.data.length);
            if (o.data.length > 0) model.set(o.data, offset);
          }
        }
        expect(f.size()).toBe(model.length);
        expect(f.read(0, model.length + 8)).toEqual(model);
        f.close();
      }),
      { numRuns: 40 },
    );
  });
});

describe('CountingFs', () => {
  it('counts reads, bytes read per file and bytes written, and reset starts over', () => {
    const fs = new CountingFs(new SimDisk(new Random(1)));
    const a = fs.open('a', 'create');
    a.write(0, new Uint8Array(10));
    a.append(new Uint8Array(5));
    fs.open('b', 'create').write(0, new Uint8Array(3));
    expect(fs.bytesWritten, because('write and append both count', CONTRACT)).toBe(18);
    a.read(0, 4);
    a.read(12, 100); // a short read counts the bytes returned, not the bytes asked for
    expect([fs.reads, fs.bytesRead], because('every read call and the bytes it returned count', CONTRACT)).toEqual([2, 7]);
    expect(fs.filesRead(), because('only files with bytes read are listed', CONTRACT)).toEqual(['a']);
    expect(fs.bytesReadByPath.get('a')).toBe(7);
    fs.reset();
    expect([fs.reads, fs.bytesRead, fs.bytesWritten, fs.filesRead()]).toEqual([0, 0, 0, []]);
  });
});
