/**
 * The values every data model in this chapter stores, and the one order they sort in.
 *
 * Tables hold scalar {@link Value}s in their cells; documents and graph properties may nest them
 * into {@link JsonValue}s. All of it is stored as JSON text in UTF-8 for now; chapter 03 replaces
 * that with binary encodings.
 * @module
 */

/** A scalar a table cell can hold: SQL's NULL, a boolean, a number or a string. */
export type Value = null | boolean | number | string;

/**
 * One row of a table or of a query result: column name to value, as the row's *own* properties.
 * Column names may be any identifier, `constructor`, `toString` and `__proto__` included, so
 * read a cell only after `Object.hasOwn(row, name)` (a plain `{}` inherits `row['toString']`),
 * and build a row with `Object.fromEntries`, a spread, or on `Object.create(null)`: assigning
 * `row['__proto__'] = v` on a plain `{}` sets its prototype instead of storing a value.
 */
export type Row = Readonly<Record<string, Value>>;

/**
 * The deepest nesting any input of this chapter may have: expression trees, parentheses and
 * `NOT` in SQL, steps of a document path, documents, document schemas and normalisation shapes.
 * Deeper input is a typed error that says what is too deep and where, never a stack overflow
 * (`RangeError`), and it is rejected before anything is written. SQLite's default limit on the
 * depth of an expression tree is the same 1000.
 */
export const MAX_NESTING = 1000;

/** Any value JSON can represent. Documents are JSON objects. */
export type JsonValue = Value | readonly JsonValue[] | JsonObject;

/** A JSON object: field name to value. */
export type JsonObject = { readonly [field: string]: JsonValue };

// Type ranks for the total order below: null < booleans < numbers < strings.
function rank(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  return 3;
}

/**
 * The total order of `ORDER BY`, `min` and `max`: `null` first, then `false < true`, then numbers,
 * then strings (by UTF-16 code units, JavaScript's `<`). Returns negative, zero or positive.
 * Values of different types order by type, so sorting a column never throws.
 */
export function compareValues(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a === b || a === null || b === null) return 0;
  return a < b ? -1 : 1;
}

/** The type of a value as error messages name it: `null`, `boolean`, `number`, `string`, … */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number' && !Number.isFinite(v)) return `non-finite number`;
  return typeof v;
}

/**
 * Renders a value for an error message: strings quoted, everything else as JSON would. Never
 * throws: a value too deeply nested (or cyclic) for JSON is described instead.
 */
export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  try {
    const text = JSON.stringify(v);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    // Cyclic, or nested too deep for JSON (RangeError). String() of an array recurses as deep as
    // JSON.stringify, so an array is only described: an error message must never throw.
    return Array.isArray(v) ? 'an array too deeply nested (or cyclic) to show' : String(v);
  }
}

/** True when `v` is a plain JSON object (not null, not an array). */
export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
