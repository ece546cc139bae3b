import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { CountingFs } from '../../shared/fs/counting-fs.js';
import { SimDisk } from '../../shared/fs/sim-disk.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { MalformedInputError } from '@impl/chapter09-batch/errors.js';
import { planSplits, readSplit } from '@impl/chapter09-batch/input-splits.js';
import type { Json } from '@impl/chapter09-batch/records.js';

const NOTES = 'Input splits';
const encoder = new TextEncoder();

function diskWith(files: Record<string, string>): SimDisk {
  const disk = new SimDisk(new Random(1));
  for (const [path, text] of Object.entries(files)) {
    if (path.includes('/')) disk.mkdir(path.slice(0, path.lastIndexOf('/')));
    const handle = disk.open(path, 'truncate');
    handle.append(encoder.encode(text));
    handle.close();
  }
  return disk;
}

function readAll(disk: SimDisk, files: string[], splitBytes: number): Array<{ offset: number; record: Json }> {
  return planSplits(disk, files, splitBytes).flatMap((split) => [...readSplit(disk, split)]);
}

describe('9.1 A MapReduce engine: input splits', () => {
  it('splits cut each file into consecutive byte ranges numbered across files', () => {
    const disk = diskWith({ a: '"x"\n"y"\n"z"\n', b: '', c: '"long line"\n' });
    expect(planSplits(disk, ['a', 'b', 'c'], 5), because('a split is [start, end) of one file, at most splitBytes long; empty files have none', NOTES)).toEqual([
      { index: 0, file: 'a', start: 0, end: 5 },
      { index: 1, file: 'a', start: 5, end: 10 },
      { index: 2, file: 'a', start: 10, end: 12 },
      { index: 3, file: 'c', start: 0, end: 5 },
      { index: 4, file: 'c', start: 5, end: 10 },
      { index: 5, file: 'c', start: 10, end: 12 },
    ]);
  });

  it('a line belongs to the split it starts in, even when it runs past the split end', () => {
    const disk = diskWith({ a: '"first"\n"second"\n' }); // lines start at 0 and 8
    const splits = planSplits(disk, ['a'], 4);
    const perSplit = splits.map((s) => [...readSplit(disk, s)].map((r) => r.record));
    expect(perSplit, because('split [0,4) owns the line at 0; [4,8) owns none; [8,12) owns the line at 8', NOTES)).toEqual([['first'], [], ['second'], [], []]);
  });

  it('records carry the byte offset of their line; blank lines are skipped; the last line may lack a newline', () => {
    const disk = diskWith({ a: '1\n\n  \n{"k":2}\n[3]' });
    expect(readAll(disk, ['a'], 1000)).toEqual([
      { offset: 0, record: 1 },
      { offset: 6, record: { k: 2 } },
      { offset: 14, record: [3] },
    ]);
  });

  it('every split size yields each line exactly once, in file order (property)', () => {
    checkProperty(
      fc.property(fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant('')), { maxLength: 30 }), fc.integer({ min: 1, max: 40 }), (values, splitBytes) => {
        const text = values.map((v) => (v === '' ? '' : JSON.stringify(v))).join('\n');
        const disk = diskWith({ f: text });
        const expected = values.filter((v) => v !== '');
        expect(readAll(disk, ['f'], splitBytes).map((r) => r.record), because('splits partition the lines: none lost, none read twice', NOTES)).toEqual(expected);
      }),
    );
  });

  it('reading a split reads about its own bytes, not the whole file', () => {
    const lines = Array.from({ length: 40000 }, (_, i) => JSON.stringify({ n: i, pad: 'x'.repeat(40) }));
    const disk = diskWith({ big: lines.join('\n') + '\n' });
    const fs = new CountingFs(disk);
    const size = disk.contents('big').length;
    const first = planSplits(fs, ['big'], 64 * 1024)[0]!;
    expect([...readSplit(fs, first)].length).toBeGreaterThan(0);
    expect(fs.bytesRead, because(`a split of 64 KiB of a ${size}-byte file must be read in chunks, not whole`, NOTES)).toBeLessThan(size / 2);
  });

  it('a line that is not JSON is a MalformedInputError with the file and the line offset', () => {
    const disk = diskWith({ 'in/a.jsonl': '"ok"\n{"broken": \n"ok"\n' });
    const split = planSplits(disk, ['in/a.jsonl'], 1000)[0]!;
    let caught: unknown;
    try {
      Array.from(readSplit(disk, split));
    } catch (error) {
      caught = error;
    }
    expect(caught, because('bad input is a typed error saying what and where', NOTES)).toBeInstanceOf(MalformedInputError);
    expect((caught as MalformedInputError).file).toBe('in/a.jsonl');
    expect((caught as MalformedInputError).offset, because('the offset is where the bad line starts', NOTES)).toBe(5);
  });

  it('bytes that are not UTF-8 are a MalformedInputError too', () => {
    const disk = new SimDisk(new Random(1));
    const handle = disk.open('bin', 'truncate');
    handle.append(Uint8Array.from([0x22, 0x61, 0x22, 0x0a, 0x22, 0xff, 0xfe, 0x22, 0x0a]));
    handle.close();
    const split = planSplits(disk, ['bin'], 100)[0]!;
    expect(() => [...readSplit(disk, split)]).toThrow(MalformedInputError);
  });

  it('a split size below 1 is a UsageError', () => {
    const disk = diskWith({ a: '1\n' });
    expect(() => planSplits(disk, ['a'], 0)).toThrow(UsageError);
  });
});
