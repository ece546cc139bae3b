/**
 * Exercise 6.6: an anomaly checker over a recorded history, after Elle (Kingsbury and Alvaro,
 * 2020) in a simplified form. The anomaly lab asks an engine; this asks a history, so it can
 * judge any database whose clients recorded what they did and saw.
 *
 * The history is a list-append workload (`history.ts`): every appended element is unique, so a
 * read of a key's list shows exactly which appends it saw. From the committed transactions the
 * checker builds the dependency graph of Adya (1999):
 *
 * - the **version order** of a key is the longest list any committed transaction read of it;
 *   every other read of the key must be a prefix of it;
 * - **ww**: the appender of an element → the appender of the next element in that order;
 * - **wr**: the appender of the last element of a list that was read → the reader;
 * - **rw**: the reader of a list → the appender of the element that comes next in that order
 *   (the reader did not see it, so it must come before that writer);
 *
 * leaving out edges from a transaction to itself. Aborted transactions add nothing: not their
 * appends, not their reads. A history is serializable only if the graph has no cycle. Cycles are
 * found as strongly connected components (Tarjan, 1972), first of the ww edges alone, then of ww
 * and wr, then of all three; each component is reported once, at the first of those that finds
 * it, with one cycle classified by its edges: **G0** (only ww), **G1c** (ww and wr),
 * **G-single** (exactly one rw), **G2-item** (two or more rw). At the first two levels the cycle
 * is a shortest one through the component's first transaction. At the last, the checker first
 * looks for a G-single cycle (an rw edge `A → B` and a path of ww and wr edges back from `B` to
 * `A`), and only when the component has none reports a shortest cycle, which is then G2-item.
 *
 * Lost updates (P4) are found directly ({@link lostUpdates}): a transaction read a key, then
 * appended to it, and the element after what it read is another transaction's.
 * @module
 */

import { HistoryError, type CycleAnomaly, type Dependency, type DependencyCycle, type DependencyType, type HistoryTxn, type LostUpdate } from './history.js';

interface VersionOrders {
  readonly committed: readonly HistoryTxn[];
  /** The committed appender of an element of a key. */
  readonly writerOf: (key: string, element: number) => string;
  /** Per key, the longest list read (the version order) and who read it. */
  readonly longest: ReadonlyMap<string, { readonly list: readonly number[]; readonly txn: string }>;
}

/**
 * The dependency edges between the committed transactions of `history`, each (from, to, type,
 * key) once, none from a transaction to itself. Throws a `HistoryError` for a history the rules
 * of the module comment cannot read: two transactions with one name, an element appended twice,
 * a read of an element no committed transaction appended, or two reads of a key that are not
 * prefixes of one another.
 */
export function dependencyGraph(history: readonly HistoryTxn[]): Dependency[] {
  const { committed, writerOf, longest } = versionOrders(history);
  const edges: Dependency[] = [];
  const seen = new Set<string>();
  const add = (from: string, to: string, type: DependencyType, key: string): void => {
    const id = JSON.stringify([from, to, type, key]);
    if (from === to || seen.has(id)) return;
    seen.add(id);
    edges.push({ from, to, type, key });
  };
  for (const [key, { list }] of longest) {
    for (let i = 1; i < list.length; i++) add(writerOf(key, list[i - 1]!), writerOf(key, list[i]!), 'ww', key);
  }
  for (const txn of committed) {
    for (const op of txn.ops) {
      if (op.type !== 'read') continue;
      const order = longest.get(op.key)!.list;
      if (op.list.length > 0) add(writerOf(op.key, op.list[op.list.length - 1]!), txn.name, 'wr', op.key);
      const next = order[op.list.length];
      if (next !== undefined) add(txn.name, writerOf(op.key, next), 'rw', op.key);
    }
  }
  return edges;
}

/**
 * Every lost update (P4) in `history`: a committed transaction that read a key and later
 * appended to it, where the element that follows what it last read before that append, in the
 * key's version order, is not its own. Only its first append to each key counts. Throws a
 * `HistoryError` for a history {@link dependencyGraph} cannot read.
 */
export function lostUpdates(history: readonly HistoryTxn[]): LostUpdate[] {
  const { committed, writerOf, longest } = versionOrders(history);
  const found: LostUpdate[] = [];
  for (const txn of committed) {
    const lastRead = new Map<string, readonly number[]>();
    const appended = new Set<string>();
    for (const op of txn.ops) {
      if (op.type === 'read') {
        if (!appended.has(op.key)) lastRead.set(op.key, op.list);
        continue;
      }
      const read = lastRead.get(op.key);
      const first = !appended.has(op.key);
      appended.add(op.key);
      if (!first || read === undefined) continue;
      const next = longest.get(op.key)!.list[read.length];
      if (next === undefined) continue; // nobody read far enough to say what came next
      const overwriter = writerOf(op.key, next);
      if (overwriter !== txn.name) found.push({ anomaly: 'P4', key: op.key, txn: txn.name, read, overwriter });
    }
  }
  return found;
}

/** Checks the history's assumptions and finds each key's version order (the module comment). */
function versionOrders(history: readonly HistoryTxn[]): VersionOrders {
  const names = new Set<string>();
  for (const txn of history) {
    if (names.has(txn.name)) throw new HistoryError('duplicate-name', txn.name, 0, '', `two transactions are called ${txn.name}`);
    names.add(txn.name);
  }
  const committed = history.filter((txn) => txn.status === 'committed');

  // Who appended each element of each key.
  const appender = new Map<string, Map<number, string>>();
  for (const txn of committed) {
    txn.ops.forEach((op, i) => {
      if (op.type !== 'append') return;
      const byElement = appender.get(op.key) ?? new Map<number, string>();
      appender.set(op.key, byElement);
      const other = byElement.get(op.element);
      if (other !== undefined) throw new HistoryError('duplicate-element', txn.name, i, op.key, `${op.element} was appended by ${other} already; appended elements must be unique`);
      byElement.set(op.element, txn.name);
    });
  }
  const writerOf = (key: string, element: number): string => appender.get(key)!.get(element)!;

  // The version order of each key: the longest list read, of which every read is a prefix.
  const longest = new Map<string, { readonly list: readonly number[]; readonly txn: string }>();
  for (const txn of committed) {
    txn.ops.forEach((op, i) => {
      if (op.type !== 'read') return;
      for (const element of op.list) {
        if (appender.get(op.key)?.has(element) !== true) {
          throw new HistoryError('unknown-element', txn.name, i, op.key, `the read saw ${element}, which no committed transaction appended to "${op.key}"`);
        }
      }
      const known = longest.get(op.key);
      if (known === undefined) {
        longest.set(op.key, { list: op.list, txn: txn.name });
        return;
      }
      const [short, long] = op.list.length <= known.list.length ? [op.list, known.list] : [known.list, op.list];
      if (!short.every((element, at) => long[at] === element)) {
        throw new HistoryError('incompatible-order', txn.name, i, op.key, `the read saw [${op.list.join(', ')}] but ${known.txn} saw [${known.list.join(', ')}]: neither is a prefix of the other, so there is no version order`);
      }
      if (op.list.length > known.list.length) longest.set(op.key, { list: op.list, txn: txn.name });
    });
  }
  return { committed, writerOf, longest };
}

const STRENGTH: Readonly<Record<DependencyType, number>> = { ww: 0, wr: 1, rw: 2 };
const LEVELS: readonly (readonly DependencyType[])[] = [['ww'], ['ww', 'wr'], ['ww', 'wr', 'rw']];

/**
 * The cycles of the graph `edges`, as the module comment says: one per strongly connected
 * component of two or more transactions, found at the first level (ww; ww and wr; all) that
 * finds it, a G-single cycle in preference at the last level, classified by the edges of the
 * cycle reported. Empty when the graph is acyclic.
 */
export function findCycles(edges: readonly Dependency[]): DependencyCycle[] {
  const cycles: DependencyCycle[] = [];
  const reported = new Set<string>();
  for (const types of LEVELS) {
    const graph = edges.filter((edge) => types.includes(edge.type));
    for (const component of stronglyConnected(graph)) {
      if (component.length < 2) continue;
      const id = [...component].sort().join(' ');
      if (reported.has(id)) continue;
      reported.add(id);
      const cycle = (types.includes('rw') ? singleRwCycle(component, graph) : undefined) ?? shortestCycle(component, graph);
      cycles.push({ anomaly: classify(cycle), edges: cycle });
    }
  }
  return cycles;
}

/** Tarjan's algorithm: the strongly connected components of the graph, each a list of transactions. */
function stronglyConnected(edges: readonly Dependency[]): string[][] {
  const successors = new Map<string, string[]>();
  for (const edge of edges) {
    successors.set(edge.from, [...(successors.get(edge.from) ?? []), edge.to]);
    if (!successors.has(edge.to)) successors.set(edge.to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of successors.get(node)!) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    components.push(component);
  };
  for (const node of successors.keys()) if (!index.has(node)) visit(node);
  return components;
}

/** Each transaction's outgoing edges, by target name, then weakest type first, then key: the search order. */
function adjacency(edges: readonly Dependency[]): Map<string, Dependency[]> {
  const out = new Map<string, Dependency[]>();
  const sorted = [...edges].sort((x, y) => compare(x.to, y.to) || STRENGTH[x.type] - STRENGTH[y.type] || compare(x.key, y.key));
  for (const edge of sorted) {
    const list = out.get(edge.from) ?? [];
    list.push(edge);
    out.set(edge.from, list);
  }
  return out;
}

const compare = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/**
 * A shortest path of one or more edges from `from` to `to` (a cycle when they are equal), by
 * breadth-first search; between two transactions it takes the weakest edge. Undefined if none.
 */
function shortestPath(from: string, to: string, next: ReadonlyMap<string, readonly Dependency[]>): Dependency[] | undefined {
  const via = new Map<string, Dependency>(); // node → the edge the search reached it by
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const edge of next.get(node) ?? []) {
      if (edge.to === to) {
        const path = [edge];
        for (let at = node; at !== from; at = via.get(at)!.from) path.unshift(via.get(at)!);
        return path;
      }
      if (edge.to !== from && !via.has(edge.to)) {
        via.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
  }
  return undefined;
}

/** The edges of `edges` with both ends in `component`. */
function inside(component: readonly string[], edges: readonly Dependency[]): Dependency[] {
  const members = new Set(component);
  return edges.filter((edge) => members.has(edge.from) && members.has(edge.to));
}

/**
 * A shortest cycle through the component's first transaction (by name), found inside the
 * component, taking the weakest edge between two transactions (ww before wr before rw), so the
 * cycle's class is no stronger than it must be.
 */
function shortestCycle(component: readonly string[], edges: readonly Dependency[]): Dependency[] {
  const start = [...component].sort(compare)[0]!;
  const cycle = shortestPath(start, start, adjacency(inside(component, edges)));
  if (cycle === undefined) throw new Error(`no cycle through ${start}: not a strongly connected component`);
  return cycle;
}

/**
 * A shortest cycle of the component with exactly one rw edge: an rw edge `A → B` and a shortest
 * path of ww and wr edges from `B` back to `A`. Among equally short ones, the first rw edge by
 * (from, to, key) wins; the cycle is written from its first transaction by name. Undefined when
 * every cycle of the component has two or more rw edges.
 */
function singleRwCycle(component: readonly string[], edges: readonly Dependency[]): Dependency[] | undefined {
  const local = inside(component, edges);
  const back = adjacency(local.filter((edge) => edge.type !== 'rw'));
  const antiDependencies = local.filter((edge) => edge.type === 'rw').sort((x, y) => compare(x.from, y.from) || compare(x.to, y.to) || compare(x.key, y.key));
  let best: Dependency[] | undefined;
  for (const rw of antiDependencies) {
    const path = shortestPath(rw.to, rw.from, back);
    if (path !== undefined && (best === undefined || path.length + 1 < best.length)) best = [rw, ...path];
  }
  if (best === undefined) return undefined;
  const first = best.reduce((at, edge, i) => (compare(edge.from, best[at]!.from) < 0 ? i : at), 0);
  return [...best.slice(first), ...best.slice(0, first)];
}

function classify(cycle: readonly Dependency[]): CycleAnomaly {
  if (cycle.every((edge) => edge.type === 'ww')) return 'G0';
  if (cycle.every((edge) => edge.type !== 'rw')) return 'G1c';
  if (cycle.filter((edge) => edge.type === 'rw').length === 1) return 'G-single';
  return 'G2-item';
}

/** Every cycle in the dependency graph of `history`: none means the history is serializable. */
export function checkHistory(history: readonly HistoryTxn[]): DependencyCycle[] {
  return findCycles(dependencyGraph(history));
}
