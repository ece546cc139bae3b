/**
 * A recorded history for the anomaly checker of exercise 6.6: what each transaction did and saw,
 * in a *list-append* workload. Given code, identical in `chapters/` and `solutions/`.
 *
 * Every key holds a list of numbers. A transaction either appends a number to a key's list or
 * reads a key's whole list. No number is appended twice to one key, so a read says
 * exactly which appends it saw, in which order: the list is the version order of its key. That
 * is what makes the dependencies between transactions observable from the outside, as in Kyle
 * Kingsbury and Peter Alvaro's Elle (2020).
 * @module
 */

/** One operation of a recorded transaction, as the client saw it. */
export type HistoryOp =
  /** Appended `element` to the list at `key`. */
  | { readonly type: 'append'; readonly key: string; readonly element: number }
  /** Read the list at `key`: `list` is what the transaction saw, oldest element first. */
  | { readonly type: 'read'; readonly key: string; readonly list: readonly number[] };

/** One transaction of a history, with its outcome. */
export interface HistoryTxn {
  /** A name unique in the history, e.g. `T3`. */
  readonly name: string;
  /** `aborted` transactions are recorded too; they must leave no trace in the graph. */
  readonly status: 'committed' | 'aborted';
  readonly ops: readonly HistoryOp[];
}

/** The three kinds of dependency between committed transactions (Adya, 1999). */
export type DependencyType =
  /** `from` appended an element, and `to` appended the next one to the same key. */
  | 'ww'
  /** `to` read a list whose last element `from` appended. */
  | 'wr'
  /** `from` read a list, and `to` appended the element that comes next in that key's order. */
  | 'rw';

/** One edge of the dependency graph: `from` must come before `to` in any equivalent serial order. */
export interface Dependency {
  readonly from: string;
  readonly to: string;
  readonly type: DependencyType;
  readonly key: string;
}

/** The classes of cycle the checker reports, strongest first. */
export type CycleAnomaly =
  /** Only ww edges: writes of two transactions interleaved (dirty writes). */
  | 'G0'
  /** ww and wr edges, at least one wr: information flowed in a circle. */
  | 'G1c'
  /** Exactly one rw edge, the others ww or wr: a transaction saw part of another's effects (read skew). */
  | 'G-single'
  /** Two or more rw edges, and no cycle of the component has just one: write skew. */
  | 'G2-item';

/** A cycle found in the dependency graph. */
export interface DependencyCycle {
  readonly anomaly: CycleAnomaly;
  /** The edges of the cycle in order; each edge's `to` is the next edge's `from`, and the last returns to the first's `from`. */
  readonly edges: readonly Dependency[];
}

/** The cycle in words: `T1 -ww(x)-> T2 -rw(y)-> T1`. */
export function describeCycle(cycle: DependencyCycle): string {
  if (cycle.edges.length === 0) return '(empty cycle)';
  return `${cycle.anomaly}: ${cycle.edges[0]!.from}${cycle.edges.map((e) => ` -${e.type}(${e.key})-> ${e.to}`).join('')}`;
}

/**
 * A lost update (P4 of Berenson et al., 1995), found directly rather than as a cycle: `txn` read
 * `key` as `read`, then appended to it, but the next element of the key's version order is
 * `overwriter`'s, not its own. So `overwriter` wrote the key between `txn`'s read and its write,
 * and `txn` wrote on the strength of a value that was no longer current.
 */
export interface LostUpdate {
  readonly anomaly: 'P4';
  readonly key: string;
  /** The transaction whose read-then-append straddled another's write. */
  readonly txn: string;
  /** What `txn` last read of `key` before its first append to it. */
  readonly read: readonly number[];
  /** The transaction that appended the element that came right after `read`. */
  readonly overwriter: string;
}

/** The lost update in words: `P4: T1 read x = [1] and appended to it, but T2 appended to x in between`. */
export function describeLostUpdate(lost: LostUpdate): string {
  return `P4: ${lost.txn} read ${lost.key} = [${lost.read.join(', ')}] and appended to it, but ${lost.overwriter} appended to ${lost.key} in between`;
}

/** What is wrong with a history that cannot be checked. */
export type HistoryProblem =
  /** A read saw an element that no committed transaction appended. */
  | 'unknown-element'
  /** Two appends of the same element to one key. */
  | 'duplicate-element'
  /** Two reads of a key saw lists of which neither is a prefix of the other. */
  | 'incompatible-order'
  /** Two transactions with the same name. */
  | 'duplicate-name';

/**
 * The history cannot be checked: it breaks an assumption of the list-append workload. Says
 * which transaction, which of its operations (0-based) and which key.
 */
export class HistoryError extends Error {
  override readonly name = 'HistoryError';
  readonly problem: HistoryProblem;
  readonly txn: string;
  readonly op: number;
  readonly key: string;

  constructor(problem: HistoryProblem, txn: string, op: number, key: string, detail: string) {
    super(`${problem} in ${txn}, operation ${op}, key "${key}": ${detail}`);
    this.problem = problem;
    this.txn = txn;
    this.op = op;
    this.key = key;
  }
}
