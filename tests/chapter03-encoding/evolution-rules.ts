/**
 * The evolution rules of the notes, as data: for each, an old (v1) and a new (v2) schema, sample
 * values each writes, what the other version reads from them, and what the compatibility checker
 * must say. Both the resolution matrix and the checker tests run from this table.
 */

import type { AvroSchemaJson, AvroValue } from '@impl/chapter03-encoding/avro-schema.js';
import type { IncompatibilityKind } from '@impl/chapter03-encoding/compatibility.js';

/** What reading gives: a value, or a resolution error. */
export type Outcome = { readonly value: AvroValue } | { readonly error: true };

export interface EvolutionRule {
  readonly name: string;
  readonly v1: AvroSchemaJson;
  readonly v2: AvroSchemaJson;
  /** Values written with v1. */
  readonly oldValues: readonly AvroValue[];
  /** What a v2 reader gets from each of them. */
  readonly newReadsOld: readonly Outcome[];
  /** Values written with v2. */
  readonly newValues: readonly AvroValue[];
  /** What a v1 reader gets from each of them. */
  readonly oldReadsNew: readonly Outcome[];
  /** The incompatibility the checker must report when v2 reads v1 data, or `null`. */
  readonly backward: IncompatibilityKind | null;
  /** The incompatibility the checker must report when v1 reads v2 data, or `null`. */
  readonly forward: IncompatibilityKind | null;
}

const rec = (fields: readonly object[], name = 'Person', extra: object = {}): AvroSchemaJson => ({ type: 'record', name, ...extra, fields });
const ok = (value: AvroValue): Outcome => ({ value });
const fails: Outcome = { error: true };
const utf8 = (s: string) => new TextEncoder().encode(s);

export const evolutionRules: readonly EvolutionRule[] = [
  {
    name: 'add a field with a default',
    v1: rec([{ name: 'id', type: 'int' }]),
    v2: rec([{ name: 'id', type: 'int' }, { name: 'email', type: 'string', default: 'unknown' }]),
    oldValues: [{ id: 1 }],
    newReadsOld: [ok({ id: 1, email: 'unknown' })],
    newValues: [{ id: 2, email: 'a@b.c' }],
    oldReadsNew: [ok({ id: 2 })],
    backward: null,
    forward: null,
  },
  {
    name: 'remove a field that has a default',
    v1: rec([{ name: 'id', type: 'int' }, { name: 'email', type: 'string', default: 'unknown' }]),
    v2: rec([{ name: 'id', type: 'int' }]),
    oldValues: [{ id: 1, email: 'a@b.c' }],
    newReadsOld: [ok({ id: 1 })],
    newValues: [{ id: 2 }],
    oldReadsNew: [ok({ id: 2, email: 'unknown' })],
    backward: null,
    forward: null,
  },
  {
    name: 'add a field without a default',
    v1: rec([{ name: 'id', type: 'int' }]),
    v2: rec([{ name: 'id', type: 'int' }, { name: 'email', type: 'string' }]),
    oldValues: [{ id: 1 }],
    newReadsOld: [fails],
    newValues: [{ id: 2, email: 'a@b.c' }],
    oldReadsNew: [ok({ id: 2 })],
    backward: 'READER_FIELD_MISSING_DEFAULT',
    forward: null,
  },
  {
    name: 'remove a field without a default',
    v1: rec([{ name: 'id', type: 'int' }, { name: 'email', type: 'string' }]),
    v2: rec([{ name: 'id', type: 'int' }]),
    oldValues: [{ id: 1, email: 'a@b.c' }],
    newReadsOld: [ok({ id: 1 })],
    newValues: [{ id: 2 }],
    oldReadsNew: [fails],
    backward: null,
    forward: 'READER_FIELD_MISSING_DEFAULT',
  },
  {
    name: 'rename a field, keeping the old name as an alias',
    v1: rec([{ name: 'name', type: 'string' }]),
    v2: rec([{ name: 'fullName', type: 'string', aliases: ['name'] }]),
    oldValues: [{ name: 'Ada' }],
    newReadsOld: [ok({ fullName: 'Ada' })],
    newValues: [{ fullName: 'Grace' }],
    oldReadsNew: [fails],
    backward: null,
    forward: 'READER_FIELD_MISSING_DEFAULT',
  },
  {
    name: 'rename a record, keeping the old name as an alias',
    v1: rec([{ name: 'id', type: 'int' }], 'Person'),
    v2: rec([{ name: 'id', type: 'int' }], 'User', { aliases: ['Person'] }),
    oldValues: [{ id: 1 }],
    newReadsOld: [ok({ id: 1 })],
    newValues: [{ id: 2 }],
    oldReadsNew: [fails],
    backward: null,
    forward: 'NAME_MISMATCH',
  },
  {
    name: 'promote int to long',
    v1: rec([{ name: 'n', type: 'int' }]),
    v2: rec([{ name: 'n', type: 'long' }]),
    oldValues: [{ n: -(2 ** 31) }],
    newReadsOld: [ok({ n: -(2 ** 31) })],
    newValues: [{ n: 2 ** 40 }],
    oldReadsNew: [fails],
    backward: null,
    forward: 'TYPE_MISMATCH',
  },
  {
    name: 'promote int to float, which rounds above 2^24',
    v1: rec([{ name: 'n', type: 'int' }]),
    v2: rec([{ name: 'n', type: 'float' }]),
    oldValues: [{ n: 2 ** 24 + 1 }],
    newReadsOld: [ok({ n: 2 ** 24 })],
    newValues: [{ n: 1.5 }],
    oldReadsNew: [fails],
    backward: null,
    forward: 'TYPE_MISMATCH',
  },
  {
    name: 'promote long to double',
    v1: rec([{ name: 'n', type: 'long' }]),
    v2: rec([{ name: 'n', type: 'double' }]),
    oldValues: [{ n: 2n ** 60n }],
    newReadsOld: [ok({ n: 2 ** 60 })],
    newValues: [{ n: 0.5 }],
    oldReadsNew: [fails],
    backward: null,
    forward: 'TYPE_MISMATCH',
  },
  {
    name: 'promote float to double',
    v1: rec([{ name: 'x', type: 'float' }]),
    v2: rec([{ name: 'x', type: 'double' }]),
    oldValues: [{ x: Math.fround(0.1) }],
    newReadsOld: [ok({ x: Math.fround(0.1) })],
    newValues: [{ x: 0.1 }],
    oldReadsNew: [fails],
    backward: null,
    forward: 'TYPE_MISMATCH',
  },
  {
    name: 'change string to bytes (and back)',
    v1: rec([{ name: 's', type: 'string' }]),
    v2: rec([{ name: 's', type: 'bytes' }]),
    oldValues: [{ s: 'héllo' }],
    newReadsOld: [ok({ s: utf8('héllo') })],
    newValues: [{ s: utf8('naïve') }],
    oldReadsNew: [ok({ s: 'naïve' })],
    backward: null,
    forward: null,
  },
  {
    name: 'add an enum symbol',
    v1: rec([{ name: 'c', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } }]),
    v2: rec([{ name: 'c', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN', 'BLUE'] } }]),
    oldValues: [{ c: 'GREEN' }],
    newReadsOld: [ok({ c: 'GREEN' })],
    newValues: [{ c: 'RED' }, { c: 'BLUE' }],
    oldReadsNew: [ok({ c: 'RED' }), fails],
    backward: null,
    forward: 'MISSING_ENUM_SYMBOLS',
  },
  {
    name: "add an enum symbol when the old reader's enum has a default",
    v1: rec([{ name: 'c', type: { type: 'enum', name: 'Color', symbols: ['UNKNOWN', 'RED'], default: 'UNKNOWN' } }]),
    v2: rec([{ name: 'c', type: { type: 'enum', name: 'Color', symbols: ['UNKNOWN', 'RED', 'BLUE'], default: 'UNKNOWN' } }]),
    oldValues: [{ c: 'RED' }],
    newReadsOld: [ok({ c: 'RED' })],
    newValues: [{ c: 'BLUE' }],
    oldReadsNew: [ok({ c: 'UNKNOWN' })],
    backward: null,
    forward: null,
  },
  {
    name: 'remove an enum symbol',
    v1: rec([{ name: 'c', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN', 'BLUE'] } }]),
    v2: rec([{ name: 'c', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } }]),
    oldValues: [{ c: 'RED' }, { c: 'BLUE' }],
    newReadsOld: [ok({ c: 'RED' }), fails],
    newValues: [{ c: 'GREEN' }],
    oldReadsNew: [ok({ c: 'GREEN' })],
    backward: 'MISSING_ENUM_SYMBOLS',
    forward: null,
  },
  {
    name: 'make a field nullable (a union with null)',
    v1: rec([{ name: 'n', type: 'long' }]),
    v2: rec([{ name: 'n', type: ['null', 'long'], default: null }]),
    oldValues: [{ n: 5 }],
    newReadsOld: [ok({ n: 5 })],
    newValues: [{ n: 6 }, { n: null }],
    oldReadsNew: [ok({ n: 6 }), fails],
    backward: null,
    forward: 'TYPE_MISMATCH',
  },
  {
    name: 'add a branch to a union',
    v1: rec([{ name: 'v', type: ['null', 'string'] }]),
    v2: rec([{ name: 'v', type: ['null', 'string', 'int'] }]),
    oldValues: [{ v: 'x' }, { v: null }],
    newReadsOld: [ok({ v: 'x' }), ok({ v: null })],
    newValues: [{ v: 'y' }, { v: 3 }],
    oldReadsNew: [ok({ v: 'y' }), fails],
    backward: null,
    forward: 'MISSING_UNION_BRANCH',
  },
  {
    name: 'change a field to an unrelated type',
    v1: rec([{ name: 'zip', type: 'string' }]),
    v2: rec([{ name: 'zip', type: 'int' }]),
    oldValues: [{ zip: '12345' }],
    newReadsOld: [fails],
    newValues: [{ zip: 12345 }],
    oldReadsNew: [fails],
    backward: 'TYPE_MISMATCH',
    forward: 'TYPE_MISMATCH',
  },
  {
    name: 'change the size of a fixed',
    v1: rec([{ name: 'h', type: { type: 'fixed', name: 'Hash', size: 4 } }]),
    v2: rec([{ name: 'h', type: { type: 'fixed', name: 'Hash', size: 8 } }]),
    oldValues: [{ h: Uint8Array.of(1, 2, 3, 4) }],
    newReadsOld: [fails],
    newValues: [{ h: new Uint8Array(8) }],
    oldReadsNew: [fails],
    backward: 'FIXED_SIZE_MISMATCH',
    forward: 'FIXED_SIZE_MISMATCH',
  },
  {
    name: 'add a field with a default to records nested in an array',
    v1: rec([{ name: 'items', type: { type: 'array', items: rec([{ name: 'sku', type: 'string' }], 'Item') } }], 'Order'),
    v2: rec(
      [{ name: 'items', type: { type: 'array', items: rec([{ name: 'sku', type: 'string' }, { name: 'qty', type: 'int', default: 1 }], 'Item') } }],
      'Order',
    ),
    oldValues: [{ items: [{ sku: 'a' }, { sku: 'b' }] }],
    newReadsOld: [ok({ items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 1 }] })],
    newValues: [{ items: [{ sku: 'c', qty: 3 }] }],
    oldReadsNew: [ok({ items: [{ sku: 'c' }] })],
    backward: null,
    forward: null,
  },
];
