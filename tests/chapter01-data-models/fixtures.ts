/**
 * Shared data for chapter 01's tests: a small shop (users and orders), helpers to look inside
 * the key-value store, and a store that stops a query which never ends.
 */

import fc from 'fast-check';
import { fromUtf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import type { BatchOp, Entry, KeyRange, OrderedKV } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { decodeKey, type KeyPart } from '../../shared/tuple-key.js';
import type { TableSchema } from '@impl/chapter01-data-models/schema.js';
import { PropertyGraph } from '@impl/chapter01-data-models/graph-store.js';
import { Database } from '@impl/chapter01-data-models/table-storage.js';
import type { JsonObject, JsonValue, Row, Value } from '@impl/chapter01-data-models/values.js';

export const usersSchema: TableSchema = {
  name: 'users',
  primaryKey: 'id',
  columns: [
    { name: 'id', type: 'int' },
    { name: 'name', type: 'text' },
    { name: 'region', type: 'text' },
    { name: 'age', type: 'int', nullable: true },
  ],
};

export const ordersSchema: TableSchema = {
  name: 'orders',
  primaryKey: 'id',
  columns: [
    { name: 'id', type: 'int' },
    { name: 'user_id', type: 'int' },
    { name: 'total', type: 'float' },
    { name: 'status', type: 'text', nullable: true },
  ],
};

export const users = [
  { id: 1, name: 'Ada', region: 'SEA', age: 36 },
  { id: 2, name: 'Grace', region: 'NYC', age: 45 },
  { id: 3, name: 'Linus', region: 'SEA', age: null },
  { id: 4, name: 'Barbara', region: 'LON', age: 29 },
] as const;

export const orders = [
  { id: 10, user_id: 1, total: 30, status: 'paid' },
  { id: 11, user_id: 1, total: 12.5, status: null },
  { id: 12, user_id: 2, total: 99, status: 'paid' },
  { id: 13, user_id: 3, total: 7, status: 'refunded' },
  { id: 14, user_id: 99, total: 5, status: 'paid' }, // no such user: an orphan
] as const;

/** A database holding the shop, over a fresh `MemoryKV`. */
export function shop(): { kv: MemoryKV; db: Database } {
  const kv = new MemoryKV();
  const db = new Database(kv);
  db.createTable(usersSchema);
  db.createTable(ordersSchema);
  db.insertMany('users', users);
  db.insertMany('orders', orders);
  return { kv, db };
}

/** Every entry of the store as `[decoded key, value text]`, to compare stores or show layouts. */
export function dump(kv: OrderedKV): Array<[KeyPart[], string]> {
  return [...kv.scan()].map((e) => [decodeKey(e.key), fromUtf8(e.value)]);
}

/** Sorts rows (or anything JSON) into a canonical order, to compare results as multisets. */
export function sorted<T>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/**
 * A store that throws after `budget` reads. A traversal that loops forever on a cycle fails fast
 * with this message instead of hanging the test run.
 */
export class BudgetKV implements OrderedKV {
  reads = 0;
  constructor(
    private readonly inner: OrderedKV,
    private readonly budget: number,
  ) {}

  private spend(): void {
    this.reads++;
    if (this.reads > this.budget) {
      throw new UsageError(
        `the query read more than ${this.budget} keys from a tiny graph: it does not stop on cycles ` +
          '(see "Paths and recursion" in the notes)',
      );
    }
  }

  get(key: Uint8Array): Uint8Array | undefined {
    this.spend();
    return this.inner.get(key);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.inner.put(key, value);
  }

  delete(key: Uint8Array): void {
    this.inner.delete(key);
  }

  batch(ops: readonly BatchOp[]): void {
    this.inner.batch(ops);
  }

  *scan(range?: KeyRange): IterableIterator<Entry> {
    for (const entry of this.inner.scan(range)) {
      this.spend();
      yield entry;
    }
  }
}

/**
 * A small social shop as a property graph, over a `BudgetKV` so that a traversal which never
 * ends fails fast. FOLLOWS has a cycle: alice → bob → carol → alice.
 */
export function socialGraph(budget = 100_000): { kv: MemoryKV; graph: PropertyGraph } {
  const kv = new MemoryKV();
  const graph = new PropertyGraph(new BudgetKV(kv, budget));
  for (const name of ['alice', 'bob', 'carol', 'dave']) graph.addVertex(name, 'User', { name });
  const products: Array<[string, string]> = [
    ['p1', 'kettle'],
    ['p2', 'teapot'],
    ['p3', 'mug'],
    ['p4', 'toaster'],
  ];
  for (const [id, title] of products) graph.addVertex(id, 'Product', { title });
  const edges: Array<[string, string, string]> = [
    ['alice', 'FOLLOWS', 'bob'],
    ['bob', 'FOLLOWS', 'carol'],
    ['carol', 'FOLLOWS', 'alice'],
    ['alice', 'FOLLOWS', 'carol'],
    ['dave', 'FOLLOWS', 'bob'],
    ['bob', 'PURCHASED', 'p1'],
    ['carol', 'PURCHASED', 'p2'],
    ['alice', 'PURCHASED', 'p3'],
    ['p1', 'SIMILAR_TO', 'p2'],
    ['p2', 'SIMILAR_TO', 'p3'],
    ['p1', 'SIMILAR_TO', 'p4'],
  ];
  for (const [from, label, to] of edges) graph.addEdge(from, label, to);
  return { kv, graph };
}

/** A random directed graph: vertex ids and labelled edges, for property tests. */
export interface RandomGraph {
  readonly vertices: readonly string[];
  readonly edges: ReadonlyArray<readonly [string, string, string]>;
}

/** Builds a `PropertyGraph` (over a `BudgetKV`) holding a `RandomGraph`. */
export function buildGraph(spec: RandomGraph, budget = 200_000): PropertyGraph {
  const graph = new PropertyGraph(new BudgetKV(new MemoryKV(), budget));
  for (const id of spec.vertices) graph.addVertex(id, 'V');
  for (const [from, label, to] of spec.edges) graph.addEdge(from, label, to);
  return graph;
}

/**
 * Names of properties that every plain JavaScript object inherits. Each is an identifier, so a
 * column may be called that (and a text cell may hold it); such a table must behave like any
 * other. Code that reads `row[name]` without `Object.hasOwn`, or writes `row[name] = value`
 * into a plain `{}`, gets these wrong.
 */
export const OBJECT_PROPERTY_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupGetter__',
] as const;

/** A row whose cells are own properties, even one named `__proto__` (a literal would set the prototype). */
export function ownRow(entries: ReadonlyArray<readonly [string, Value]>): Row {
  return Object.fromEntries(entries);
}

/** A random table whose every column is named like an inherited object property. */
export interface PropertyNamedTable {
  readonly schema: TableSchema;
  /** The column names, in schema order; the first is the primary key. */
  readonly names: readonly string[];
  /** The names of OBJECT_PROPERTY_NAMES that are not columns (never empty). */
  readonly absent: readonly string[];
  /** Rows to insert, a missing nullable value left out. */
  readonly input: readonly Row[];
  /** The same rows as stored: every column, in schema order, `null` where left out. */
  readonly rows: readonly Row[];
}

/** Text cells are object property names too, to catch plain objects used as hash tables. */
export const propertyNameText = fc.constantFrom<string>(...OBJECT_PROPERTY_NAMES, 'x');

export const propertyNamedTable: fc.Arbitrary<PropertyNamedTable> = fc
  .shuffledSubarray([...OBJECT_PROPERTY_NAMES], { minLength: 2, maxLength: 5 })
  .chain((names) =>
    fc
      .tuple(
        fc.array(fc.constantFrom<'int' | 'text'>('int', 'text'), { minLength: names.length, maxLength: names.length }),
        fc.array(fc.boolean(), { minLength: names.length, maxLength: names.length }),
      )
      .chain(([types, nullable]) => {
        const schema: TableSchema = {
          name: 't',
          primaryKey: names[0]!,
          columns: names.map((name, i) => ({ name, type: types[i]!, ...(i > 0 && nullable[i] === true ? { nullable: true } : {}) })),
        };
        const value = (i: number): fc.Arbitrary<Value> => (types[i] === 'int' ? fc.integer({ min: -2, max: 2 }) : propertyNameText);
        const cell = (i: number): fc.Arbitrary<Value | undefined> =>
          i > 0 && nullable[i] === true ? fc.oneof(fc.constant(undefined), fc.constant(null), value(i)) : value(i);
        const others = names.slice(1).map((_, i) => cell(i + 1));
        return fc.array(fc.tuple(...others), { maxLength: 8 }).map((cellLists) => {
          const key = (r: number): Value => (types[0] === 'int' ? r - 3 : OBJECT_PROPERTY_NAMES[r]!);
          const input = cellLists.map((cells, r) =>
            ownRow([[names[0]!, key(r)], ...cells.flatMap((v, i): Array<[string, Value]> => (v === undefined ? [] : [[names[i + 1]!, v]]))]),
          );
          const rows = cellLists.map((cells, r) => ownRow([[names[0]!, key(r)], ...cells.map((v, i): [string, Value] => [names[i + 1]!, v ?? null])]));
          const absent = OBJECT_PROPERTY_NAMES.filter((n) => !names.includes(n));
          return { schema, names, absent, input, rows };
        });
      }),
  );

/** A JSON object whose fields are own properties, even one named `__proto__`. */
export function ownObject(entries: ReadonlyArray<readonly [string, JsonValue]>): JsonObject {
  return Object.fromEntries(entries);
}

/** `leaf` wrapped `levels` times by `wrap`, built without recursion (so any depth works). */
export function nestedValue(levels: number, leaf: JsonValue, wrap: (inner: JsonValue) => JsonValue): JsonValue {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = wrap(value);
  return value;
}

/** The error `action` throws, or `undefined` if it returns. */
export function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** A scalar of a document: a small number, a property name as text, or null. */
const propertyNamedScalar = fc.oneof(fc.integer({ min: -2, max: 2 }), propertyNameText, fc.constant(null));

/** A flat object whose fields (possibly none) are named like inherited object properties. */
const propertyNamedFlatObject: fc.Arbitrary<JsonObject> = fc
  .shuffledSubarray([...OBJECT_PROPERTY_NAMES], { maxLength: 4 })
  .chain((names) => fc.tuple(...names.map(() => propertyNamedScalar)).map((values) => ownObject(names.map((n, i) => [n, values[i]!]))));

/**
 * A random document whose fields, at the top, in a nested object and in the objects of an array,
 * are named like inherited object properties (`__proto__` included, as an own field).
 */
export const propertyNamedDocument: fc.Arbitrary<JsonObject> = fc
  .shuffledSubarray([...OBJECT_PROPERTY_NAMES], { minLength: 1, maxLength: 5 })
  .chain((names) =>
    fc
      .tuple(...names.map(() => fc.oneof(propertyNamedScalar, propertyNamedFlatObject, fc.array(propertyNamedFlatObject, { maxLength: 3 }))))
      .map((values) => ownObject(names.map((n, i) => [n, values[i]!]))),
  );
