/**
 * Exercise 3.5: a schema compatibility checker, as a schema registry runs before accepting a new
 * version of a schema.
 *
 * "Can `reader` read everything `writer` writes?" is asked statically, for every datum at once,
 * with the same rules as resolution (see `avro-resolution.ts`): a writer's union is readable only
 * if every one of its branches is, and an enum only if every writer symbol has a place.
 *
 * The modes, for a candidate schema and the versions registered before it (oldest first):
 *
 * | mode | the candidate must be able to… |
 * |---|---|
 * | BACKWARD | read data written with the latest version |
 * | FORWARD | be read by the latest version |
 * | FULL | both |
 * | …_TRANSITIVE | the same against every earlier version, not just the latest |
 * | NONE | nothing: every schema is accepted |
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { AvroType } from './avro-schema.js';

const COMPAT = { exercise: '3.5 Compatibility checking', file: 'chapter03-encoding/compatibility.ts', section: '3.5 Compatibility checking' };

/** What kind of problem an incompatibility is. */
export type IncompatibilityKind =
  | 'NAME_MISMATCH'
  | 'FIXED_SIZE_MISMATCH'
  | 'MISSING_ENUM_SYMBOLS'
  | 'READER_FIELD_MISSING_DEFAULT'
  | 'TYPE_MISMATCH'
  | 'MISSING_UNION_BRANCH';

/** One reason a reader cannot read a writer's data. */
export interface Incompatibility {
  readonly kind: IncompatibilityKind;
  /** Where, as a path through the reader's schema: `Person.interests[]`. */
  readonly path: string;
  /** The explanation, in words. */
  readonly reason: string;
}

/** The registry's compatibility modes. */
export type CompatibilityMode =
  | 'NONE'
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE';

/** The incompatibilities found against one earlier version, in one direction. */
export interface VersionProblem {
  /** The earlier version, numbered from 1 (the first in the history). */
  readonly version: number;
  /** `backward`: the candidate cannot read that version's data; `forward`: the reverse. */
  readonly direction: 'backward' | 'forward';
  readonly incompatibilities: readonly Incompatibility[];
}

/** The verdict on a candidate schema. */
export interface CompatibilityResult {
  readonly compatible: boolean;
  readonly problems: readonly VersionProblem[];
}

/**
 * Every reason `reader` cannot read some datum written with `writer`; empty when it can read
 * them all. Must agree with `createResolver`: where this returns nothing, every datum resolves.
 * One entry per problem (a record with two bad fields gives two), each with its kind, the path
 * through the reader's schema (`User.email`, `Order.items[]`) and the reason in words.
 */
export function readerCanRead(reader: AvroType, writer: AvroType): Incompatibility[] {
  throw new NotImplementedError(COMPAT);
}

/**
 * Checks `candidate` against `history` (oldest first, versions numbered from 1) under `mode`:
 * BACKWARD asks whether the candidate reads old data, FORWARD whether old schemas read the
 * candidate's data, FULL both; non-transitive modes look at the latest version only, transitive
 * ones at every version; NONE and an empty history accept anything.
 */
export function checkCompatibility(mode: CompatibilityMode, candidate: AvroType, history: readonly AvroType[]): CompatibilityResult {
  throw new NotImplementedError(COMPAT);
}

/**
 * The result in words: `compatible`, or one line per incompatibility naming the version, the
 * direction, the kind, the path and the reason.
 */
export function explainCompatibility(result: CompatibilityResult): string {
  throw new NotImplementedError(COMPAT);
}
