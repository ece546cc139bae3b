/**
 * Path and argument checks shared by the {@link FileSystem} implementations, so the real disk and
 * the simulated one accept and reject exactly the same calls.
 * @module
 */

import { UsageError } from '../errors.js';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the module comment's {@link FileSystem} resolves through it
import type { FileSystem } from './file-system.js';

/**
 * The canonical form of a path: `/`-separated segments relative to the root, without empty or
 * `.` segments; the root itself is `''` (also written `'.'`). Throws a `UsageError` for `..`
 * segments, backslashes and absolute paths, which could reach outside the root.
 */
export function normalizePath(path: string): string {
  if (path.startsWith('/') || path.includes('\\') || /^[a-zA-Z]:/.test(path)) {
    throw new UsageError(`path ${JSON.stringify(path)} must be relative to the root and use '/' separators`);
  }
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw new UsageError(`path ${JSON.stringify(path)} must not contain '..'`);
    parts.push(part);
  }
  return parts.join('/');
}

/** The directory holding `path` (already normalized); `''` for entries of the root. */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Rejects negative, fractional or unsafe offsets and lengths with a `UsageError`. */
export function checkRange(op: string, path: string, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
    throw new UsageError(`${op} ${path}: offset ${offset} and length ${length} must be non-negative integers`);
  }
}
