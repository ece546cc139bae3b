/**
 * The simulated network: latency, loss, duplication, reordering and partitions.
 *
 * Every message is decided when it is sent:
 *
 * 1. If the link `from → to` is blocked by a partition, the message is dropped.
 * 2. Otherwise it is lost with probability `lossRate`.
 * 3. Otherwise it is delivered once, or twice with probability `duplicateRate`; each copy gets
 *    its own latency drawn from the link's distribution.
 *
 * **One random stream per directed link.** The draws for link `a → b` come from a generator of
 * its own, derived from the simulation's seed and the two names (`Random.stream(seed, 'link',
 * 'a', 'b')`). The fate of the k-th message on a link depends only on the seed, the link's
 * settings and k: a node that sends one more message to `c`, or sends to `c` before `b`, changes
 * nothing on its link to `b` and nothing on anybody else's links.
 *
 * Reordering needs no switch of its own: two messages on one link whose latencies differ by more
 * than the gap between their sends arrive in the opposite order. With `fixed` latency a link is
 * FIFO; with `uniform` or `exponential` latency it reorders. A message that is in flight when a
 * partition cuts its link is dropped on arrival: the partition blocks it then too.
 *
 * Everything can change during a run: {@link Network.configure} changes the defaults,
 * {@link Network.setLink} one directed link, and the partition methods which links are open.
 * Nodes added to the simulation during a run get links like everyone else's.
 * @module
 */

import { UsageError } from '../errors.js';
import { Random } from '../random.js';
import type { NodeId } from './node.js';

/** How long a message takes on a link, in virtual milliseconds. */
export type Latency =
  /** Always `ms`: the link is FIFO. */
  | { readonly kind: 'fixed'; readonly ms: number }
  /** Uniform in `[minMs, maxMs)`. */
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  /** `minMs` plus an exponential draw with mean `meanMs`: mostly fast, with a long tail. */
  | { readonly kind: 'exponential'; readonly minMs: number; readonly meanMs: number };

/** The behaviour of a link (or, as defaults, of every link). */
export interface LinkOptions {
  /** Latency distribution. Default: uniform in `[1, 10)` ms. */
  readonly latency?: Latency;
  /** Probability that a message is lost, in `[0, 1]`. Default 0. */
  readonly lossRate?: number;
  /** Probability that a delivered message arrives twice, in `[0, 1]`. Default 0. */
  readonly duplicateRate?: number;
}

/** A link's behaviour with every option filled in. */
export interface ResolvedLink {
  readonly latency: Latency;
  readonly lossRate: number;
  readonly duplicateRate: number;
}

/** The default link: uniform 1–10 ms latency, no loss, no duplication. */
export const DEFAULT_LINK: ResolvedLink = {
  latency: { kind: 'uniform', minMs: 1, maxMs: 10 },
  lossRate: 0,
  duplicateRate: 0,
};

/** Draws one latency from `latency`. */
export function sampleLatency(latency: Latency, random: Random): number {
  switch (latency.kind) {
    case 'fixed':
      return latency.ms;
    case 'uniform':
      return latency.minMs + random.float() * (latency.maxMs - latency.minMs);
    case 'exponential':
      return latency.minMs + random.exponential(latency.meanMs);
  }
}

/** @internal What the network decided for one sent message. */
export enum Fate {
  /** Dropped: the link is blocked. */
  Partitioned = 0,
  /** Dropped: lost at random. */
  Lost = 1,
  /** Delivered once. */
  Once = 2,
  /** Delivered twice. */
  Twice = 3,
}

/** One directed link: its own random stream, its overrides, whether it is cut. */
class Link {
  /** Created on the first draw: most links of a large simulation never carry a lossy message. */
  random: Random | undefined = undefined;
  options: ResolvedLink | undefined = undefined;
  blocked = false;
}

/**
 * The network between the nodes of a simulation. Obtain it from `Simulation.network`; every
 * change is recorded in the simulation's trace.
 */
export class Network {
  private readonly seed: number;
  private readonly ids: NodeId[] = [];
  private readonly index = new Map<NodeId, number>();
  private readonly onChange: (description: string) => void;
  private defaults: ResolvedLink = DEFAULT_LINK;
  // rows[from][to]: the directed link between two node indices. Invariant: rows[i][i] is never blocked.
  private readonly rows: Link[][] = [];

  /** @internal Built by the simulation, which adds the nodes. */
  constructor(seed: number, onChange: (description: string) => void) {
    this.seed = seed;
    this.onChange = onChange;
  }

  /** @internal Adds a node (it gets the next index) with default links to and from everyone. */
  addNode(id: NodeId): number {
    const i = this.ids.length;
    this.ids.push(id);
    this.index.set(id, i);
    for (const row of this.rows) row.push(new Link());
    this.rows.push(Array.from({ length: i + 1 }, () => new Link()));
    return i;
  }

  /** Changes the defaults of every link that has no override of its own. */
  configure(options: LinkOptions): void {
    this.defaults = resolve(this.defaults, options);
    this.onChange(`configure network ${describeOptions(options)}`);
  }

  /** Overrides the behaviour of the directed link `from → to`; unset options keep their values. */
  setLink(from: NodeId, to: NodeId, options: LinkOptions): void {
    const link = this.linkOf(from, to);
    link.options = resolve(link.options ?? this.defaults, options);
    this.onChange(`configure link ${from}→${to} ${describeOptions(options)}`);
  }

  /** The behaviour of the directed link `from → to` as it is now. */
  link(from: NodeId, to: NodeId): ResolvedLink {
    return this.linkOf(from, to).options ?? this.defaults;
  }

  /**
   * Splits the nodes into groups that cannot reach each other: every link between nodes of
   * different groups is cut, in both directions. Links of nodes named in no group are untouched,
   * and links already cut stay cut.
   */
  partition(...groups: ReadonlyArray<readonly NodeId[]>): void {
    for (let g = 0; g < groups.length; g++) {
      for (let h = 0; h < groups.length; h++) {
        if (g === h) continue;
        for (const a of groups[g]!) {
          for (const b of groups[h]!) {
            // A node named in two groups still reaches itself.
            if (a !== b) this.linkOf(a, b).blocked = true;
          }
        }
      }
    }
    this.onChange(`partition ${groups.map((g) => `[${g.join(',')}]`).join(' | ')}`);
  }

  /** Cuts the directed link `from → to` only: `to` can still reach `from` (asymmetric fault). */
  block(from: NodeId, to: NodeId): void {
    this.checkDistinct(from, to);
    this.linkOf(from, to).blocked = true;
    this.onChange(`block ${from}→${to}`);
  }

  /** Reopens the directed link `from → to`. */
  unblock(from: NodeId, to: NodeId): void {
    this.linkOf(from, to).blocked = false;
    this.onChange(`unblock ${from}→${to}`);
  }

  /** Cuts every link to and from `node`. */
  isolate(node: NodeId): void {
    const i = this.indexOf(node);
    for (let j = 0; j < this.rows.length; j++) {
      if (j === i) continue;
      this.rows[i]![j]!.blocked = true;
      this.rows[j]![i]!.blocked = true;
    }
    this.onChange(`isolate ${node}`);
  }

  /** Reopens every link: the network is whole again. */
  heal(): void {
    for (const row of this.rows) for (const link of row) link.blocked = false;
    this.onChange('heal');
  }

  /** True when messages from `from` to `to` are currently blocked. */
  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.linkOf(from, to).blocked;
  }

  /** Every blocked directed link, as `[from, to]` pairs in the order the nodes were added. */
  blockedLinks(): Array<readonly [NodeId, NodeId]> {
    const out: Array<readonly [NodeId, NodeId]> = [];
    const n = this.rows.length;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) if (this.rows[i]![j]!.blocked) out.push([this.ids[i]!, this.ids[j]!]);
    }
    return out;
  }

  /** @internal The index of a node id; throws a `UsageError` for an unknown id. */
  indexOf(id: NodeId): number {
    const i = this.index.get(id);
    if (i === undefined) throw new UsageError(`unknown node "${id}"; the simulation has nodes ${this.ids.join(', ')}`);
    return i;
  }

  /**
   * @internal Decides what happens to one message sent now on link `from → to` (by index), and
   * draws the latency of each copy into `delays` (`delays[1]` only for `Twice`).
   */
  decide(from: number, to: number, delays: number[]): Fate {
    const link = this.rows[from]![to]!;
    if (link.blocked) return Fate.Partitioned;
    const options = link.options ?? this.defaults;
    const random = link.random ?? this.streamOf(link, from, to);
    if (options.lossRate > 0 && random.float() < options.lossRate) return Fate.Lost;
    const twice = options.duplicateRate > 0 && random.float() < options.duplicateRate;
    delays[0] = sampleLatency(options.latency, random);
    if (!twice) return Fate.Once;
    delays[1] = sampleLatency(options.latency, random);
    return Fate.Twice;
  }

  /** @internal True when the link `from → to` (by index) is blocked. */
  blockedAt(from: number, to: number): boolean {
    return this.rows[from]![to]!.blocked;
  }

  private streamOf(link: Link, from: number, to: number): Random {
    link.random = Random.stream(this.seed, 'link', this.ids[from]!, this.ids[to]!);
    return link.random;
  }

  private linkOf(from: NodeId, to: NodeId): Link {
    return this.rows[this.indexOf(from)]![this.indexOf(to)]!;
  }

  private checkDistinct(from: NodeId, to: NodeId): void {
    if (from === to) throw new UsageError(`cannot block ${from}→${to}: a node always reaches itself`);
  }
}

function resolve(base: ResolvedLink, options: LinkOptions): ResolvedLink {
  const out: ResolvedLink = {
    latency: options.latency ?? base.latency,
    lossRate: options.lossRate ?? base.lossRate,
    duplicateRate: options.duplicateRate ?? base.duplicateRate,
  };
  checkRate('lossRate', out.lossRate);
  checkRate('duplicateRate', out.duplicateRate);
  checkLatency(out.latency);
  return out;
}

function checkRate(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new UsageError(`${name} must be a probability in [0, 1], got ${p}`);
}

function checkLatency(latency: Latency): void {
  const bad = (what: string) => new UsageError(`latency ${JSON.stringify(latency)}: ${what}`);
  switch (latency.kind) {
    case 'fixed':
      if (!(latency.ms >= 0)) throw bad('ms must be >= 0');
      return;
    case 'uniform':
      if (!(latency.minMs >= 0 && latency.maxMs >= latency.minMs)) throw bad('need 0 <= minMs <= maxMs');
      return;
    case 'exponential':
      if (!(latency.minMs >= 0 && latency.meanMs >= 0)) throw bad('minMs and meanMs must be >= 0');
      return;
  }
}

function describeOptions(options: LinkOptions): string {
  return JSON.stringify(options);
}
