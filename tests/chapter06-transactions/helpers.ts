/** Small helpers shared by the chapter's tests. */

import { fromUtf8, utf8 } from '../../shared/bytes.js';
import type { CrashOptions, UnsyncedWrites } from '../../shared/fs/sim-disk.js';
import type { OrderedKV } from '../../shared/kv.js';

const MODES: readonly UnsyncedWrites[] = ['drop', 'keep', 'tear-last', 'random-prefix', 'any-subset'];
/** Every crash the simulated disk can do: each way of treating unsynced writes, with names lost or kept. */
export const CRASHES: readonly CrashOptions[] = MODES.flatMap((unsyncedWrites) => [
  { unsyncedWrites, unsyncedDirOps: 'lose' as const },
  { unsyncedWrites, unsyncedDirOps: 'keep' as const },
]);

export const b = utf8;

/** A store's contents as `key=value` text, in key order. */
export function contents(kv: OrderedKV): string[] {
  return [...kv.scan()].map((e) => `${fromUtf8(e.key)}=${fromUtf8(e.value)}`);
}

/** A model map's contents in the same form. */
export function modelContents(model: ReadonlyMap<string, string>): string[] {
  return [...model].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
}

/** A value as text, `undefined` as `(none)`. */
export function text(value: Uint8Array | undefined): string {
  return value === undefined ? '(none)' : fromUtf8(value);
}
