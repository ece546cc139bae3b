/**
 * Sequential specifications for the linearizability checker.
 *
 * A model says what one object does when operations run one at a time: from a state, an input
 * either leads to a next state (and is consistent with the output the client saw) or is
 * impossible. The checker then searches for an order of the concurrent operations, consistent
 * with real time, that the model accepts.
 * @module
 */

import type { Operation } from './history.js';

/**
 * The sequential specification of an object.
 *
 * @typeParam S - the state, treated as immutable.
 * @typeParam I - an operation's input.
 * @typeParam O - an operation's output.
 */
export interface Model<S, I, O> {
  /** The state before any operation. */
  init(): S;
  /**
   * The state after applying `input` to `state`, or `undefined` if that cannot have returned
   * `output`. `output` is `undefined` when the outcome is unknown: accept any output then.
   */
  step(state: S, input: I, output: O | undefined): S | undefined;
  /** A string equal for equal states and different otherwise (for memoization). */
  key(state: S): string;
  /**
   * Which independent object an input touches (for a key-value store: the key). Operations on
   * different partitions never constrain each other, so each is checked on its own, which is
   * exponentially cheaper than checking them together. Omit for a single object.
   */
  partition?(input: I): string;
  /** One line for people, such as `put(x, 1)` or `get(x) → 1`. */
  describe(input: I, output: O | undefined): string;
  /** A state for people, such as `1` or `nil` (default: its {@link Model.key}). */
  describeState?(state: S): string;
  /**
   * True when `input` never changes the state (a read). Optional; it only helps the checker
   * explain failures faster.
   */
  readOnly?(input: I): boolean;
  /**
   * Given every operation of one partition, a test of which unknown-outcome operations no other
   * operation could notice: whether one took effect or not, every result in the history stays
   * possible. The checker leaves those out before it searches. That is sound because an operation
   * with an unknown outcome may never have taken effect, and it matters for speed: each unknown
   * operation the search keeps can double the orders it explores (timeouts come in bursts).
   * Optional; without it every unknown operation is searched.
   */
  unobservable?(ops: ReadonlyArray<Operation<I, O>>): (input: I) => boolean;
}

/** An operation on a key-value store whose keys are independent registers. */
export type KvInput =
  /** Read `key`; the output is its value, or `null` when absent. */
  | { readonly f: 'get'; readonly key: string }
  /** Write `value` under `key`; the output is ignored. */
  | { readonly f: 'put'; readonly key: string; readonly value: string }
  /** Compare-and-set: if `key` holds `expected` (`null`: absent), write `value`; output: whether it did. */
  | { readonly f: 'cas'; readonly key: string; readonly expected: string | null; readonly value: string };

/** A key-value operation's output: a read value (`null` when absent), or a cas's success. */
export type KvOutput = string | null | boolean;

/** The state of one key: its value, or `null` when absent. */
export type KvState = string | null;

/** Renders a value the way histories are written: `nil` for absent. */
function show(value: KvOutput | undefined): string {
  if (value === null) return 'nil';
  return String(value);
}

/**
 * The model of a key-value store with `get`, `put` and `cas`, partitioned by key: each key is an
 * independent register that starts absent.
 */
export const kvModel: Model<KvState, KvInput, KvOutput> = {
  init: () => null,
  step(state, input, output) {
    switch (input.f) {
      case 'get':
        return output === undefined || output === state ? state : undefined;
      case 'put':
        return input.value;
      case 'cas': {
        const matches = state === input.expected;
        if (output === undefined) return matches ? input.value : state;
        if (output === true) return matches ? input.value : undefined;
        if (output === false) return matches ? undefined : state;
        return undefined;
      }
    }
  },
  key: (state) => (state === null ? '\u0000' : `=${state}`),
  partition: (input) => input.key,
  readOnly: (input) => input.f === 'get',
  unobservable(ops) {
    // A put of v can only be noticed by a read that returns v, a cas that expects v, or a cas
    // whose success depends on what the key held before (one that failed, or whose outcome is
    // unknown). Without such operations, leaving the put out changes the value only during a
    // stretch in which nobody looked. Two puts of the same value are both kept once v is read.
    const noticed = new Set<string>();
    let casDependsOnValue = false;
    for (const op of ops) {
      if (op.input.f === 'get' && typeof op.output === 'string') noticed.add(op.output);
      if (op.input.f === 'cas') {
        if (op.input.expected !== null) noticed.add(op.input.expected);
        if (op.status !== 'ok' || op.output !== true) casDependsOnValue = true;
      }
    }
    return (input) => input.f === 'put' && !casDependsOnValue && !noticed.has(input.value);
  },
  describeState: (state) => show(state),
  describe(input, output) {
    switch (input.f) {
      case 'get':
        return output === undefined ? `get(${input.key})` : `get(${input.key}) → ${show(output)}`;
      case 'put':
        return `put(${input.key}, ${input.value})`;
      case 'cas': {
        const call = `cas(${input.key}, ${show(input.expected)}, ${input.value})`;
        return output === undefined ? call : `${call} → ${show(output)}`;
      }
    }
  },
};
