/**
 * Exercise 3.4: Avro schema resolution. Data is always read with the schema it was written with
 * (the writer's schema) and turned into the shape the program expects (the reader's schema). The
 * rules are the Avro specification's "Schema Resolution" section:
 *
 * - records match by (unqualified) name or a reader alias; fields match by name or a reader
 *   field's alias; writer fields the reader lacks are skipped; reader fields the writer lacks
 *   take the reader's default, and without one resolution fails;
 * - enums match by name; a writer symbol the reader lacks becomes the reader's default symbol,
 *   and without one reading that symbol fails;
 * - fixed types match by name and size; arrays and maps resolve their items and values;
 * - the writer's type may be promoted: int to long, float or double; long to float or double;
 *   float to double; string to bytes and bytes to string;
 * - a writer's union resolves the branch each datum actually took, and fails on reading a branch
 *   the reader cannot take; a reader's union takes the first branch that matches the writer's.
 *
 * A resolver is compiled once per pair of schemas; problems that no datum could avoid are
 * reported then, as a `ResolutionError`, and problems that depend on the datum when it is read.
 * @module
 */

import { DecodeError } from '../../shared/errors.js';
import { ByteReader } from './byte-io.js';
import { minEncodedSize, readAvro, readBlocks, readInt, readLong, skipAvro } from './avro-binary.js';
import { unqualified, type AvroEnum, type AvroRecord, type AvroType, type AvroValue } from './avro-schema.js';
import { ResolutionError } from './errors.js';

/** Reads data written with `writer` as values of `reader`. */
export interface Resolver {
  readonly writer: AvroType;
  readonly reader: AvroType;
  /** Reads one value at `r.pos`, shaped by the reader's schema. */
  read(r: ByteReader): AvroValue;
  /** Reads one value that fills `bytes`. */
  decode(bytes: Uint8Array): AvroValue;
}

/**
 * Compiles a resolver from `writer` to `reader`. Throws a `ResolutionError` (with the path and
 * the reason) when no datum written with `writer` could be read as `reader`.
 */
export function createResolver(writer: AvroType, reader: AvroType): Resolver {
  const read = new Planner().plan(writer, reader, topName(reader));
  return {
    writer,
    reader,
    read,
    decode(bytes: Uint8Array): AvroValue {
      const r = new ByteReader(bytes);
      const value = read(r);
      if (!r.atEnd()) throw new DecodeError(r.pos, 'the end of the input', `${r.remaining()} byte(s) left over`);
      return value;
    },
  };
}

/**
 * True when a reader's union branch `reader` "matches" the writer's `writer` in the sense the
 * spec uses to pick the branch: same primitive, a promotion, named types with the same name (or
 * a reader alias) and, for fixed, size; arrays and maps whose items or values match.
 */
export function schemasMatch(writer: AvroType, reader: AvroType): boolean {
  if (promotable(writer.type, reader.type)) return true;
  if (writer.type !== reader.type) return false;
  switch (writer.type) {
    case 'record':
    case 'enum':
      return namesMatch(writer, reader as AvroRecord | AvroEnum);
    case 'fixed':
      return reader.type === 'fixed' && namesMatch(writer, reader) && writer.size === reader.size;
    case 'array':
      return schemasMatch(writer.items, (reader as typeof writer).items);
    case 'map':
      return schemasMatch(writer.values, (reader as typeof writer).values);
    default:
      return true; // the same primitive, or two unions
  }
}

/** The writer's primitive may be read as the reader's: the spec's promotions, or the same type. */
export function promotable(writer: AvroType['type'], reader: AvroType['type']): boolean {
  switch (writer) {
    case 'int':
      return reader === 'long' || reader === 'float' || reader === 'double';
    case 'long':
      return reader === 'float' || reader === 'double';
    case 'float':
      return reader === 'double';
    case 'string':
      return reader === 'bytes';
    case 'bytes':
      return reader === 'string';
    default:
      return false;
  }
}

/** Named types match when their unqualified names agree, or the reader lists the writer's as an alias. */
export function namesMatch(writer: { readonly name: string }, reader: { readonly name: string; readonly aliases: readonly string[] }): boolean {
  const name = unqualified(writer.name);
  return unqualified(reader.name) === name || reader.aliases.some((a) => unqualified(a) === name);
}

function topName(t: AvroType): string {
  return 'name' in t ? unqualified(t.name) : t.type;
}

function describe(t: AvroType): string {
  return 'name' in t ? `${t.type} ${unqualified(t.name)}` : t.type;
}

type Read = (r: ByteReader) => AvroValue;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

class Planner {
  // Plans by writer then reader schema, so that recursive schemas compile to a finite plan.
  private readonly memo = new Map<AvroType, Map<AvroType, Read>>();

  plan(writer: AvroType, reader: AvroType, path: string): Read {
    let byReader = this.memo.get(writer);
    if (byReader === undefined) {
      byReader = new Map();
      this.memo.set(writer, byReader);
    }
    const cached = byReader.get(reader);
    if (cached !== undefined) return cached;
    let compiled: Read | undefined;
    byReader.set(reader, (r) => compiled!(r));
    try {
      compiled = this.build(writer, reader, path);
    } catch (error) {
      byReader.delete(reader);
      throw error;
    }
    byReader.set(reader, compiled);
    return compiled;
  }

  private build(writer: AvroType, reader: AvroType, path: string): Read {
    if (writer.type === 'union') return this.writerUnion(writer.branches, reader, path);
    if (reader.type === 'union') {
      const i = reader.branches.findIndex((b) => schemasMatch(writer, b));
      if (i < 0) throw new ResolutionError(path, `the reader's union has no branch for the writer's ${describe(writer)}`);
      return this.plan(writer, reader.branches[i]!, path);
    }
    if (writer.type !== reader.type) return this.promotion(writer, reader, path);
    switch (writer.type) {
      case 'record':
        return this.record(writer, reader as AvroRecord, path);
      case 'enum':
        return this.enumeration(writer, reader as AvroEnum, path);
      case 'fixed': {
        const r = reader as typeof writer;
        if (!namesMatch(writer, r)) throw new ResolutionError(path, `the writer's fixed ${writer.name} and the reader's ${r.name} have different names`);
        if (writer.size !== r.size) throw new ResolutionError(path, `the writer's fixed has ${writer.size} bytes, the reader's ${r.size}`);
        return (input) => readAvro(input, writer);
      }
      case 'array': {
        const item = this.plan(writer.items, (reader as typeof writer).items, `${path}[]`);
        const minItem = minEncodedSize(writer.items);
        return (input) => {
          const out: AvroValue[] = [];
          readBlocks(input, minItem, () => {
            out.push(item(input));
          });
          return out;
        };
      }
      case 'map': {
        const value = this.plan(writer.values, (reader as typeof writer).values, `${path}{}`);
        return (input) => {
          const out = new Map<string, AvroValue>();
          readBlocks(input, 1, () => {
            const key = readAvro(input, { type: 'string' }) as string;
            out.set(key, value(input));
          });
          return out;
        };
      }
      default:
        return (input) => readAvro(input, writer); // the same primitive
    }
  }

  private writerUnion(branches: readonly AvroType[], reader: AvroType, path: string): Read {
    // Each branch is resolved on its own; a branch the reader cannot take only fails when a datum
    // actually took it. If no branch can be taken, no datum can be read: fail now.
    const plans: Read[] = [];
    let anyOk = false;
    let firstError: ResolutionError | undefined;
    branches.forEach((b, i) => {
      try {
        plans.push(this.plan(b, reader, path));
        anyOk = true;
      } catch (error) {
        if (!(error instanceof ResolutionError)) throw error;
        firstError ??= error;
        const late = new ResolutionError(`${path}<branch ${i}: ${describe(b)}>`, error.reason);
        plans.push(() => {
          throw late;
        });
      }
    });
    if (!anyOk) throw firstError!;
    return (input) => {
      const at = input.pos;
      const i = readLong(input);
      const plan = typeof i === 'number' ? plans[i] : undefined;
      if (plan === undefined) throw new DecodeError(at, `a union branch index below ${plans.length}`, `found ${i}`);
      return plan(input);
    };
  }

  private promotion(writer: AvroType, reader: AvroType, path: string): Read {
    const from = writer.type;
    const to = reader.type;
    if (from === 'int' && to === 'long') return readInt;
    if (from === 'int' && to === 'float') return (r) => Math.fround(readInt(r));
    if (from === 'int' && to === 'double') return readInt;
    if (from === 'long' && to === 'float') return (r) => Math.fround(Number(readLong(r)));
    if (from === 'long' && to === 'double') return (r) => Number(readLong(r));
    if (from === 'float' && to === 'double') return (r) => r.float32();
    if (from === 'string' && to === 'bytes') return (r) => encoder.encode(readAvro(r, writer) as string);
    if (from === 'bytes' && to === 'string') {
      return (r) => {
        const at = r.pos;
        try {
          return decoder.decode(readAvro(r, writer) as Uint8Array);
        } catch (error) {
          if (error instanceof DecodeError) throw error;
          throw new DecodeError(at, 'bytes that are valid UTF-8, to be read as a string', 'invalid UTF-8');
        }
      };
    }
    throw new ResolutionError(path, `the writer's ${describe(writer)} cannot be read as the reader's ${describe(reader)}`);
  }

  private record(writer: AvroRecord, reader: AvroRecord, path: string): Read {
    if (!namesMatch(writer, reader)) {
      throw new ResolutionError(path, `the writer's record ${writer.name} and the reader's ${reader.name} have different names (and no alias joins them)`);
    }
    const here = unqualified(reader.name);
    type Step = { readonly into: number; readonly read: Read } | { readonly skip: AvroType };
    const steps: Step[] = [];
    const filled = new Set<number>();
    for (const wf of writer.fields) {
      let into = reader.fields.findIndex((rf) => rf.name === wf.name);
      if (into < 0) into = reader.fields.findIndex((rf) => rf.aliases.includes(wf.name));
      if (into < 0) {
        steps.push({ skip: wf.type }); // the reader no longer has this field
        continue;
      }
      const rf = reader.fields[into]!;
      steps.push({ into, read: this.plan(wf.type, rf.type, `${here}.${rf.name}`) });
      filled.add(into);
    }
    const defaults: Array<{ readonly index: number; readonly value: AvroValue }> = [];
    reader.fields.forEach((rf, index) => {
      if (filled.has(index)) return;
      if (!rf.hasDefault) {
        throw new ResolutionError(`${here}.${rf.name}`, `the reader's field ${rf.name} is not in the writer's schema and has no default`);
      }
      defaults.push({ index, value: rf.default! });
    });
    const names = reader.fields.map((f) => f.name);
    return (input) => {
      const values: AvroValue[] = new Array<AvroValue>(names.length);
      for (const step of steps) {
        if ('skip' in step) skipAvro(input, step.skip);
        else values[step.into] = step.read(input);
      }
      for (const d of defaults) values[d.index] = copy(d.value);
      const out: Record<string, AvroValue> = {};
      for (let i = 0; i < names.length; i++) out[names[i]!] = values[i]!;
      return out;
    };
  }

  private enumeration(writer: AvroEnum, reader: AvroEnum, path: string): Read {
    if (!namesMatch(writer, reader)) {
      throw new ResolutionError(path, `the writer's enum ${writer.name} and the reader's ${reader.name} have different names`);
    }
    const symbols = writer.symbols.map((s) => (reader.symbols.includes(s) ? s : reader.default));
    return (input) => {
      const at = input.pos;
      const i = readInt(input);
      if (i < 0 || i >= symbols.length) throw new DecodeError(at, `an index of enum ${writer.name} below ${symbols.length}`, `found ${i}`);
      const symbol = symbols[i];
      if (symbol === undefined) {
        throw new ResolutionError(path, `the symbol ${writer.symbols[i]} is not in the reader's enum ${reader.name}, which has no default`);
      }
      return symbol;
    };
  }
}

/** Defaults are shared by every datum read; hand each one its own copy of mutable values. */
function copy(value: AvroValue): AvroValue {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
