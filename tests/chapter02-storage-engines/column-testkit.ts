/**
 * Helpers for the column-store tests (exercises 4.x): a file system wrapper that records which
 * files were read and how many bytes, so a test can prove a query left columns unread, and
 * random tables.
 */

import fc from 'fast-check';
import type { FileHandle, FileSystem, OpenMode } from '../../shared/fs/file-system.js';
import type { ColumnEncoding, ColumnType, ColumnValue } from '@impl/chapter02-storage-engines/column-encoding.js';
import type { ColumnSpec, Row } from '@impl/chapter02-storage-engines/column-file.js';

/** Wraps a file system and counts the bytes read from each file. */
export class ReadCountingFs implements FileSystem {
  /** Bytes read per path. */
  readonly bytesRead = new Map<string, number>();
  private readonly inner: FileSystem;

  constructor(inner: FileSystem) {
    this.inner = inner;
  }

  /** Paths that had at least one byte read, sorted. */
  filesRead(): string[] {
    return [...this.bytesRead.entries()].filter(([, n]) => n > 0).map(([p]) => p).sort();
  }

  reset(): void {
    this.bytesRead.clear();
  }

  open(path: string, mode: OpenMode): FileHandle {
    const handle = this.inner.open(path, mode);
    const counts = this.bytesRead;
    return {
      path: handle.path,
      size: () => handle.size(),
      read: (offset, length) => {
        const data = handle.read(offset, length);
        counts.set(path, (counts.get(path) ?? 0) + data.length);
        return data;
      },
      write: (offset, data) => handle.write(offset, data),
      append: (data) => handle.append(data),
      truncate: (size) => handle.truncate(size),
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
  }

  exists(path: string): boolean {
    return this.inner.exists(path);
  }

  list(path: string): string[] {
    return this.inner.list(path);
  }

  mkdir(path: string): void {
    this.inner.mkdir(path);
  }

  rename(from: string, to: string): void {
    this.inner.rename(from, to);
  }

  remove(path: string): void {
    this.inner.remove(path);
  }

  syncDir(path: string): void {
    this.inner.syncDir(path);
  }
}

/** Values drawn from a few distinct ones, often repeated in runs, like real columns. */
export function columnValuesArb(type: ColumnType, rows: number): fc.Arbitrary<ColumnValue[]> {
  const valueArb: fc.Arbitrary<ColumnValue> =
    type === 'int' ? fc.oneof(fc.integer({ min: -3, max: 5 }), fc.integer({ min: -1_000_000, max: 1_000_000 })) : fc.constantFrom('', 'NL', 'FR', 'DE', 'Zürich', 'a\u0000b', '🙂');
  return fc
    .array(fc.tuple(valueArb, fc.integer({ min: 1, max: 6 })), { minLength: rows, maxLength: rows })
    .map((runs) => runs.flatMap(([v, n]) => Array.from({ length: n }, () => v)).slice(0, rows))
    .filter((values) => values.length === rows);
}

const encodingsFor: Record<ColumnType, readonly ColumnEncoding[]> = {
  int: ['plain', 'run-length', 'dictionary', 'bitmap'],
  string: ['plain', 'run-length', 'dictionary', 'bitmap'],
};

/** A random table: 2 to 5 columns of random types and encodings, and its rows. */
export const tableArb: fc.Arbitrary<{ columns: ColumnSpec[]; rows: Row[] }> = fc
  .tuple(
    fc.array(fc.constantFrom<ColumnType>('int', 'string'), { minLength: 2, maxLength: 5 }),
    fc.integer({ min: 0, max: 60 }),
  )
  .chain(([types, rowCount]) =>
    fc
      .tuple(
        ...types.map((type) => fc.tuple(fc.constantFrom(...encodingsFor[type]), columnValuesArb(type, rowCount))),
      )
      .map((cols) => {
        const columns: ColumnSpec[] = cols.map(([encoding], i) => ({ name: `c${i}`, type: types[i]!, encoding }));
        const rows: Row[] = Array.from({ length: rowCount }, (_, r) => Object.fromEntries(cols.map(([, values], i) => [`c${i}`, values[r]!])));
        return { columns, rows };
      }),
  );
