/**
 * Avro schemas: the JSON form people write, parsed into a tree the codecs walk. Given code,
 * identical in `chapters/` and `solutions/`.
 *
 * ```ts
 * const Person = parseAvroSchema({
 *   type: 'record', name: 'Person', fields: [
 *     { name: 'userName', type: 'string' },
 *     { name: 'favoriteNumber', type: ['null', 'long'], default: null },
 *     { name: 'interests', type: { type: 'array', items: 'string' } },
 *   ],
 * });
 * ```
 *
 * Named types (records, enums, fixed) may be referred to by name after their definition, so a
 * record can contain itself: the parsed tree then has a cycle, and code that walks it must
 * remember where it has been. Values are plain JavaScript: see {@link AvroValue}.
 * @module
 */

import { SchemaError } from './errors.js';

/** The primitive type names. */
export type AvroPrimitiveName = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

/** A primitive type. */
export interface AvroPrimitive {
  readonly type: AvroPrimitiveName;
}

/** One field of a record. */
export interface AvroField {
  readonly name: string;
  readonly type: AvroType;
  /** Other names this field had in earlier schemas (used when this schema reads old data). */
  readonly aliases: readonly string[];
  /** True when the field has a default, used when the writer's schema lacks the field. */
  readonly hasDefault: boolean;
  /** The default, already converted to an {@link AvroValue} of `type`. */
  readonly default?: AvroValue;
}

/** A record: named, with fields in order. */
export interface AvroRecord {
  readonly type: 'record';
  /** The full name, with its namespace (`com.example.Person`). */
  readonly name: string;
  /** Full names this type had before (used when this schema reads old data). */
  readonly aliases: readonly string[];
  readonly fields: readonly AvroField[];
}

/** An enum: named, a list of symbols, and optionally a default for symbols it does not know. */
export interface AvroEnum {
  readonly type: 'enum';
  readonly name: string;
  readonly aliases: readonly string[];
  readonly symbols: readonly string[];
  /** Used by a reader whose symbols lack the writer's symbol. */
  readonly default?: string;
}

/** A fixed-size byte string. */
export interface AvroFixed {
  readonly type: 'fixed';
  readonly name: string;
  readonly aliases: readonly string[];
  readonly size: number;
}

/** An array of `items`. */
export interface AvroArray {
  readonly type: 'array';
  readonly items: AvroType;
}

/** A map from strings to `values`. */
export interface AvroMap {
  readonly type: 'map';
  readonly values: AvroType;
}

/** A union: the value is one of the branches, written as the branch's index then the value. */
export interface AvroUnion {
  readonly type: 'union';
  readonly branches: readonly AvroType[];
}

/** Any parsed Avro schema. */
export type AvroType = AvroPrimitive | AvroRecord | AvroEnum | AvroFixed | AvroArray | AvroMap | AvroUnion;

/**
 * A value of some Avro type, as plain JavaScript:
 * `null`; `boolean`; `int`, `float`, `double` as `number`; `long` as a `number` when
 * |v| ≤ 2^53, else a `bigint` (both accepted when encoding); `bytes` and `fixed` as
 * `Uint8Array`; `string` and enum symbols as `string`; arrays as arrays; maps as `Map`; records
 * as plain objects with one property per field; a union's value is the branch's value itself.
 */
export type AvroValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly AvroValue[]
  | ReadonlyMap<string, AvroValue>
  | AvroRecordValue;

/** A record's value: one property per field. */
export interface AvroRecordValue {
  readonly [field: string]: AvroValue;
}

/** A schema in Avro's JSON form: a type name, a union as an array, or an object. */
export type AvroSchemaJson = string | readonly AvroSchemaJson[] | { readonly [key: string]: unknown };

const PRIMITIVES: Readonly<Record<AvroPrimitiveName, AvroPrimitive>> = {
  null: { type: 'null' },
  boolean: { type: 'boolean' },
  int: { type: 'int' },
  long: { type: 'long' },
  float: { type: 'float' },
  double: { type: 'double' },
  bytes: { type: 'bytes' },
  string: { type: 'string' },
};

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The primitive type `name`; the same object every time. */
export function primitive(name: AvroPrimitiveName): AvroPrimitive {
  return PRIMITIVES[name];
}

/** The part of a full name after its last dot: resolution compares these. */
export function unqualified(fullName: string): string {
  const dot = fullName.lastIndexOf('.');
  return dot < 0 ? fullName : fullName.slice(dot + 1);
}

/** Parses a schema in Avro's JSON form (a parsed JSON value, not text). Throws a `SchemaError`. */
export function parseAvroSchema(json: AvroSchemaJson): AvroType {
  return parse(json, '', new Map(), '$');
}

/** Parses a schema from JSON text. */
export function parseAvroSchemaText(text: string): AvroType {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SchemaError('$', `not JSON: ${(error as Error).message}`);
  }
  return parseAvroSchema(json as AvroSchemaJson);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function parse(json: unknown, namespace: string, named: Map<string, AvroType>, path: string): AvroType {
  if (typeof json === 'string') {
    if (json in PRIMITIVES) return PRIMITIVES[json as AvroPrimitiveName];
    const found = named.get(fullName(json, namespace)) ?? named.get(json);
    if (found === undefined) throw new SchemaError(path, `unknown type "${json}" (named types must be defined before use)`);
    return found;
  }
  if (Array.isArray(json)) {
    const branches = json.map((b, i) => parse(b, namespace, named, `${path}[${i}]`));
    const seen = new Set<string>();
    branches.forEach((b, i) => {
      if (b.type === 'union') throw new SchemaError(`${path}[${i}]`, 'a union cannot contain a union');
      const key = 'name' in b ? b.name : b.type;
      if (seen.has(key)) throw new SchemaError(`${path}[${i}]`, `two branches of type ${key}`);
      seen.add(key);
    });
    return { type: 'union', branches };
  }
  if (typeof json !== 'object' || json === null) throw new SchemaError(path, `expected a type name, an array or an object, got ${JSON.stringify(json)}`);
  const o = json as Record<string, unknown>;
  const type = o['type'];
  switch (type) {
    case 'record':
    case 'error': {
      const { name, ns } = declare(o, namespace, path);
      const record: Mutable<AvroRecord> = { type: 'record', name, aliases: aliasesOf(o, ns, path), fields: [] };
      define(named, record, path);
      const fieldsJson = o['fields'];
      if (!Array.isArray(fieldsJson)) throw new SchemaError(`${path}.${name}`, 'a record needs a "fields" array');
      const fields: AvroField[] = [];
      const seen = new Set<string>();
      for (const f of fieldsJson as unknown[]) {
        if (typeof f !== 'object' || f === null) throw new SchemaError(`${name}`, 'a field is an object');
        const fo = f as Record<string, unknown>;
        const fname = fo['name'];
        if (typeof fname !== 'string' || !NAME.test(fname)) throw new SchemaError(`${name}`, `bad field name ${JSON.stringify(fname)}`);
        if (seen.has(fname)) throw new SchemaError(`${name}.${fname}`, 'two fields have this name');
        seen.add(fname);
        const ftype = parse(fo['type'], ns, named, `${name}.${fname}`);
        const aliases = Array.isArray(fo['aliases']) ? (fo['aliases'] as unknown[]).map(String) : [];
        const field: Mutable<AvroField> = { name: fname, type: ftype, aliases, hasDefault: 'default' in fo };
        if ('default' in fo) field.default = jsonToAvro(ftype, fo['default'], `${name}.${fname}`);
        fields.push(field);
      }
      record.fields = fields;
      return record;
    }
    case 'enum': {
      const { name, ns } = declare(o, namespace, path);
      const symbols = o['symbols'];
      if (!Array.isArray(symbols) || !symbols.every((s) => typeof s === 'string' && NAME.test(s))) {
        throw new SchemaError(name, 'an enum needs "symbols", a list of names');
      }
      if (new Set(symbols).size !== symbols.length) throw new SchemaError(name, 'an enum symbol appears twice');
      const e: Mutable<AvroEnum> = { type: 'enum', name, aliases: aliasesOf(o, ns, path), symbols: symbols as string[] };
      if ('default' in o) {
        if (typeof o['default'] !== 'string' || !symbols.includes(o['default'])) throw new SchemaError(name, 'the enum default must be one of its symbols');
        e.default = o['default'];
      }
      define(named, e, path);
      return e;
    }
    case 'fixed': {
      const { name, ns } = declare(o, namespace, path);
      const size = o['size'];
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) throw new SchemaError(name, 'a fixed needs a non-negative integer "size"');
      const f: AvroFixed = { type: 'fixed', name, aliases: aliasesOf(o, ns, path), size };
      define(named, f, path);
      return f;
    }
    case 'array':
      return { type: 'array', items: parse(o['items'], namespace, named, `${path}.items`) };
    case 'map':
      return { type: 'map', values: parse(o['values'], namespace, named, `${path}.values`) };
    default:
      if (typeof type === 'string' && type in PRIMITIVES) return PRIMITIVES[type as AvroPrimitiveName];
      // {"type": {...}} or {"type": "SomeName"} wraps another schema
      if (type !== undefined) return parse(type, namespace, named, path);
      throw new SchemaError(path, 'an object schema needs a "type"');
  }
}

function fullName(name: string, namespace: string): string {
  return name.includes('.') || namespace === '' ? name : `${namespace}.${name}`;
}

function declare(o: Record<string, unknown>, namespace: string, path: string): { name: string; ns: string } {
  const raw = o['name'];
  if (typeof raw !== 'string' || !raw.split('.').every((part) => NAME.test(part))) {
    throw new SchemaError(path, `a named type needs a "name", got ${JSON.stringify(raw)}`);
  }
  const ns = typeof o['namespace'] === 'string' ? o['namespace'] : namespace;
  const name = fullName(raw, ns);
  return { name, ns: name.includes('.') ? name.slice(0, name.lastIndexOf('.')) : '' };
}

function aliasesOf(o: Record<string, unknown>, ns: string, path: string): string[] {
  const raw = o['aliases'];
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || !raw.every((a) => typeof a === 'string')) throw new SchemaError(path, '"aliases" is a list of names');
  return (raw as string[]).map((a) => fullName(a, ns));
}

function define(named: Map<string, AvroType>, type: AvroRecord | AvroEnum | AvroFixed, path: string): void {
  if (named.has(type.name) || type.name in PRIMITIVES) throw new SchemaError(path, `the name ${type.name} is defined twice`);
  named.set(type.name, type);
}

/**
 * Converts a default value from its JSON form to an {@link AvroValue} of `type`, as the spec
 * says defaults are written: bytes and fixed as strings of code points 0–255, a union's default
 * as a value of its first branch, maps and records as objects. Throws a `SchemaError`.
 */
export function jsonToAvro(type: AvroType, json: unknown, path: string): AvroValue {
  const bad = (): never => {
    throw new SchemaError(path, `the default ${JSON.stringify(json)} is not a valid ${type.type}`);
  };
  switch (type.type) {
    case 'null':
      return json === null ? null : bad();
    case 'boolean':
      return typeof json === 'boolean' ? json : bad();
    case 'int':
      return typeof json === 'number' && (json | 0) === json ? json : bad();
    case 'long':
      return typeof json === 'number' && Number.isInteger(json) && Math.abs(json) <= 2 ** 53 ? json : bad();
    case 'float':
    case 'double':
      return typeof json === 'number' ? json : bad();
    case 'string':
      return typeof json === 'string' ? json : bad();
    case 'bytes':
    case 'fixed': {
      if (typeof json !== 'string') return bad();
      const out = new Uint8Array(json.length);
      for (let i = 0; i < json.length; i++) {
        const c = json.charCodeAt(i);
        if (c > 0xff) return bad();
        out[i] = c;
      }
      return type.type === 'fixed' && out.length !== type.size ? bad() : out;
    }
    case 'enum':
      return typeof json === 'string' && type.symbols.includes(json) ? json : bad();
    case 'array':
      return Array.isArray(json) ? json.map((item, i) => jsonToAvro(type.items, item, `${path}[${i}]`)) : bad();
    case 'map': {
      if (typeof json !== 'object' || json === null || Array.isArray(json)) return bad();
      const out = new Map<string, AvroValue>();
      for (const [k, v] of Object.entries(json)) out.set(k, jsonToAvro(type.values, v, `${path}.${k}`));
      return out;
    }
    case 'union':
      return jsonToAvro(type.branches[0]!, json, path);
    case 'record': {
      if (typeof json !== 'object' || json === null || Array.isArray(json)) return bad();
      const o = json as Record<string, unknown>;
      const out: Record<string, AvroValue> = {};
      for (const f of type.fields) {
        if (f.name in o) out[f.name] = jsonToAvro(f.type, o[f.name], `${path}.${f.name}`);
        else if (f.hasDefault) out[f.name] = f.default!;
        else return bad();
      }
      return out;
    }
  }
}

/** Converts a value back to the JSON form of a default (the inverse of {@link jsonToAvro}). */
export function avroToJson(type: AvroType, value: AvroValue): unknown {
  switch (type.type) {
    case 'bytes':
    case 'fixed':
      return String.fromCharCode(...(value as Uint8Array));
    case 'long':
      return typeof value === 'bigint' ? Number(value) : value;
    case 'array':
      return (value as readonly AvroValue[]).map((v) => avroToJson(type.items, v));
    case 'map':
      return Object.fromEntries([...(value as ReadonlyMap<string, AvroValue>)].map(([k, v]) => [k, avroToJson(type.values, v)]));
    case 'union':
      return avroToJson(type.branches[0]!, value);
    case 'record': {
      const o = value as AvroRecordValue;
      return Object.fromEntries(type.fields.map((f) => [f.name, avroToJson(f.type, o[f.name]!)]));
    }
    default:
      return value;
  }
}

/**
 * The schema back in JSON form, with every named type written out at its first occurrence and
 * referred to by name after. `parseAvroSchema(schemaToJson(t))` describes the same schema, so
 * this is the form a registry stores.
 */
export function schemaToJson(type: AvroType): AvroSchemaJson {
  return toJson(type, new Set());
}

function toJson(type: AvroType, written: Set<string>): AvroSchemaJson {
  switch (type.type) {
    case 'record':
    case 'enum':
    case 'fixed':
      if (written.has(type.name)) return type.name;
      written.add(type.name);
      break;
    default:
      break;
  }
  switch (type.type) {
    case 'record':
      return {
        type: 'record',
        name: type.name,
        ...(type.aliases.length > 0 ? { aliases: type.aliases } : {}),
        fields: type.fields.map((f) => ({
          name: f.name,
          type: toJson(f.type, written),
          ...(f.aliases.length > 0 ? { aliases: f.aliases } : {}),
          ...(f.hasDefault ? { default: avroToJson(f.type, f.default!) } : {}),
        })),
      };
    case 'enum':
      return {
        type: 'enum',
        name: type.name,
        ...(type.aliases.length > 0 ? { aliases: type.aliases } : {}),
        symbols: type.symbols,
        ...(type.default !== undefined ? { default: type.default } : {}),
      };
    case 'fixed':
      return { type: 'fixed', name: type.name, ...(type.aliases.length > 0 ? { aliases: type.aliases } : {}), size: type.size };
    case 'array':
      return { type: 'array', items: toJson(type.items, written) };
    case 'map':
      return { type: 'map', values: toJson(type.values, written) };
    case 'union':
      return type.branches.map((b) => toJson(b, written));
    default:
      return type.type;
  }
}
