/**
 * The data a batch job handles: JSON input records, key–value pairs between map and reduce, and
 * the job itself (a map function, a reduce function, an optional combiner). Given code: every
 * exercise of the chapter uses these types.
 * @module
 */

/** A JSON value: what an input line holds, and what map and reduce emit as values. */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [field: string]: Json };

/** One intermediate or output record. */
export interface KeyValue {
  readonly key: string;
  readonly value: Json;
}

/** Called by a mapper once per output pair. */
export type Emit = (key: string, value: Json) => void;

/**
 * A MapReduce job. `map` sees one input record at a time and may emit any number of pairs.
 * `reduce` sees one key with all its values, in a fixed order (see {@link compareKeys}), and
 * returns the one output value for that key.
 *
 * `combine`, when present, runs on the map side over some of a key's values and returns one
 * value standing for them. The engine may run it zero, one or many times per key, on any
 * contiguous slice of the values, so it is only correct when reducing the combined values
 * gives what reducing the originals gives: the reduce function must be associative (and the
 * combiner usually is the reducer itself, as for sums and maxima).
 */
export interface MapReduceJob {
  /** Names the job in errors and file names. */
  readonly name: string;
  map(record: Json, emit: Emit): void;
  reduce(key: string, values: readonly Json[]): Json;
  combine?(key: string, values: readonly Json[]): Json;
}

/**
 * The order of keys everywhere in the chapter: by UTF-16 code unit, JavaScript's own `<` on
 * strings. Ties between equal keys are broken by where the pair came from (which map task,
 * then the order it was emitted in), never by the value, so the values a reducer sees are in
 * input order whatever the number of workers, partitions or retries.
 */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
