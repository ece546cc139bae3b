/**
 * The simulated network: latency, loss, duplication, reordering and partitions.
 *
 * Every message is decided when it is sent, with the network's own seeded generator:
 *
 * 1. If the link `from → to` is blocked by a partition, the message is dropped.
 * 2. Otherwise it is lost with probability `lossRate`.
 * 3. Otherwise it is delivered once, or twice with probability `duplicateRate`; each copy gets
 *    its own latency drawn from the link's distribution.
 *
 * Reordering needs no switch of its own: two messages on one link whose latencies differ by more
 * than the gap between their sends arrive in the opposite order. With `fixed` latency a link is
 * FIFO; with `uniform` or `exponential` latency it reorders. A message that is in flight when a
 * partition cuts its link is dropped on arrival: the partition blocks it then too.
 *
 * Everything can change during a run: {@link Network.configure} changes the defaults,
 * {@link Network.setLink} one directed link, and the partition methods which links are open.
 * @module
 */

import { UsageError } from '../errors.js';
import type { Random } from '../random.js';
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

/**
 * The network between a fixed set of nodes. Obtain it from `Simulation.network`; every change is
 * recorded in the simulation's trace.
 */
export class Network {
  private readonly ids: readonly NodeId[];
  private readonly index = new Map<NodeId, number>();
  private readonly random: Random;
  private readonly onChange: (description: string) => void;
  private defaults: ResolvedLink = DEFAULT_LINK;
  // links[from * n + to] overrides the defaults for one directed link, when set.
  private readonly links: Array<ResolvedLink | undefined>;
  // blocked[from * n + to] === 1 when the directed link is cut. Invariant: blocked[i * n + i] === 0.
  private readonly blocked: Uint8Array;

  /** @internal Built by the simulation. */
  constructor(ids: readonly NodeId[], random: Random, onChange: (description: string) => void) {
    this.ids = ids;
    ids.forEach((id, i) => this.index.set(id, i));
    this.random = random;
    this.onChange = onChange;
    this.links = new Array<ResolvedLink | undefined>(ids.length * ids.length).fill(undefined);
    this.blocked = new Uint8Array(ids.length * ids.length);
  }

  /** Changes the defaults of every link that has no override of its own. */
  configure(options: LinkOptions): void {
    this.defaults = resolve(this.defaults, options);
    this.onChange(`configure network ${describeOptions(options)}`);
  }

  /** Overrides the behaviour of the directed link `from → to`; unset options keep their values. */
  setLink(from: NodeId, to: NodeId, options: LinkOptions): void {
    const at = this.slot(from, to);
    this.links[at] = resolve(this.links[at] ?? this.defaults, options);
    this.onChange(`configure link ${from}→${to} ${describeOptions(options)}`);
  }

  /** The behaviour of the directed link `from → to` as it is now. */
  link(from: NodeId, to: NodeId): ResolvedLink {
    return this.links[this.slot(from, to)] ?? this.defaults;
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
            if (a !== b) this.blocked[this.slot(a, b)] = 1;
          }
        }
      }
    }
    this.onChange(`partition ${groups.map((g) => `[${g.join(',')}]`).join(' | ')}`);
  }

  /** Cuts the directed link `from → to` only: `to` can still reach `from` (asymmetric fault). */
  block(from: NodeId, to: NodeId): void {
    this.checkDistinct(from, to);
    this.blocked[this.slot(from, to)] = 1;
    this.onChange(`block ${from}→${to}`);
  }

  /** Reopens the directed link `from → to`. */
  unblock(from: NodeId, to: NodeId): void {
    this.blocked[this.slot(from, to)] = 0;
    this.onChange(`unblock ${from}→${to}`);
  }

  /** Cuts every link to and from `node`. */
  isolate(node: NodeId): void {
    const i = this.indexOf(node);
    const n = this.ids.length;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      this.blocked[i * n + j] = 1;
      this.blocked[j * n + i] = 1;
    }
    this.onChange(`isolate ${node}`);
  }

  /** Reopens every link: the network is whole again. */
  heal(): void {
    this.blocked.fill(0);
    this.onChange('heal');
  }

  /** True when messages from `from` to `to` are currently blocked. */
  isBlocked(from: NodeId, to: NodeId): boolean {
    return this.blocked[this.slot(from, to)] === 1;
  }

  /** Every blocked directed link, as `[from, to]` pairs in declaration order. */
  blockedLinks(): Array<readonly [NodeId, NodeId]> {
    const out: Array<readonly [NodeId, NodeId]> = [];
    const n = this.ids.length;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) if (this.blocked[i * n + j] === 1) out.push([this.ids[i]!, this.ids[j]!]);
    }
    return out;
  }

  /** @internal The index of a node id; throws a `UsageError` for an unknown id. */
  indexOf(id: NodeId): number {
    const i = this.index.get(id);
    if (i === undefined) throw new UsageError(`unknown node "${id}"; the simulation has nodes ${this.ids.join(', ')}`);
    return i;
  }

  /** @internal Decides what happens to one message sent now on link `from → to` (by index). */
  decide(from: number, to: number): Fate {
    const n = this.ids.length;
    if (this.blocked[from * n + to] === 1) return Fate.Partitioned;
    const link = this.links[from * n + to] ?? this.defaults;
    if (link.lossRate > 0 && this.random.float() < link.lossRate) return Fate.Lost;
    if (link.duplicateRate > 0 && this.random.float() < link.duplicateRate) return Fate.Twice;
    return Fate.Once;
  }

  /** @internal Draws the latency of one copy of a message on link `from → to` (by index). */
  delay(from: number, to: number): number {
    const link = this.links[from * this.ids.length + to] ?? this.defaults;
    return sampleLatency(link.latency, this.random);
  }

  /** @internal True when the link `from → to` (by index) is blocked. */
  blockedAt(from: number, to: number): boolean {
    return this.blocked[from * this.ids.length + to] === 1;
  }

  private slot(from: NodeId, to: NodeId): number {
    return this.indexOf(from) * this.ids.length + this.indexOf(to);
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
