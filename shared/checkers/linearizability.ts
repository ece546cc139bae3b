/**
 * A linearizability checker: the Wing–Gong–Lowe search with memoization.
 *
 * A history is linearizable when every operation can be given a single instant ("linearization
 * point") between its call and its return such that, taken in the order of those instants, the
 * operations are a legal sequential run of the model. Deciding this is NP-complete in general,
 * but histories from tests are small per object, and the search below is fast in practice.
 *
 * **The search** (Wing and Gong 1993, with Lowe's memoization, 2017). Put every call and return
 * in one list ordered by time. Walk it: at a call, try to linearize that operation now (the model
 * must accept it from the current state); if it does, remove the operation from the list and
 * start again from the front. Reaching a return means an operation that is still in the list
 * had to be linearized before this point and could not: undo the last choice and try the next
 * call after it. Memoization: the pair (set of linearized operations, model state) fully
 * determines what can follow, so a pair seen before is never explored twice. The set is a bitset.
 *
 * **Partitions.** Operations on different keys never constrain each other, so the history is
 * split per key and each part is checked alone (sum of the costs, not their product).
 *
 * **Uncertain operations.** `fail` operations never happened and are dropped. `info`
 * operations (unknown outcome) have no return: they may be linearized anywhere after their call,
 * with any output, or not at all.
 *
 * **Unknown outcomes nobody could notice.** Before searching a partition the checker leaves out
 * every unknown-outcome operation that the model's `unobservable` test clears (for the key-value
 * model: a put whose value no read returned and no cas could depend on). Such an operation may
 * as well not have happened, and each one kept can double the work: a put followed by k timed-out
 * puts and reads of the first value costs 2^k configurations without this rule, and none with it.
 *
 * **Verdicts.** `ok`; `illegal`, with the smallest set of operations on one key that cannot be
 * linearized even when every other operation on that key is allowed to take effect at any time
 * after its call, or never (found by relaxing operations one at a time); or `unknown` when the
 * search ran out of its step budget, which a test must count as a failure.
 * @module
 */

import type { Operation } from './history.js';
import type { Model } from './model.js';

/** Options of {@link checkLinearizability}. */
export interface CheckOptions {
  /** Search steps allowed over the whole check before answering `unknown` (default 5,000,000). */
  readonly maxSteps?: number;
  /**
   * Search steps allowed for shrinking an illegal history to a small set of operations (default
   * 2,000,000). With fewer, the reported set is still illegal, only larger.
   */
  readonly shrinkSteps?: number;
}

// Search steps one shrinking attempt may take before its operations are simply kept.
const SHRINK_ATTEMPT_STEPS = 200_000;

/** The checker's answer. `explanation` is always a readable paragraph. */
export type LinearizabilityResult<I, O> =
  | { readonly verdict: 'ok'; readonly explanation: string }
  | {
      readonly verdict: 'illegal';
      /** The partition (key) on which linearization fails. */
      readonly partition: string;
      /**
       * The smallest set of operations found that cannot be linearized, by call time: `ok` ones,
       * and unknown-outcome ones whose taking effect at most once matters.
       */
      readonly operations: ReadonlyArray<Operation<I, O>>;
      /** The operation whose completion first made the history illegal. */
      readonly culprit: Operation<I, O>;
      readonly explanation: string;
    }
  | { readonly verdict: 'unknown'; readonly partition: string; readonly explanation: string };

/** Thrown by {@link assertLinearizable} for an `illegal` or `unknown` verdict. */
export class LinearizabilityError extends Error {
  override readonly name = 'LinearizabilityError';
  /** The verdict that failed the assertion. */
  readonly verdict: 'illegal' | 'unknown';

  constructor(verdict: 'illegal' | 'unknown', explanation: string) {
    super(explanation);
    this.verdict = verdict;
  }
}

/** Checks that `history` is linearizable with respect to `model`. */
export function checkLinearizability<S, I, O>(
  history: ReadonlyArray<Operation<I, O>>,
  model: Model<S, I, O>,
  options: CheckOptions = {},
): LinearizabilityResult<I, O> {
  const budget = { steps: options.maxSteps ?? 5_000_000 };
  const parts = new Map<string, Array<Operation<I, O>>>();
  for (const op of history) {
    if (op.status === 'fail') continue; // it certainly did not happen
    const key = model.partition?.(op.input) ?? '';
    let part = parts.get(key);
    if (part === undefined) parts.set(key, (part = []));
    part.push(op);
  }
  for (const [partition, all] of [...parts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const unobservable = model.unobservable?.(all);
    const ops = unobservable === undefined ? all : all.filter((op) => op.status !== 'info' || !unobservable(op.input));
    const verdict = search(ops, model, budget);
    if (verdict === 'unknown') {
      return {
        verdict: 'unknown',
        partition,
        explanation:
          `could not decide linearizability of ${ops.length} operations${where(partition)} within ` +
          `${options.maxSteps ?? 5_000_000} search steps: shorten the history or raise maxSteps`,
      };
    }
    if (verdict === 'illegal') {
      const diagnosis = diagnose(ops, model, { steps: options.shrinkSteps ?? 2_000_000 });
      return {
        verdict: 'illegal',
        partition,
        operations: diagnosis.core,
        culprit: diagnosis.culprit,
        explanation: explainIllegal(diagnosis, ops.length, partition, model),
      };
    }
  }
  const kept = [...parts.values()].reduce((n, ops) => n + ops.length, 0);
  return { verdict: 'ok', explanation: `linearizable: ${kept} operations on ${parts.size} partition(s)` };
}

/** Throws a {@link LinearizabilityError} with the explanation unless the verdict is `ok`. */
export function assertLinearizable<S, I, O>(
  history: ReadonlyArray<Operation<I, O>>,
  model: Model<S, I, O>,
  options: CheckOptions = {},
): void {
  const result = checkLinearizability(history, model, options);
  if (result.verdict !== 'ok') throw new LinearizabilityError(result.verdict, result.explanation);
}

// ---- the search ----

/**
 * The list of calls and returns. Arrays of ints make a doubly-linked list with a head sentinel
 * at index 0; entry k (k >= 1) belongs to operation `opOf[k]`.
 */
interface Entries {
  readonly next: Int32Array;
  readonly prev: Int32Array;
  readonly opOf: Int32Array;
  /** For a call entry: the index of its return entry, or -1 if it has none (info). -2 for returns. */
  readonly match: Int32Array;
}

function buildEntries<I, O>(ops: ReadonlyArray<Operation<I, O>>): Entries {
  const events: Array<{ time: number; isCall: boolean; op: number }> = [];
  ops.forEach((op, i) => {
    events.push({ time: op.call, isCall: true, op: i });
    if (op.status === 'ok') events.push({ time: op.return, isCall: false, op: i });
  });
  // Calls before returns at equal times: touching operations count as concurrent.
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1));
  const n = events.length + 1;
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  const opOf = new Int32Array(n);
  const match = new Int32Array(n).fill(-1);
  const callEntry = new Int32Array(ops.length);
  events.forEach((e, k) => {
    const at = k + 1;
    opOf[at] = e.op;
    if (e.isCall) callEntry[e.op] = at;
    else {
      match[at] = -2;
      match[callEntry[e.op]!] = at;
    }
  });
  for (let k = 0; k < n; k++) {
    next[k] = k + 1 < n ? k + 1 : -1;
    prev[k] = k - 1;
  }
  return { next, prev, opOf, match };
}

function search<S, I, O>(
  ops: ReadonlyArray<Operation<I, O>>,
  model: Model<S, I, O>,
  budget: { steps: number },
  onEnd?: (state: S) => void,
  free?: ReadonlySet<number>,
): 'ok' | 'illegal' | 'unknown' {
  const { next, prev, opOf, match } = buildEntries(ops);
  const unlink = (k: number) => {
    next[prev[k]!] = next[k]!;
    if (next[k] !== -1) prev[next[k]!] = prev[k]!;
  };
  const relink = (k: number) => {
    next[prev[k]!] = k;
    if (next[k] !== -1) prev[next[k]!] = k;
  };
  const words = new Uint32Array(Math.ceil(ops.length / 32) || 1);
  const seen = new Set<string>();
  const stack: Array<{ entry: number; state: S; reused: boolean }> = [];
  let state = model.init();
  let entry = next[0]!;
  let found = false;
  for (;;) {
    if (--budget.steps < 0) return 'unknown';
    let undo = false;
    if (entry === -1) {
      // The end of the list: no `ok` operation is left, as each leaves a return entry behind its
      // call. Done, unless the caller collects every way to get here.
      if (onEnd === undefined) return 'ok';
      onEnd(state);
      found = true;
      undo = true;
    } else if (match[entry] === -2) {
      // An operation whose call is still in the list returns here: it was never linearized.
      undo = true;
    } else {
      const ret = match[entry]!;
      const i = opOf[entry]!;
      const op = ops[i]!;
      const after = model.step(state, op.input, op.status === 'ok' ? op.output : undefined);
      if (free?.has(i) === true) {
        // A free operation may take effect any number of times: it stays in the list and in no
        // bitset, so it cannot multiply the configurations. Only a change of state matters.
        if (after !== undefined && model.key(after) !== model.key(state)) {
          const key = `${words.join(',')}|${model.key(after)}`;
          if (!seen.has(key)) {
            seen.add(key);
            stack.push({ entry, state, reused: true });
            state = after;
            entry = next[0]!;
            continue;
          }
        }
        entry = next[entry]!;
        continue;
      }
      // An optional (info) operation that leaves the state as it was, such as a read, can never
      // help: linearizing it would only multiply the configurations to explore.
      const useless = op.status === 'info' && after !== undefined && model.key(after) === model.key(state);
      if (after !== undefined && !useless) {
        words[i >>> 5]! |= 1 << (i & 31);
        const key = `${words.join(',')}|${model.key(after)}`;
        if (!seen.has(key)) {
          seen.add(key);
          stack.push({ entry, state, reused: false });
          state = after;
          unlink(entry);
          if (ret >= 0) unlink(ret);
          entry = next[0]!;
          continue;
        }
        words[i >>> 5]! &= ~(1 << (i & 31));
      }
      entry = next[entry]!;
    }
    if (undo) {
      // Undo the last choice and try the next call after it.
      const top = stack.pop();
      if (top === undefined) return found ? 'ok' : 'illegal';
      state = top.state;
      if (top.reused) {
        entry = next[top.entry]!;
        continue;
      }
      const i = opOf[top.entry]!;
      words[i >>> 5]! &= ~(1 << (i & 31));
      // Relink in the reverse order of unlinking, so every pointer is restored exactly.
      const topRet = match[top.entry]!;
      if (topRet >= 0) relink(topRet);
      relink(top.entry);
      entry = next[top.entry]!;
    }
  }
}

/** What {@link diagnose} found out about an illegal history. */
interface Diagnosis<I, O> {
  /** The operation whose completion first makes the history illegal. */
  readonly culprit: Operation<I, O>;
  /** The states the object may be in when the culprit is linearized (empty if unknown). */
  readonly statesBefore: readonly string[];
  /** A small set of operations that cannot be linearized. */
  readonly core: Array<Operation<I, O>>;
  /** False when the shrinking budget ran out before the core was as small as it could be. */
  readonly minimal: boolean;
}

/**
 * Explains an illegal history. First cuts it at the earliest completion where it is already
 * illegal (that completion's operation is the culprit), and collects the states the object may be
 * in just before. Then relaxes operations (frees an `ok` operation: it may take effect at any time
 * after its call, any number of times, or never), keeping each relaxation under which the history
 * stays illegal. What is still `ok` at the end cannot be linearized even with every other
 * operation free; when `minimal`, freeing any one of them too would make it linearizable.
 */
function diagnose<S, I, O>(
  ops: ReadonlyArray<Operation<I, O>>,
  model: Model<S, I, O>,
  budget: { steps: number },
): Diagnosis<I, O> {
  let minimal = true;
  const relaxed = (op: Operation<I, O>): Operation<I, O> => ({ ...op, status: 'info', output: undefined, return: Infinity });
  const illegal = (candidate: ReadonlyArray<Operation<I, O>>, free?: ReadonlySet<number>): boolean => {
    // Each attempt gets a bounded share of the budget; an attempt that cannot finish simply
    // keeps its operations.
    const attempt = { steps: Math.min(budget.steps, SHRINK_ATTEMPT_STEPS) };
    const verdict = search(candidate, model, attempt, undefined, free);
    budget.steps -= Math.min(budget.steps, SHRINK_ATTEMPT_STEPS) - attempt.steps;
    if (verdict === 'unknown') minimal = false;
    return verdict === 'illegal';
  };

  // 1. The shortest illegal prefix: cut the history at the return of an ok operation; what was
  //    still running then has an unknown outcome. Longer prefixes only add constraints, so binary
  //    search finds the first return at which no linearization survives.
  const cuts = [...new Set(ops.filter((op) => op.status === 'ok').map((op) => op.return))].sort((a, b) => a - b);
  const prefix = (cut: number): Array<Operation<I, O>> =>
    ops.filter((op) => op.call <= cut).map((op) => (op.return <= cut ? op : relaxed(op)));
  let lo = 0;
  let hi = cuts.length - 1; // the whole history is illegal
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (illegal(prefix(cuts[mid]!))) hi = mid;
    else lo = mid + 1;
  }
  const cut = cuts[lo]!;
  const culprit = ops.find((op) => op.status === 'ok' && op.return === cut)!;

  // The states possible when the culprit takes effect: everything that completed before it
  // linearized, the culprit itself and anything still running left open.
  const before = prefix(cut).map((op) => (op === culprit || op.return >= cut ? relaxed(op) : op));
  const states = new Set<string>();
  const describeState = model.describeState ?? ((state: S) => model.key(state));
  const collect = { steps: Math.min(budget.steps, SHRINK_ATTEMPT_STEPS * 4) };
  const withoutCulprit = before.filter((op) => op.id !== culprit.id);
  const collected = search(withoutCulprit, model, collect, (state) => states.add(describeState(state)));
  budget.steps -= Math.min(budget.steps, SHRINK_ATTEMPT_STEPS * 4) - collect.steps;

  // 2. Relax whole groups first and split a group only when relaxing all of it makes the history
  //    linearizable: most operations are irrelevant, so this needs few searches. Reads first,
  //    then the others, latest first.
  const current = prefix(cut);
  // Relaxed operations are free: they may take effect at any time after their call, any number
  // of times, or never. That is weaker than an unknown outcome (at most once), so a set that is
  // illegal with the others free is illegal with them merely unknown; and it keeps every search
  // small, since free operations never enter the memo's bitset.
  const free = new Set<number>();
  // Operations with an unknown outcome are candidates too: freeing them lets them happen more
  // than once; if that makes the history legal, their at-most-once matters and they stay.
  const okOps = current.map((op, i) => ({ op, i }));
  const latestFirst = (a: { op: Operation<I, O> }, b: { op: Operation<I, O> }) => b.op.call - a.op.call;
  const isRead = (op: Operation<I, O>) => model.readOnly?.(op.input) ?? false;
  const reads = okOps.filter(({ op }) => isRead(op)).sort(latestFirst).map(({ i }) => i);
  const others = okOps.filter(({ op }) => !isRead(op)).sort(latestFirst).map(({ i }) => i);
  const relax = (group: number[]): void => {
    if (group.length === 0) return;
    if (budget.steps <= 0) {
      minimal = false;
      return;
    }
    const saved = group.map((i) => current[i]!);
    for (const i of group) {
      current[i] = relaxed(current[i]!);
      free.add(i);
    }
    if (illegal(current, free)) return;
    group.forEach((i, k) => {
      current[i] = saved[k]!;
      free.delete(i);
    });
    if (group.length === 1) return;
    const half = group.length >> 1;
    relax(group.slice(0, half));
    relax(group.slice(half));
  };
  relax(reads);
  relax(others);
  const core = current.filter((_, i) => !free.has(i)).sort((a, b) => a.call - b.call);
  return { culprit, statesBefore: collected === 'unknown' ? [] : [...states].sort(), core, minimal };
}

function where(partition: string): string {
  return partition === '' ? '' : ` on key ${JSON.stringify(partition)}`;
}

function explainIllegal<S, I, O>(
  diagnosis: Diagnosis<I, O>,
  total: number,
  partition: string,
  model: Model<S, I, O>,
): string {
  const { culprit, core, statesBefore, minimal } = diagnosis;
  const line = (op: Operation<I, O>) =>
    `${op.process} ${model.describe(op.input, op.output)} ${op.status} ${op.call}..${op.return === Infinity ? '' : op.return}`;
  const at = (op: Operation<I, O>) => {
    if (op.callTime === undefined) return '';
    if (op.status === 'info') return ` (virtual time: invoked at ${fmt(op.callTime)} ms, outcome unknown)`;
    return ` (virtual time ${fmt(op.callTime)}..${fmt(op.returnTime)} ms)`;
  };
  const out = [
    `not linearizable${where(partition)}: the history is fine until ${culprit.process} completes`,
    `  ${line(culprit)}${at(culprit)}`,
  ];
  if (statesBefore.length > 0) {
    out.push(`and no order allows it: the operations before it leave ${partition === '' ? 'the object' : JSON.stringify(partition)} as one of: ${statesBefore.join(', ')}.`);
  } else {
    out.push('and no order of the operations before it allows it.');
  }
  const others = total - core.length;
  out.push(
    `${minimal ? 'These' : 'A shrinking budget ran out; these'} ${core.length} operation(s) cannot be put in any order that respects`,
    'real time (one that returned before another was called comes first) and the rules of the object,',
    `even if the ${others} other operation(s)${where(partition)} could take effect at any time after their call, any number of times, or never:`,
  );
  const lines = core.map(line);
  const width = Math.max(...lines.map((l) => l.length));
  const timeline = core.length <= 12 ? drawTimeline(core) : core.map(() => '');
  out.push(...lines.map((l, i) => `  ${l.padEnd(width)}  ${timeline[i]}`.trimEnd()));
  const virtual = core.filter((op) => op.callTime !== undefined);
  if (virtual.length > 0 && virtual.length <= 12) {
    out.push('virtual times:', ...virtual.map((op) => `  ${op.process} ${model.describe(op.input, op.output)}${at(op)}`));
  }
  return out.join('\n');
}

function fmt(time: number | undefined): string {
  return time === undefined ? '?' : time.toFixed(3);
}

/** One bar per operation over the distinct call and return positions: `|----|`. */
function drawTimeline<I, O>(ops: ReadonlyArray<Operation<I, O>>): string[] {
  const points = [...new Set(ops.flatMap((op) => [op.call, op.return]).filter((t) => t !== Infinity))].sort((a, b) => a - b);
  const col = (t: number) => points.indexOf(t) * 4;
  const end = points.length * 4;
  return ops.map((op) => {
    const from = col(op.call);
    const to = op.return === Infinity ? end : col(op.return);
    return ' '.repeat(from) + '|' + '-'.repeat(Math.max(0, to - from - 1)) + (op.return === Infinity ? '-->' : '|');
  });
}
