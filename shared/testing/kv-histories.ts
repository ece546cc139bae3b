/**
 * Random key-value histories that are linearizable by construction, for testing checkers and
 * measuring them.
 *
 * Several clients run operations against one atomic store. Each operation is invoked, then takes
 * effect at one instant (its linearization point), then returns; other clients' steps interleave
 * between these three moments at random. Some operations end with an unknown outcome (`info`),
 * either before or after taking effect, and some fail before taking effect. Every history built
 * this way is linearizable, because the atomic store's order is a witness.
 * @module
 */

import type { Operation } from '../checkers/history.js';
import type { KvInput, KvOutput } from '../checkers/model.js';
import type { Random } from '../random.js';

/** Shape of the histories {@link atomicKvHistory} builds. */
export interface KvHistoryOptions {
  /** Number of operations (default 100). */
  readonly operations?: number;
  /** Number of keys, named `k0`, `k1`, … (default 1: a single register). */
  readonly keys?: number;
  /** Number of concurrent clients (default 4). */
  readonly clients?: number;
  /** Number of distinct values written (default 5); small values make reads ambiguous, so harder. */
  readonly values?: number;
  /** Probability that an operation ends with an unknown outcome (default 0.05). */
  readonly infoRate?: number;
  /** Probability that an operation fails without taking effect (default 0.05). */
  readonly failRate?: number;
  /** Whether to use compare-and-set as well as get and put (default true). */
  readonly cas?: boolean;
}

type Phase = { readonly id: number; readonly input: KvInput; readonly call: number; applied: boolean; output: KvOutput | undefined };

/** A random linearizable key-value history drawn from `random`. */
export function atomicKvHistory(random: Random, options: KvHistoryOptions = {}): Array<Operation<KvInput, KvOutput>> {
  const total = options.operations ?? 100;
  const keys = options.keys ?? 1;
  const clients = options.clients ?? 4;
  const values = options.values ?? 5;
  const infoRate = options.infoRate ?? 0.05;
  const failRate = options.failRate ?? 0.05;
  const useCas = options.cas ?? true;
  const store = new Map<string, string>();
  const running: Array<Phase | undefined> = new Array<Phase | undefined>(clients).fill(undefined);
  const names = Array.from({ length: clients }, (_, c) => `c${c}`);
  const out: Array<Operation<KvInput, KvOutput>> = [];
  let invoked = 0;
  let clock = 0;

  const randomInput = (): KvInput => {
    const key = `k${random.int(0, keys - 1)}`;
    const value = `${random.int(1, values)}`;
    const f = random.int(0, useCas ? 2 : 1);
    if (f === 0) return { f: 'get', key };
    if (f === 1) return { f: 'put', key, value };
    return { f: 'cas', key, expected: random.chance(0.3) ? null : `${random.int(1, values)}`, value };
  };
  const apply = (input: KvInput): KvOutput => {
    const current = store.get(input.key) ?? null;
    if (input.f === 'get') return current;
    if (input.f === 'put') {
      store.set(input.key, input.value);
      return null;
    }
    if (current !== input.expected) return false;
    store.set(input.key, input.value);
    return true;
  };
  const finish = (c: number, op: Phase, status: 'ok' | 'fail' | 'info'): void => {
    out.push({
      id: op.id,
      process: names[c]!,
      input: op.input,
      output: status === 'ok' ? op.output : undefined,
      status,
      call: op.call,
      return: status === 'info' ? Infinity : clock++,
    });
    running[c] = undefined;
    // A client whose operation's outcome is unknown is presumed crashed: it continues as a new process.
    if (status === 'info') names[c] = `${names[c]!}'`;
  };

  while (invoked < total || running.some((r) => r !== undefined)) {
    const c = random.int(0, clients - 1);
    const op = running[c];
    if (op === undefined) {
      if (invoked >= total) continue;
      running[c] = { id: ++invoked, input: randomInput(), call: clock++, applied: false, output: undefined };
    } else if (!op.applied) {
      const roll = random.float();
      if (roll < failRate) finish(c, op, 'fail');
      else if (roll < failRate + infoRate / 2) finish(c, op, 'info');
      else {
        op.output = apply(op.input);
        op.applied = true;
      }
    } else {
      finish(c, op, random.chance(infoRate / 2) ? 'info' : 'ok');
    }
  }
  return out.sort((a, b) => a.call - b.call);
}
