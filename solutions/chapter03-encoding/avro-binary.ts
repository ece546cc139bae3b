/**
 * Exercise 3.3: the Avro binary encoding.
 *
 * Avro writes no tags and no field names: a record is its fields' values back to back, in the
 * schema's order, so a reader must have the writer's exact schema to find where one value ends
 * and the next begins. In exchange the encoding is the most compact of the book's examples.
 *
 * The schema is compiled once into a tree of small reader and writer functions (cached per
 * schema object), so that encoding a value does not re-examine the schema at every step.
 * @module
 */

import { DecodeError } from '../../shared/errors.js';
import { ByteReader, ByteWriter } from './byte-io.js';
import type { AvroRecord, AvroType, AvroUnion, AvroValue, AvroRecordValue } from './avro-schema.js';
import { EncodeError } from './errors.js';
import { readVarint, writeVarint, writeVarintBig, zigzagDecode, zigzagDecodeBig, zigzagEncode, zigzagEncodeBig } from './varint.js';

/**
 * Items of a type that can be encoded in zero bytes (null, an empty record) cost nothing to
 * claim; a bogus block count of them would make a decoder loop for ages. Cap them.
 */
export const MAX_ZERO_SIZE_ITEMS = 1_000_000;

/** Encodes `value` as `schema`. Throws an `EncodeError` naming where the value does not fit. */
export function encodeAvro(schema: AvroType, value: AvroValue): Uint8Array {
  const w = scratch;
  w.pos = 0; // reused across calls; finish() hands out a copy
  writeAvro(w, schema, value);
  return w.finish();
}

const scratch = new ByteWriter(1024);

/** Decodes exactly one value of `schema` that fills `bytes`. Throws a `DecodeError`. */
export function decodeAvro(schema: AvroType, bytes: Uint8Array): AvroValue {
  const r = new ByteReader(bytes);
  const value = readAvro(r, schema);
  if (!r.atEnd()) throw new DecodeError(r.pos, 'the end of the input', `${r.remaining()} byte(s) left over`);
  return value;
}

/** Appends one value of `schema` to `w`. */
export function writeAvro(w: ByteWriter, schema: AvroType, value: AvroValue): void {
  writerOf(schema)(w, value);
}

/** Reads one value of `schema` from `r`. */
export function readAvro(r: ByteReader, schema: AvroType): AvroValue {
  return readerOf(schema)(r);
}

/** Reads past one value of `schema` without building it where the encoding allows. */
export function skipAvro(r: ByteReader, schema: AvroType): void {
  skipperOf(schema)(r);
}

/**
 * True when `value` is a valid value of `schema`. An encoder uses it to choose a union's branch:
 * the first branch the value is valid for.
 */
export function isAvroValue(schema: AvroType, value: AvroValue): boolean {
  switch (schema.type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'int':
      return typeof value === 'number' && (value | 0) === value;
    case 'long':
      return (
        (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 53) ||
        (typeof value === 'bigint' && value >= -(2n ** 63n) && value < 2n ** 63n)
      );
    case 'float':
    case 'double':
      return typeof value === 'number';
    case 'bytes':
      return value instanceof Uint8Array;
    case 'fixed':
      return value instanceof Uint8Array && value.length === schema.size;
    case 'string':
      return typeof value === 'string';
    case 'enum':
      return typeof value === 'string' && schema.symbols.includes(value);
    case 'array':
      return Array.isArray(value) && value.every((v: AvroValue) => isAvroValue(schema.items, v));
    case 'map':
      return value instanceof Map && [...value.values()].every((v: AvroValue) => isAvroValue(schema.values, v));
    case 'union':
      return schema.branches.some((b) => isAvroValue(b, value));
    case 'record':
      return isRecordValue(value) && schema.fields.every((f) => (value[f.name] === undefined ? f.hasDefault : isAvroValue(f.type, value[f.name]!)));
  }
}

function isRecordValue(value: AvroValue): value is AvroRecordValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map) && !(value instanceof Uint8Array);
}

// ---------------------------------------------------------------- numbers and strings

/** Writes an Avro `long`: zigzag, then varint. Numbers up to 2^52 in magnitude stay numbers. */
export function writeLong(w: ByteWriter, v: number | bigint): void {
  if (typeof v === 'number') {
    if ((v | 0) === v || (Number.isInteger(v) && Math.abs(v) <= 2 ** 52)) {
      writeVarint(w, zigzagEncode(v));
      return;
    }
    if (!Number.isInteger(v) || Math.abs(v) > 2 ** 53) throw new EncodeError('', `expected a long, got ${v} (use a bigint beyond 2^53)`);
    v = BigInt(v);
  }
  if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new EncodeError('', `expected a long, got ${v}n (outside 64 bits)`);
  writeVarintBig(w, zigzagEncodeBig(v));
}

/** Reads an Avro `long`: a number when |v| ≤ 2^53, else a bigint. */
export function readLong(r: ByteReader): number | bigint {
  const z = readVarint(r);
  if (typeof z === 'number') return zigzagDecode(z);
  const v = zigzagDecodeBig(z);
  return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
}

/** Reads an Avro `int`: a zigzag varint that must fit 32 bits. */
export function readInt(r: ByteReader): number {
  const at = r.pos;
  const z = readVarint(r);
  if (typeof z !== 'number' || z > 0xffffffff) throw new DecodeError(at, 'an int (32 bits)', `found ${z}`);
  return zigzagDecode(z);
}

/** A long used as a length or count: it must be a number, and not negative unless allowed. */
function readSize(r: ByteReader, what: string): number {
  const at = r.pos;
  const n = readLong(r);
  if (typeof n !== 'number' || n < 0) throw new DecodeError(at, what, `found ${n}`);
  return n;
}

/** Writes a zigzag length, then UTF-8, reserving one byte for the length and moving if needed. */
function writeString(w: ByteWriter, s: string): void {
  w.ensure(1);
  const lengthAt = w.pos++;
  const length = w.utf8(s);
  if (length < 64) {
    w.buf[lengthAt] = length * 2; // zigzag of a small length, one varint byte
    return;
  }
  const bodyEnd = w.pos;
  let extra = 0;
  for (let rest = (length * 2) >>> 7; rest > 0; rest >>>= 7) extra++;
  w.ensure(extra);
  w.buf.copyWithin(lengthAt + 1 + extra, lengthAt + 1, bodyEnd);
  w.pos = lengthAt;
  writeVarint(w, length * 2);
  w.pos = bodyEnd + extra;
}

// ---------------------------------------------------------------- compiled writers

type Write = (w: ByteWriter, v: AvroValue) => void;
type Read = (r: ByteReader) => AvroValue;
type Skip = (r: ByteReader) => void;

const writers = new WeakMap<AvroType, Write>();
const readers = new WeakMap<AvroType, Read>();
const skippers = new WeakMap<AvroType, Skip>();

/** Adds a step to an `EncodeError`'s path on its way out. */
function within(error: unknown, step: string): unknown {
  if (!(error instanceof EncodeError)) return error;
  return new EncodeError(step + error.path, error.detail);
}

function fail(expected: string, v: AvroValue): never {
  throw new EncodeError('', `expected ${expected}, got ${show(v)}`);
}

function show(v: AvroValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `Uint8Array(${v.length})`;
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Map) return 'a Map';
  return typeof v === 'object' && v !== null ? 'an object' : String(v);
}

function writerOf(t: AvroType): Write {
  const cached = writers.get(t);
  if (cached !== undefined) return cached;
  // A recursive record reaches itself while compiling: hand out a forwarder first.
  let compiled: Write | undefined;
  writers.set(t, (w, v) => compiled!(w, v));
  compiled = compileWriter(t);
  writers.set(t, compiled);
  return compiled;
}

function compileWriter(t: AvroType): Write {
  switch (t.type) {
    case 'null':
      return (_w, v) => {
        if (v !== null) fail('null', v);
      };
    case 'boolean':
      return (w, v) => {
        if (typeof v !== 'boolean') fail('a boolean', v);
        w.byte(v ? 1 : 0);
      };
    case 'int':
      return (w, v) => {
        if (typeof v !== 'number' || (v | 0) !== v) fail('an int (32-bit integer)', v);
        writeVarint(w, zigzagEncode(v));
      };
    case 'long':
      return (w, v) => {
        if (typeof v !== 'number' && typeof v !== 'bigint') fail('a long', v);
        writeLong(w, v);
      };
    case 'float':
      return (w, v) => {
        if (typeof v !== 'number') fail('a float', v);
        w.float32(v);
      };
    case 'double':
      return (w, v) => {
        if (typeof v !== 'number') fail('a double', v);
        w.float64(v);
      };
    case 'bytes':
      return (w, v) => {
        if (!(v instanceof Uint8Array)) fail('a Uint8Array', v);
        writeVarint(w, zigzagEncode(v.length));
        w.bytes(v);
      };
    case 'string':
      return (w, v) => {
        if (typeof v !== 'string') fail('a string', v);
        writeString(w, v);
      };
    case 'fixed':
      return (w, v) => {
        if (!(v instanceof Uint8Array) || v.length !== t.size) fail(`${t.size} bytes (fixed ${t.name})`, v);
        w.bytes(v);
      };
    case 'enum': {
      const index = new Map(t.symbols.map((s, i) => [s, i]));
      return (w, v) => {
        const i = typeof v === 'string' ? index.get(v) : undefined;
        if (i === undefined) fail(`a symbol of enum ${t.name} (${t.symbols.join(', ')})`, v);
        writeVarint(w, zigzagEncode(i));
      };
    }
    case 'array': {
      const item = writerOf(t.items);
      return (w, v) => {
        if (!Array.isArray(v)) fail('an array', v);
        const items = v as readonly AvroValue[];
        // One block holding every item, then the empty block that ends the array.
        if (items.length > 0) {
          writeVarint(w, zigzagEncode(items.length));
          for (let i = 0; i < items.length; i++) {
            try {
              item(w, items[i]!);
            } catch (error) {
              throw within(error, `[${i}]`);
            }
          }
        }
        w.byte(0);
      };
    }
    case 'map': {
      const value = writerOf(t.values);
      return (w, v) => {
        if (!(v instanceof Map)) fail('a Map', v);
        const map = v as ReadonlyMap<string, AvroValue>;
        if (map.size > 0) {
          writeVarint(w, zigzagEncode(map.size));
          for (const [k, x] of map) {
            if (typeof k !== 'string') throw new EncodeError('', `map keys are strings, got ${show(k)}`);
            writeString(w, k);
            try {
              value(w, x);
            } catch (error) {
              throw within(error, `[${JSON.stringify(k)}]`);
            }
          }
        }
        w.byte(0);
      };
    }
    case 'union':
      return compileUnionWriter(t);
    case 'record':
      return compileRecordWriter(t);
  }
}

function compileUnionWriter(t: AvroUnion): Write {
  const branches = t.branches.map((b) => ({ type: b, write: writerOf(b) }));
  const nullIndex = t.branches.findIndex((b) => b.type === 'null');
  return (w, v) => {
    if (v === null && nullIndex >= 0) {
      w.byte(zigzagEncode(nullIndex));
      return;
    }
    for (let i = 0; i < branches.length; i++) {
      const b = branches[i]!;
      if (isAvroValue(b.type, v)) {
        writeVarint(w, zigzagEncode(i));
        b.write(w, v);
        return;
      }
    }
    fail(`a value of one of the union's branches (${t.branches.map((b) => ('name' in b ? b.name : b.type)).join(', ')})`, v);
  };
}

function compileRecordWriter(t: AvroRecord): Write {
  const fields = t.fields.map((f) => ({ name: f.name, write: writerOf(f.type), hasDefault: f.hasDefault, default: f.default }));
  const name = t.name.slice(t.name.lastIndexOf('.') + 1);
  return (w, v) => {
    if (!isRecordValue(v)) fail(`a record ${t.name}`, v);
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      let x = v[f.name];
      if (x === undefined) {
        if (!f.hasDefault) throw new EncodeError(`${name}.${f.name}`, 'the field is missing and has no default');
        x = f.default!;
      }
      try {
        f.write(w, x);
      } catch (error) {
        throw within(error, `${name}.${f.name}`);
      }
    }
  };
}

// ---------------------------------------------------------------- compiled readers

function readerOf(t: AvroType): Read {
  const cached = readers.get(t);
  if (cached !== undefined) return cached;
  let compiled: Read | undefined;
  readers.set(t, (r) => compiled!(r));
  compiled = compileReader(t);
  readers.set(t, compiled);
  return compiled;
}

function compileReader(t: AvroType): Read {
  switch (t.type) {
    case 'null':
      return () => null;
    case 'boolean':
      return (r) => {
        const b = r.byte('a boolean');
        if (b > 1) throw new DecodeError(r.pos - 1, 'a boolean (0 or 1)', `found ${b}`);
        return b === 1;
      };
    case 'int':
      return readInt;
    case 'long':
      return readLong;
    case 'float':
      return (r) => r.float32();
    case 'double':
      return (r) => r.float64();
    case 'bytes':
      return (r) => r.bytes(readSize(r, 'a byte length'), 'the bytes of a bytes value');
    case 'string':
      return (r) => r.utf8(readSize(r, 'a string length'));
    case 'fixed':
      return (r) => r.bytes(t.size, `${t.size} bytes of fixed ${t.name}`);
    case 'enum':
      return (r) => {
        const at = r.pos;
        const i = readInt(r);
        const symbol = t.symbols[i];
        if (symbol === undefined) throw new DecodeError(at, `an index of enum ${t.name} below ${t.symbols.length}`, `found ${i}`);
        return symbol;
      };
    case 'array': {
      const item = readerOf(t.items);
      const minItem = minEncodedSize(t.items);
      return (r) => {
        const out: AvroValue[] = [];
        readBlocks(r, minItem, () => {
          out.push(item(r));
        });
        return out;
      };
    }
    case 'map': {
      const value = readerOf(t.values);
      return (r) => {
        const out = new Map<string, AvroValue>();
        readBlocks(r, 1, () => {
          const key = r.utf8(readSize(r, 'a map key length'));
          out.set(key, value(r));
        });
        return out;
      };
    }
    case 'union': {
      const branches = t.branches.map(readerOf);
      return (r) => {
        const at = r.pos;
        const i = readLong(r);
        const branch = typeof i === 'number' ? branches[i] : undefined;
        if (branch === undefined) throw new DecodeError(at, `a union branch index below ${branches.length}`, `found ${i}`);
        return branch(r);
      };
    }
    case 'record': {
      const fields = t.fields.map((f) => ({ name: f.name, read: readerOf(f.type) }));
      // Every record of this type starts as a copy of one template with all its fields, so all
      // of them share one object shape, which JavaScript engines access fastest.
      const template: Record<string, AvroValue> = {};
      for (const f of fields) template[f.name] = null;
      return (r) => {
        const out: Record<string, AvroValue> = { ...template };
        for (let i = 0; i < fields.length; i++) {
          const f = fields[i]!;
          out[f.name] = f.read(r);
        }
        return out;
      };
    }
  }
}

/**
 * Reads the blocks of an array or map: each a count, then that many items; a count of 0 ends.
 * A negative count means its absolute value, followed by the block's size in bytes (which lets
 * a reader skip the block). No count is trusted beyond the bytes that could hold it.
 */
export function readBlocks(r: ByteReader, minItemBytes: number, readItem: () => void): void {
  let total = 0;
  for (;;) {
    const at = r.pos;
    const raw = readLong(r);
    if (typeof raw !== 'number') throw new DecodeError(at, 'a block count', `found ${raw}`);
    if (raw === 0) return;
    let count = raw;
    if (count < 0) {
      count = -count;
      const sizeAt = r.pos;
      const size = readLong(r);
      if (typeof size !== 'number' || size < 0 || size > r.remaining()) {
        throw new DecodeError(sizeAt, 'a block size within the remaining input', `found ${size}, ${r.remaining()} byte(s) left`);
      }
    }
    total += count;
    if (minItemBytes > 0 ? count * minItemBytes > r.remaining() : total > MAX_ZERO_SIZE_ITEMS) {
      throw new DecodeError(at, 'a block count the remaining input can hold', `count ${count}, ${r.remaining()} byte(s) left`);
    }
    for (let i = 0; i < count; i++) readItem();
  }
}

/** The fewest bytes any value of `t` takes (0 for null and records of nulls). */
export function minEncodedSize(t: AvroType): number {
  return minSize(t, new Set());
}

function minSize(t: AvroType, visiting: Set<AvroType>): number {
  switch (t.type) {
    case 'null':
      return 0;
    case 'float':
      return 4;
    case 'double':
      return 8;
    case 'fixed':
      return t.size;
    case 'record': {
      if (visiting.has(t)) return 0;
      visiting.add(t);
      let sum = 0;
      for (const f of t.fields) sum += minSize(f.type, visiting);
      visiting.delete(t);
      return sum;
    }
    default:
      return 1; // boolean, int, long, enum, bytes, string, array, map, union: at least one byte
  }
}

function skipperOf(t: AvroType): Skip {
  const cached = skippers.get(t);
  if (cached !== undefined) return cached;
  let compiled: Skip;
  if (t.type === 'array' || t.type === 'map') {
    // Blocks written with a byte size can be jumped over whole.
    const read = readerOf(t);
    compiled = (r) => {
      const start = r.pos;
      const count = readLong(r);
      if (typeof count === 'number' && count < 0) {
        const size = readLong(r);
        if (typeof size === 'number' && size >= 0 && size <= r.remaining()) {
          r.skip(size, 'a block');
          // Continue with the remaining blocks the ordinary way.
          read(r);
          return;
        }
      }
      r.pos = start;
      read(r);
    };
  } else {
    const read = readerOf(t);
    compiled = (r) => {
      read(r);
    };
  }
  skippers.set(t, compiled);
  return compiled;
}
