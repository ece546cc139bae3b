/**
 * Exercise 3.6: a schema registry kept in the ordered key-value store, and records framed with
 * the id of the schema they were written with.
 *
 * A record on a wire or in a log must say which schema wrote it, or no reader can decode it.
 * Writing the whole schema into every record would cost more than the record; instead the
 * registry gives every distinct schema a small integer id, and each record carries the id:
 *
 * ```text
 * byte 0      magic byte 0x00 (the framing version)
 * bytes 1..4  schema id, unsigned 32-bit big-endian
 * bytes 5..   the record, Avro binary encoded with that schema
 * ```
 *
 * (the framing Confluent's registry uses). Subjects (for example a topic's values) have versions
 * 1, 2, 3…, each pointing at an id; a new version is accepted only if it passes the subject's
 * compatibility mode against the earlier ones.
 *
 * All state lives in the store, under keys built with the tuple encoding (`shared/tuple-key.ts`):
 *
 * | key | value |
 * |---|---|
 * | `["schema-registry", "next-id"]` | the next id to hand out, decimal text |
 * | `["schema-registry", "id", id]` | the schema, as JSON text |
 * | `["schema-registry", "by-fingerprint", fingerprint, id]` | empty: schema `id` has this fingerprint |
 * | `["schema-registry", "subject", subject, version]` | the id of that version, decimal text |
 * | `["schema-registry", "mode", subject]` | the subject's compatibility mode |
 *
 * The fingerprint is the Avro specification's 64-bit Rabin fingerprint (CRC-64-AVRO) of the
 * schema's JSON text, stored as a signed 64-bit bigint: it finds an already registered schema
 * without using the whole schema as a key (stores limit key sizes), and the text stored under each
 * candidate id settles any collision. Registering writes all of its keys in one atomic batch, so
 * a crash leaves either the whole new version or none of it.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { OrderedKV } from '../../shared/kv.js';
import type { AvroType, AvroValue } from './avro-schema.js';
import type { CompatibilityMode } from './compatibility.js';

const REGISTRY = { exercise: '3.6 A schema registry', file: 'chapter03-encoding/schema-registry.ts', section: '3.6 A schema registry' };

/** The first byte of every framed record. */
export const MAGIC_BYTE = 0x00;
/** Magic byte plus a 4-byte id. */
export const FRAME_HEADER_BYTES = 5;

/** One version of a subject. */
export interface RegisteredSchema {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  readonly schema: AvroType;
}

/**
 * The 64-bit Rabin fingerprint (CRC-64-AVRO) of `text`'s UTF-8 bytes, as the Avro specification
 * defines it for schemas: an unsigned 64-bit bigint. Start from `0xc15d213aa4d7a795n`; for each
 * byte `b`, `fp = (fp >> 8n) ^ table[(fp ^ b) & 0xff]`, where `table[i]` is `i` shifted right 8
 * times, XOR-ing in the empty value after each shift that drops a 1 bit.
 */
export function schemaFingerprint(text: string): bigint {
  throw new NotImplementedError(REGISTRY);
}

/** Prefixes a record with its schema id: `0x00`, then the id as 4 big-endian bytes. */
export function frameRecord(schemaId: number, payload: Uint8Array): Uint8Array {
  throw new NotImplementedError(REGISTRY);
}

/** Splits a framed record. A wrong magic byte or fewer than 5 bytes is a `DecodeError`. */
export function unframeRecord(bytes: Uint8Array): { readonly schemaId: number; readonly payload: Uint8Array } {
  throw new NotImplementedError(REGISTRY);
}

/**
 * Subjects, versions and ids of Avro schemas, stored in an ordered key-value store under the key
 * layout above. Every piece of state lives in the store: a second registry built over the same
 * store sees the same subjects, versions, ids and modes.
 */
export class SchemaRegistry {
  private readonly kv: OrderedKV;
  private readonly defaultMode: CompatibilityMode;

  constructor(kv: OrderedKV, defaultMode: CompatibilityMode = 'BACKWARD') {
    this.kv = kv;
    this.defaultMode = defaultMode;
  }

  /**
   * Registers `schema` as the next version of `subject` (versions count from 1) and returns it.
   * A schema already registered anywhere keeps its id; one the subject already has returns that
   * version unchanged. A schema that fails the subject's mode against its history throws an
   * `IncompatibleSchemaError` explaining why and stores nothing; otherwise every key is written
   * in one atomic batch. Ids are never reused.
   */
  register(subject: string, schema: AvroType): RegisteredSchema {
    throw new NotImplementedError(REGISTRY);
  }

  /** The schema with this id; an `UnknownSchemaError` if there is none. */
  schemaById(id: number): AvroType {
    throw new NotImplementedError(REGISTRY);
  }

  /** One version of a subject; an `UnknownSchemaError` if there is none. */
  version(subject: string, version: number): RegisteredSchema {
    throw new NotImplementedError(REGISTRY);
  }

  /** The latest version of a subject, or `undefined` if it has none. */
  latest(subject: string): RegisteredSchema | undefined {
    throw new NotImplementedError(REGISTRY);
  }

  /** The subject's version numbers, ascending. */
  versions(subject: string): number[] {
    throw new NotImplementedError(REGISTRY);
  }

  /** Every subject with at least one version, in order. */
  subjects(): string[] {
    throw new NotImplementedError(REGISTRY);
  }

  /** Sets the compatibility mode new versions of `subject` must pass. */
  setCompatibility(subject: string, mode: CompatibilityMode): void {
    throw new NotImplementedError(REGISTRY);
  }

  /** The subject's compatibility mode (the registry's default until one is set). */
  compatibility(subject: string): CompatibilityMode {
    throw new NotImplementedError(REGISTRY);
  }

  /** Encodes `value` with the subject's latest schema and frames it with that schema's id. */
  encode(subject: string, value: AvroValue): Uint8Array {
    throw new NotImplementedError(REGISTRY);
  }

  /**
   * Decodes a framed record: with its writer's schema, found by the id in the frame, resolved to
   * `readerSchema` when one is given. An unknown id is an `UnknownSchemaError`.
   */
  decode(bytes: Uint8Array, readerSchema?: AvroType): AvroValue {
    throw new NotImplementedError(REGISTRY);
  }
}
