/**
 * Exercise 3.5 (second part): the compatibility rules of Protocol Buffers. There are no
 * defaults to check and no names on the wire; the tag is everything. A new version of a message
 * is safe when every tag keeps a meaning that old readers and writers agree with:
 *
 * - a tag may be renamed (names are not on the wire) but never given to a different field: once
 *   used, a tag is used forever, even after its field is deleted;
 * - a field's type may change only within a group that shares a wire type and a meaning of the
 *   bytes: {int32, int64, uint32, uint64, bool, enum} (plain varints; values may be truncated),
 *   {sint32, sint64} (zigzag), {fixed32, sfixed32}, {fixed64, sfixed64}, and
 *   {string, bytes, nested message} (length-delimited; a string must hold UTF-8);
 * - nested messages are checked field by field, the same way.
 *
 * Two versions alone cannot tell a renamed field from a reused tag; this checker calls a tag
 * reused when its field's name and its type both changed, and a rename when only the name did.
 * @module
 */

import type { ProtoField, ProtoMessageType, ProtoScalarType } from './protobuf-schema.js';
import { wireTypeOf } from './protobuf-schema.js';

/** What kind of change breaks Protocol Buffers compatibility. */
export type ProtoChangeKind = 'TAG_REUSED' | 'WIRE_TYPE_CHANGED' | 'ENCODING_CHANGED';

/** One incompatible change, with the tag, where, and why. */
export interface ProtoIncompatibility {
  readonly kind: ProtoChangeKind;
  /** The field number involved. */
  readonly tag: number;
  /** The field in the candidate, or the old field when the candidate has none: `Person.email`. */
  readonly path: string;
  readonly reason: string;
}

const GROUPS: ReadonlyArray<ReadonlySet<string>> = [
  new Set(['int32', 'int64', 'uint32', 'uint64', 'bool', 'enum']),
  new Set(['sint32', 'sint64']),
  new Set(['fixed32', 'sfixed32']),
  new Set(['fixed64', 'sfixed64']),
  new Set(['string', 'bytes', 'message']),
  new Set(['float']),
  new Set(['double']),
];

function typeName(type: ProtoScalarType | ProtoMessageType): string {
  return typeof type === 'string' ? type : 'message';
}

function label(type: ProtoScalarType | ProtoMessageType): string {
  return typeof type === 'string' ? type : `message ${type.name}`;
}

/**
 * Every incompatible change from the versions in `history` (oldest first) to `candidate`:
 * tags reused by another field (in any earlier version, including fields since deleted), and
 * type changes across wire types or encodings. Empty when the candidate is safe.
 */
export function checkProtoEvolution(history: readonly ProtoMessageType[], candidate: ProtoMessageType): ProtoIncompatibility[] {
  const out: ProtoIncompatibility[] = [];
  check(history, candidate, candidate.name, out);
  return out;
}

function check(history: readonly ProtoMessageType[], candidate: ProtoMessageType, path: string, out: ProtoIncompatibility[]): void {
  for (const field of candidate.fields) {
    const where = `${path}.${field.name}`;
    // The latest earlier field with this tag says what old data holds under it.
    const earlier: ProtoField[] = [];
    for (const old of history) {
      const f = old.fields.find((x) => x.tag === field.tag);
      if (f !== undefined) earlier.push(f);
    }
    const reusedFrom = earlier.find((f) => f.name !== field.name && typeName(f.type) !== typeName(field.type));
    if (reusedFrom !== undefined) {
      out.push({
        kind: 'TAG_REUSED',
        tag: field.tag,
        path: where,
        reason: `tag ${field.tag} belonged to ${reusedFrom.name} (${label(reusedFrom.type)}); old data would be read as ${field.name} (${label(field.type)})`,
      });
      continue;
    }
    const last = earlier[earlier.length - 1];
    if (last === undefined) continue; // a new tag: always safe
    const before = typeName(last.type);
    const now = typeName(field.type);
    if (wireTypeOf(last.type) !== wireTypeOf(field.type)) {
      out.push({ kind: 'WIRE_TYPE_CHANGED', tag: field.tag, path: where, reason: `${label(last.type)} became ${label(field.type)}: another wire type, so readers of one fail on the other` });
      continue;
    }
    if (!GROUPS.some((g) => g.has(before) && g.has(now))) {
      out.push({
        kind: 'ENCODING_CHANGED',
        tag: field.tag,
        path: where,
        reason: `${label(last.type)} became ${label(field.type)}: the same wire type, but the bytes mean different numbers`,
      });
      continue;
    }
    if (typeof last.type !== 'string' && typeof field.type !== 'string') {
      const nestedHistory = earlier.map((f) => f.type).filter((t): t is ProtoMessageType => typeof t !== 'string');
      check(nestedHistory, field.type, where, out);
    }
  }
}
