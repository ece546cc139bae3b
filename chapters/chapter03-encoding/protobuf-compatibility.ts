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

import { NotImplementedError } from '../../shared/errors.js';
import type { ProtoMessageType } from './protobuf-schema.js';

const PROTO_COMPAT = { exercise: '3.5 Compatibility checking', file: 'chapter03-encoding/protobuf-compatibility.ts', section: '3.5 Compatibility checking' };

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

/**
 * Every incompatible change from the versions in `history` (oldest first) to `candidate`, each
 * with its kind, tag, path (`Person.email`) and reason: a tag reused by another field (in any
 * earlier version, including fields since deleted), a type change to another wire type, or to
 * the same wire type with a different meaning; nested messages checked the same way. Empty when
 * the candidate is safe.
 */
export function checkProtoEvolution(history: readonly ProtoMessageType[], candidate: ProtoMessageType): ProtoIncompatibility[] {
  throw new NotImplementedError(PROTO_COMPAT);
}
