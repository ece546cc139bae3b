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

import { DecodeError, UsageError } from '../../shared/errors.js';
import type { OrderedKV } from '../../shared/kv.js';
import { prefixRange } from '../../shared/kv.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import { decodeAvro, encodeAvro } from './avro-binary.js';
import { createResolver, type Resolver } from './avro-resolution.js';
import { parseAvroSchemaText, schemaToJson, type AvroType, type AvroValue } from './avro-schema.js';
import { checkCompatibility, explainCompatibility, type CompatibilityMode } from './compatibility.js';
import { IncompatibleSchemaError, UnknownSchemaError } from './errors.js';

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

/** Prefixes a record with its schema id: `0x00`, then the id as 4 big-endian bytes. */
export function frameRecord(schemaId: number, payload: Uint8Array): Uint8Array {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffffffff) throw new UsageError(`schema id ${schemaId} is not an unsigned 32-bit integer`);
  const out = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  out[0] = MAGIC_BYTE;
  new DataView(out.buffer).setUint32(1, schemaId); // big-endian
  out.set(payload, FRAME_HEADER_BYTES);
  return out;
}

/** Splits a framed record. A wrong magic byte or fewer than 5 bytes is a `DecodeError`. */
export function unframeRecord(bytes: Uint8Array): { readonly schemaId: number; readonly payload: Uint8Array } {
  if (bytes.length < FRAME_HEADER_BYTES) throw new DecodeError(bytes.length, 'a 5-byte frame header', `only ${bytes.length} byte(s)`);
  if (bytes[0] !== MAGIC_BYTE) throw new DecodeError(0, 'the magic byte 0x00', `found 0x${bytes[0]!.toString(16).padStart(2, '0')}`);
  const schemaId = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1);
  return { schemaId, payload: bytes.subarray(FRAME_HEADER_BYTES) };
}

const ROOT = 'schema-registry';
const FINGERPRINT_EMPTY = 0xc15d213aa4d7a795n;
const FINGERPRINT_TABLE: readonly bigint[] = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (FINGERPRINT_EMPTY & -(fp & 1n));
  return fp;
});

/**
 * The 64-bit Rabin fingerprint (CRC-64-AVRO) of `text`'s UTF-8 bytes, as the Avro specification
 * defines it for schemas: an unsigned 64-bit bigint.
 */
export function schemaFingerprint(text: string): bigint {
  let fp = FINGERPRINT_EMPTY;
  for (const b of new TextEncoder().encode(text)) fp = (fp >> 8n) ^ FINGERPRINT_TABLE[Number((fp ^ BigInt(b)) & 0xffn)]!;
  return fp;
}
const text = new TextEncoder();
const untext = new TextDecoder();

/** Subjects, versions and ids of Avro schemas, stored in an ordered key-value store. */
export class SchemaRegistry {
  private readonly kv: OrderedKV;
  private readonly defaultMode: CompatibilityMode;
  // Schemas by id never change once written, so parsed ones can be cached in memory.
  private readonly parsed = new Map<number, AvroType>();
  private readonly resolvers = new Map<number, WeakMap<AvroType, Resolver>>();

  constructor(kv: OrderedKV, defaultMode: CompatibilityMode = 'BACKWARD') {
    this.kv = kv;
    this.defaultMode = defaultMode;
  }

  /**
   * Registers `schema` as the next version of `subject` and returns it. Registering a schema the
   * subject already has returns that version unchanged. A schema that fails the subject's mode
   * throws an `IncompatibleSchemaError` explaining why, and stores nothing.
   */
  register(subject: string, schema: AvroType): RegisteredSchema {
    const json = JSON.stringify(schemaToJson(schema));
    const history = this.history(subject);
    const fingerprint = BigInt.asIntN(64, schemaFingerprint(json));
    const knownId = this.findSchema(fingerprint, json);
    const existing = history.find((h) => h.id === knownId);
    if (existing !== undefined) return existing;
    const mode = this.compatibility(subject);
    const result = checkCompatibility(
      mode,
      schema,
      history.map((h) => h.schema),
    );
    if (!result.compatible) throw new IncompatibleSchemaError(subject, mode, explainCompatibility(result));
    const version = history.length === 0 ? 1 : history[history.length - 1]!.version + 1;
    const ops = [];
    let id = knownId;
    if (id === undefined) {
      id = this.readNumber([ROOT, 'next-id']) ?? 1;
      ops.push(
        { type: 'put' as const, key: encodeKey([ROOT, 'next-id']), value: text.encode(String(id + 1)) },
        { type: 'put' as const, key: encodeKey([ROOT, 'id', id]), value: text.encode(json) },
        { type: 'put' as const, key: encodeKey([ROOT, 'by-fingerprint', fingerprint, id]), value: new Uint8Array(0) },
      );
    }
    ops.push({ type: 'put' as const, key: encodeKey([ROOT, 'subject', subject, version]), value: text.encode(String(id)) });
    this.kv.batch(ops);
    return { subject, version, id, schema: this.schemaById(id) };
  }

  /** The schema with this id; an `UnknownSchemaError` if there is none. */
  schemaById(id: number): AvroType {
    let schema = this.parsed.get(id);
    if (schema === undefined) {
      const stored = this.kv.get(encodeKey([ROOT, 'id', id]));
      if (stored === undefined) throw new UnknownSchemaError(`id ${id}`);
      schema = parseAvroSchemaText(untext.decode(stored));
      this.parsed.set(id, schema);
    }
    return schema;
  }

  /** One version of a subject; an `UnknownSchemaError` if there is none. */
  version(subject: string, version: number): RegisteredSchema {
    const id = this.readNumber([ROOT, 'subject', subject, version]);
    if (id === undefined) throw new UnknownSchemaError(`subject "${subject}" version ${version}`);
    return { subject, version, id, schema: this.schemaById(id) };
  }

  /** The latest version of a subject, or `undefined` if it has none. */
  latest(subject: string): RegisteredSchema | undefined {
    const [last] = this.kv.scan({ ...prefixRange(encodeKey([ROOT, 'subject', subject])), reverse: true, limit: 1 });
    if (last === undefined) return undefined;
    return this.version(subject, decodeKey(last.key)[3] as number);
  }

  /** The subject's version numbers, ascending. */
  versions(subject: string): number[] {
    return [...this.kv.scan(prefixRange(encodeKey([ROOT, 'subject', subject])))].map((e) => decodeKey(e.key)[3] as number);
  }

  /** Every subject with at least one version, in order. */
  subjects(): string[] {
    const out: string[] = [];
    for (const e of this.kv.scan(prefixRange(encodeKey([ROOT, 'subject'])))) {
      const subject = decodeKey(e.key)[2] as string;
      if (out[out.length - 1] !== subject) out.push(subject);
    }
    return out;
  }

  /** Sets the compatibility mode new versions of `subject` must pass. */
  setCompatibility(subject: string, mode: CompatibilityMode): void {
    this.kv.put(encodeKey([ROOT, 'mode', subject]), text.encode(mode));
  }

  /** The subject's compatibility mode (the registry's default until one is set). */
  compatibility(subject: string): CompatibilityMode {
    const stored = this.kv.get(encodeKey([ROOT, 'mode', subject]));
    return stored === undefined ? this.defaultMode : (untext.decode(stored) as CompatibilityMode);
  }

  /** Encodes `value` with the subject's latest schema and frames it with that schema's id. */
  encode(subject: string, value: AvroValue): Uint8Array {
    const latest = this.latest(subject);
    if (latest === undefined) throw new UnknownSchemaError(`subject "${subject}" (it has no versions)`);
    return frameRecord(latest.id, encodeAvro(latest.schema, value));
  }

  /**
   * Decodes a framed record: with its writer's schema, found by the id in the frame, resolved to
   * `readerSchema` when one is given.
   */
  decode(bytes: Uint8Array, readerSchema?: AvroType): AvroValue {
    const { schemaId, payload } = unframeRecord(bytes);
    const writer = this.schemaById(schemaId);
    if (readerSchema === undefined) return decodeAvro(writer, payload);
    let byReader = this.resolvers.get(schemaId);
    if (byReader === undefined) {
      byReader = new WeakMap();
      this.resolvers.set(schemaId, byReader);
    }
    let resolver = byReader.get(readerSchema);
    if (resolver === undefined) {
      resolver = createResolver(writer, readerSchema);
      byReader.set(readerSchema, resolver);
    }
    return resolver.decode(payload);
  }

  /** The id of the schema whose JSON text is `json`, among those with its fingerprint. */
  private findSchema(fingerprint: bigint, json: string): number | undefined {
    for (const e of this.kv.scan(prefixRange(encodeKey([ROOT, 'by-fingerprint', fingerprint])))) {
      const id = decodeKey(e.key)[3] as number;
      const stored = this.kv.get(encodeKey([ROOT, 'id', id]));
      if (stored !== undefined && untext.decode(stored) === json) return id;
    }
    return undefined;
  }

  private history(subject: string): RegisteredSchema[] {
    return this.versions(subject).map((v) => this.version(subject, v));
  }

  private readNumber(key: Parameters<typeof encodeKey>[0]): number | undefined {
    const stored = this.kv.get(encodeKey(key));
    return stored === undefined ? undefined : Number(untext.decode(stored));
  }
}
