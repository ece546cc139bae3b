/**
 * The on-disk format of intermediate data: spill runs and map outputs (given code).
 *
 * A **record** is `[u32 length][u32 crc32c][payload]`, big-endian, where the payload is the UTF-8
 * JSON text of `[key, value]` and the checksum covers the payload. A **partitioned file** holds
 * one section of records per reduce partition, back to back, each section sorted by key, then a
 * footer:
 *
 * ```text
 * section 0 | section 1 | … | section R-1 | offset[0..R] (u32 each) | R (u32) | crc32c of the offsets and R (u32) | magic "MRP1"
 * ```
 *
 * `offset[p]` is where section p starts and `offset[R]` where the footer starts, so a reducer
 * reads exactly its byte range `[offset[p], offset[p + 1])` of every map output and nothing else.
 * Files are written once, synced, and never modified: a map task writes one under a temporary
 * name and the commit protocol (`commit.ts`) renames it into place.
 * @module
 */

import { concatBytes } from '../../shared/bytes.js';
import { CorruptionError } from '../../shared/errors.js';
import { crc32c } from '../../shared/checksum.js';
import type { FileHandle, FileSystem } from '../../shared/fs/file-system.js';
import type { KeyValue } from './records.js';

/** Bytes before a record's payload: length and checksum. */
export const RECORD_HEADER_BYTES = 4 + 4;
/** Trailing bytes of a partitioned file after its offsets: count, checksum, magic. */
const FOOTER_TAIL_BYTES = 4 + 4 + 4;
const MAGIC = 0x4d525031; // "MRP1"
/** Reads and writes go through buffers of this size. */
const IO_BUFFER_BYTES = 64 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The bytes of one record. */
export function encodeRecord(kv: KeyValue): Uint8Array {
  const payload = encoder.encode(JSON.stringify([kv.key, kv.value]));
  const out = new Uint8Array(RECORD_HEADER_BYTES + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length);
  view.setUint32(4, crc32c(payload));
  out.set(payload, RECORD_HEADER_BYTES);
  return out;
}

/**
 * What a record costs in memory and on disk, for memory budgets: its encoded size, counted
 * without encoding it (every emitted pair is measured, so this is on the map task's hot path).
 */
export function recordBytes(kv: KeyValue): number {
  return RECORD_HEADER_BYTES + utf8Length(JSON.stringify([kv.key, kv.value]));
}

/** The length of `text` in UTF-8: what `TextEncoder` would produce (a lone surrogate becomes U+FFFD, 3 bytes). */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a surrogate pair: 4 bytes for 2 code units
      i++;
    } else bytes += 2;
  }
  return bytes;
}

/** Appends records to a handle through a buffer. */
class BufferedWriter {
  private readonly chunks: Uint8Array[] = [];
  private buffered = 0;
  /** Bytes written so far, flushed or not. */
  offset = 0;

  constructor(private readonly handle: FileHandle) {}

  write(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.buffered += bytes.length;
    this.offset += bytes.length;
    if (this.buffered >= IO_BUFFER_BYTES) this.flush();
  }

  flush(): void {
    if (this.buffered === 0) return;
    this.handle.append(concatBytes(...this.chunks));
    this.chunks.length = 0;
    this.buffered = 0;
  }
}

/**
 * Writes a partitioned file at `path` (created or emptied): `sections[p]` is partition p's
 * records, already sorted by key. Syncs the file before returning (a map output must be durable
 * before it is committed), and closes it.
 */
export function writePartitionedFile(fs: FileSystem, path: string, sections: readonly Iterable<KeyValue>[]): void {
  const handle = fs.open(path, 'truncate');
  try {
    const writer = new BufferedWriter(handle);
    const offsets: number[] = [];
    for (const section of sections) {
      offsets.push(writer.offset);
      for (const kv of section) writer.write(encodeRecord(kv));
    }
    offsets.push(writer.offset);
    const footer = new Uint8Array(offsets.length * 4 + FOOTER_TAIL_BYTES);
    const view = new DataView(footer.buffer);
    offsets.forEach((o, i) => view.setUint32(i * 4, o));
    view.setUint32(offsets.length * 4, sections.length);
    view.setUint32(offsets.length * 4 + 4, crc32c(footer, 0, offsets.length * 4 + 4));
    view.setUint32(offsets.length * 4 + 8, MAGIC);
    writer.write(footer);
    writer.flush();
    handle.sync();
  } finally {
    handle.close();
  }
}

/** Section offsets of a partitioned file: `offsets[p]` to `offsets[p + 1]` is partition p. */
export function readPartitionOffsets(fs: FileSystem, path: string): number[] {
  const handle = fs.open(path, 'read');
  try {
    const size = handle.size();
    if (size < FOOTER_TAIL_BYTES) throw new CorruptionError(path, 0, `a partitioned file needs a footer; the file has ${size} bytes`);
    const tail = new DataView(handle.read(size - FOOTER_TAIL_BYTES, FOOTER_TAIL_BYTES).slice().buffer);
    if (tail.getUint32(8) !== MAGIC) throw new CorruptionError(path, size - 4, 'bad magic: not a partitioned file, or a partial one');
    const count = tail.getUint32(0);
    const footerStart = size - FOOTER_TAIL_BYTES - (count + 1) * 4;
    if (footerStart < 0) throw new CorruptionError(path, size - FOOTER_TAIL_BYTES, `footer claims ${count} partitions`);
    const checked = handle.read(footerStart, (count + 1) * 4 + 4);
    if (crc32c(checked) !== tail.getUint32(4)) throw new CorruptionError(path, footerStart, 'footer checksum mismatch');
    const view = new DataView(checked.slice().buffer);
    const offsets: number[] = [];
    for (let i = 0; i <= count; i++) offsets.push(view.getUint32(i * 4));
    if (offsets[count] !== footerStart) throw new CorruptionError(path, footerStart, 'the last section does not end at the footer');
    return offsets;
  } finally {
    handle.close();
  }
}

/** Counts what merging reads, so a test can see that each input is read once, in order. */
export interface ReadStats {
  /** `read` calls. */
  reads: number;
  /** Bytes read. */
  bytes: number;
}

/**
 * Reads the records of `path` in `[start, end)` in order, through a 64 KiB buffer. A record
 * whose length runs past `end` or whose checksum fails raises a `CorruptionError` with the file
 * and the record's offset.
 */
export function* readRecords(fs: FileSystem, path: string, start: number, end: number, stats?: ReadStats): Generator<KeyValue> {
  const handle = fs.open(path, 'read');
  try {
    let buffer = new Uint8Array(0);
    let bufferStart = start; // file offset of buffer[0]
    let pos = start;
    const ensure = (bytes: number): void => {
      const have = bufferStart + buffer.length - pos;
      if (have >= bytes) return;
      const want = Math.max(bytes - have, Math.min(IO_BUFFER_BYTES, end - (bufferStart + buffer.length)));
      const more = handle.read(bufferStart + buffer.length, want);
      if (stats) {
        stats.reads++;
        stats.bytes += more.length;
      }
      const kept = buffer.subarray(pos - bufferStart);
      const next = new Uint8Array(kept.length + more.length);
      next.set(kept);
      next.set(more, kept.length);
      buffer = next;
      bufferStart = pos;
    };
    while (pos < end) {
      if (end - pos < RECORD_HEADER_BYTES) throw new CorruptionError(path, pos, 'a record header is cut off');
      ensure(RECORD_HEADER_BYTES);
      const view = new DataView(buffer.buffer, buffer.byteOffset + pos - bufferStart, RECORD_HEADER_BYTES);
      const length = view.getUint32(0);
      const checksum = view.getUint32(4);
      if (pos + RECORD_HEADER_BYTES + length > end) throw new CorruptionError(path, pos, `record length ${length} runs past the end of its section`);
      ensure(RECORD_HEADER_BYTES + length);
      const from = pos - bufferStart + RECORD_HEADER_BYTES;
      const payload = buffer.subarray(from, from + length);
      if (crc32c(payload) !== checksum) throw new CorruptionError(path, pos, 'record checksum mismatch');
      const [key, value] = JSON.parse(decoder.decode(payload)) as [string, KeyValue['value']];
      pos += RECORD_HEADER_BYTES + length;
      yield { key, value };
    }
  } finally {
    handle.close();
  }
}

/** The records of partition `partition` of a partitioned file, in order. */
export function readPartition(fs: FileSystem, path: string, partition: number, stats?: ReadStats): Generator<KeyValue> {
  const offsets = readPartitionOffsets(fs, path);
  if (partition < 0 || partition + 1 >= offsets.length) {
    throw new CorruptionError(path, 0, `partition ${partition} asked of a file with ${offsets.length - 1} partitions`);
  }
  return readRecords(fs, path, offsets[partition]!, offsets[partition + 1]!, stats);
}
