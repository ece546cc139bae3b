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

import { NotImplementedError } from '../../shared/errors.js';
import type { ByteReader } from './byte-io.js';
import type { AvroEnum, AvroRecord, AvroType, AvroValue } from './avro-schema.js';

const RESOLUTION = { exercise: '3.4 Schema resolution', file: 'chapter03-encoding/avro-resolution.ts', section: '3.4 Schema resolution' };

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
 * Compiles a resolver from `writer` to `reader`. Must make true:
 * - data written with `writer` is read into the shape of `reader`, by the rules above;
 * - when no datum could ever be read (different record names, a reader field with no default
 *   that the writer lacks, unrelated types, …) this throws a `ResolutionError` naming the path
 *   (`User.id`) and the reason;
 * - when only some data cannot be read (a writer's union branch or enum symbol the reader has
 *   no place for), reading such a datum throws the `ResolutionError`, and other data reads fine;
 * - every default handed out is a fresh copy; malformed bytes raise a `DecodeError`.
 */
export function createResolver(writer: AvroType, reader: AvroType): Resolver {
  throw new NotImplementedError(RESOLUTION);
}

/**
 * True when a reader's union branch `reader` "matches" the writer's `writer` in the sense the
 * spec uses to pick the branch: same primitive, a promotion, named types with the same name (or
 * a reader alias) and, for fixed, size; arrays and maps whose items or values match.
 */
export function schemasMatch(writer: AvroType, reader: AvroType): boolean {
  throw new NotImplementedError(RESOLUTION);
}

/** True when the writer's type may be read as the reader's different type (the spec's promotions). */
export function promotable(writer: AvroType['type'], reader: AvroType['type']): boolean {
  throw new NotImplementedError(RESOLUTION);
}

/** Named types match when their unqualified names agree, or the reader lists the writer's as an alias. */
export function namesMatch(writer: { readonly name: string }, reader: { readonly name: string; readonly aliases: readonly string[] }): boolean {
  throw new NotImplementedError(RESOLUTION);
}
