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

import { unqualified, type AvroType } from './avro-schema.js';
import { namesMatch, promotable, schemasMatch } from './avro-resolution.js';

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
 * them all.
 */
export function readerCanRead(reader: AvroType, writer: AvroType): Incompatibility[] {
  const out: Incompatibility[] = [];
  check(reader, writer, 'name' in reader ? unqualified(reader.name) : reader.type, out, new Set());
  return out;
}

/**
 * Checks `candidate` against `history` (oldest first) under `mode`. Non-transitive modes look at
 * the latest version only; transitive ones at every version.
 */
export function checkCompatibility(mode: CompatibilityMode, candidate: AvroType, history: readonly AvroType[]): CompatibilityResult {
  if (mode === 'NONE' || history.length === 0) return { compatible: true, problems: [] };
  const transitive = mode.endsWith('_TRANSITIVE');
  const backward = mode.startsWith('BACKWARD') || mode.startsWith('FULL');
  const forward = mode.startsWith('FORWARD') || mode.startsWith('FULL');
  const first = transitive ? 0 : history.length - 1;
  const problems: VersionProblem[] = [];
  for (let i = history.length - 1; i >= first; i--) {
    const old = history[i]!;
    if (backward) {
      const found = readerCanRead(candidate, old);
      if (found.length > 0) problems.push({ version: i + 1, direction: 'backward', incompatibilities: found });
    }
    if (forward) {
      const found = readerCanRead(old, candidate);
      if (found.length > 0) problems.push({ version: i + 1, direction: 'forward', incompatibilities: found });
    }
  }
  return { compatible: problems.length === 0, problems };
}

/** The result in words, one line per incompatibility: what a registry answers a rejected client. */
export function explainCompatibility(result: CompatibilityResult): string {
  if (result.compatible) return 'compatible';
  const lines: string[] = [];
  for (const p of result.problems) {
    const who = p.direction === 'backward' ? `cannot read data written with version ${p.version}` : `data it writes cannot be read by version ${p.version}`;
    for (const inc of p.incompatibilities) lines.push(`the new schema ${who}: ${inc.kind} at ${inc.path}: ${inc.reason}`);
  }
  return lines.join('\n');
}

function describe(t: AvroType): string {
  return 'name' in t ? `${t.type} ${unqualified(t.name)}` : t.type;
}

function check(reader: AvroType, writer: AvroType, path: string, out: Incompatibility[], visiting: Set<string>): void {
  if (writer.type === 'union') {
    writer.branches.forEach((b, i) => {
      const found: Incompatibility[] = [];
      check(reader, b, path, found, visiting);
      for (const inc of found) out.push({ ...inc, reason: `${inc.reason} (the writer's union branch ${i})` });
    });
    return;
  }
  if (reader.type === 'union') {
    const branch = reader.branches.find((b) => schemasMatch(writer, b));
    if (branch === undefined) {
      out.push({ kind: 'MISSING_UNION_BRANCH', path, reason: `the reader's union has no branch for the writer's ${describe(writer)}` });
      return;
    }
    check(branch, writer, path, out, visiting);
    return;
  }
  if (writer.type !== reader.type) {
    if (!promotable(writer.type, reader.type)) {
      out.push({ kind: 'TYPE_MISMATCH', path, reason: `the writer's ${describe(writer)} cannot be read as the reader's ${describe(reader)}` });
    }
    return;
  }
  switch (writer.type) {
    case 'record': {
      const r = reader as typeof writer;
      if (!namesMatch(writer, r)) {
        out.push({ kind: 'NAME_MISMATCH', path, reason: `the writer's record is named ${writer.name}, the reader's ${r.name}, and no alias joins them` });
        return;
      }
      // Recursive records: a pair already being checked is assumed fine; any problem in it is
      // reported on the first visit.
      const key = `${writer.name}\u0000${r.name}`;
      if (visiting.has(key)) return;
      visiting.add(key);
      const here = unqualified(r.name);
      for (const rf of r.fields) {
        const wf = writer.fields.find((f) => f.name === rf.name) ?? writer.fields.find((f) => rf.aliases.includes(f.name));
        if (wf === undefined) {
          if (!rf.hasDefault) {
            out.push({
              kind: 'READER_FIELD_MISSING_DEFAULT',
              path: `${here}.${rf.name}`,
              reason: `the reader's field ${rf.name} has no default and the writer does not write it`,
            });
          }
          continue;
        }
        check(rf.type, wf.type, `${here}.${rf.name}`, out, visiting);
      }
      visiting.delete(key);
      return;
    }
    case 'enum': {
      const r = reader as typeof writer;
      if (!namesMatch(writer, r)) {
        out.push({ kind: 'NAME_MISMATCH', path, reason: `the writer's enum is named ${writer.name}, the reader's ${r.name}` });
        return;
      }
      const missing = writer.symbols.filter((s) => !r.symbols.includes(s));
      if (missing.length > 0 && r.default === undefined) {
        out.push({ kind: 'MISSING_ENUM_SYMBOLS', path, reason: `the reader's enum lacks the writer's symbols ${missing.join(', ')} and has no default` });
      }
      return;
    }
    case 'fixed': {
      const r = reader as typeof writer;
      if (!namesMatch(writer, r)) out.push({ kind: 'NAME_MISMATCH', path, reason: `the writer's fixed is named ${writer.name}, the reader's ${r.name}` });
      else if (writer.size !== r.size) out.push({ kind: 'FIXED_SIZE_MISMATCH', path, reason: `the writer's fixed has ${writer.size} bytes, the reader's ${r.size}` });
      return;
    }
    case 'array':
      check((reader as typeof writer).items, writer.items, `${path}[]`, out, visiting);
      return;
    case 'map':
      check((reader as typeof writer).values, writer.values, `${path}{}`, out, visiting);
      return;
    default:
      return; // the same primitive
  }
}
