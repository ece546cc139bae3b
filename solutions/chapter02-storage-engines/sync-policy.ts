/**
 * When an engine calls fsync, and therefore what a caller may rely on once a write returns.
 *
 * - `'every-write'`: every `put`, `delete` and `batch` is appended to the log *and fsynced* before
 *   it returns. An acknowledged write survives any crash, power failure included. Cost: one
 *   fsync per write (typically 0.1–10 ms on real disks).
 * - `'none'`: every write is appended to the log (handed to the operating system) before it
 *   returns, but fsync runs only in `sync()`, `close()` and when the engine rolls to a new file.
 *   A process crash loses nothing (the operating system still has the data); a power failure may
 *   lose the writes made since the last fsync, always a suffix: never an older write while a newer
 *   one survives, because the log is replayed in order and stops at the first incomplete record.
 *   An engine may offer a write buffer on top (the LSM-tree's `walBufferBytes`): records then
 *   wait in memory until it fills, and a process crash may lose that much of the latest writes.
 *
 * Either way a batch is atomic: it is one log record, so it survives whole or not at all.
 * @module
 */

/** See the module comment: `'every-write'` fsyncs before acknowledging, `'none'` defers it. */
export type SyncPolicy = 'every-write' | 'none';
