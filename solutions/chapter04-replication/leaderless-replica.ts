/**
 * A replica of a leaderless (Dynamo-style) store, as a node of the simulator.
 *
 * Every replica plays two parts. As a *replica* it stores sibling lists (merging whatever it
 * receives with `mergeSiblings`), keeps hints for unreachable peers, and takes part in
 * anti-entropy. As a *coordinator* it serves a client's request for a key it is a home replica
 * of: a write is stored locally, sent to the other home replicas and acknowledged to the client
 * once `w` have it; a read asks every home replica and answers once `r` have replied, with
 * their siblings merged, then repairs the replicas that answered with stale data.
 *
 * Storage, in the one ordered store the replica is given:
 *
 * | prefix | key                                   | value                      |
 * |--------|---------------------------------------|----------------------------|
 * | `d`    | the user key                          | encoded sibling list       |
 * | `h`    | u16 length, home replica id, user key | encoded sibling list (hint) |
 *
 * A replica acknowledges a `store` only after writing it (and syncing, when the store is a
 * `DurableKV`), so an acknowledged write survives the replica's crash.
 * @module
 */

import { bytesEqual, concatBytes, fromUtf8, utf8 } from '../../shared/bytes.js';
import type { DurableKV, OrderedKV } from '../../shared/kv.js';
import type { NodeContext, NodeId, SimNode, TimerId } from '../../shared/sim/index.js';
import type { KeySiblings, LeaderlessMessage } from './leaderless-messages.js';
import { MerkleTree } from './merkle-tree.js';
import { PrefixedKV } from '../../shared/prefixed-kv.js';
import { checkQuorum, preferenceList, type QuorumConfig } from './quorum.js';
import { decodeSiblings, encodeSiblings } from './sibling-codec.js';
import { liveValues, mergeSiblings, putSibling, readContext, type Sibling } from './siblings.js';

/** How a leaderless replica behaves. Every replica of a cluster gets the same options but `store`. */
export interface LeaderlessOptions {
  /** Every replica of the cluster, in ring order (clients are not replicas). */
  readonly replicas: readonly NodeId[];
  readonly quorum: QuorumConfig;
  /** This replica's store; a `DurableKV` is synced before every acknowledgement. */
  readonly store: OrderedKV;
  /** How long a coordinator waits for replies before resending, in virtual ms. */
  readonly timeoutMs: number;
  /** How many rounds of sends a coordinator makes before giving up on a replica. */
  readonly attempts: number;
  /** When home replicas stay silent, store the write on fallback replicas with a hint. */
  readonly sloppy: boolean;
  /** After a read, send the merged siblings to replicas that answered with less. */
  readonly readRepair: boolean;
  /** How often a replica tries to hand its hints to their home replicas, in virtual ms. */
  readonly handoffIntervalMs: number;
  /** Merkle-tree anti-entropy with one peer per interval, or `null` for none. */
  readonly antiEntropy: { readonly splits: readonly Uint8Array[]; readonly intervalMs: number } | null;
}

interface PendingWrite {
  readonly client: NodeId;
  readonly request: number;
  readonly key: Uint8Array;
  readonly siblings: Uint8Array;
  /** Replicas that stored the write (the coordinator included). */
  readonly acked: Set<NodeId>;
  /** Replica sent to → the home replica it stands for (itself, unless it holds a hint). */
  readonly targets: Map<NodeId, NodeId>;
  attempt: number;
  replied: boolean;
  sloppyTried: boolean;
  timer: TimerId;
}

interface PendingRead {
  readonly client: NodeId;
  readonly request: number;
  readonly key: Uint8Array;
  readonly home: readonly NodeId[];
  /** Replica → the encoded siblings it answered with (the coordinator included). */
  readonly replies: Map<NodeId, Uint8Array>;
  attempt: number;
  replied: boolean;
  timer: TimerId;
}

const DATA = utf8('d');
const HINTS = utf8('h');

/** One replica of a leaderless store. */
export class LeaderlessReplica implements SimNode<LeaderlessMessage> {
  private readonly ctx: NodeContext<LeaderlessMessage>;
  private readonly options: LeaderlessOptions;
  private readonly data: PrefixedKV;
  private readonly hints: PrefixedKV;
  private tree: MerkleTree | null = null;
  private nextOp = 1;
  private readonly writes = new Map<number, PendingWrite>();
  private readonly reads = new Map<number, PendingRead>();
  /** Handoff op → the hint key and the bytes sent; the hint is deleted when acknowledged. */
  private readonly handoffs = new Map<number, { readonly hintKey: Uint8Array; readonly siblings: Uint8Array }>();
  private antiEntropyTurn = 0;

  constructor(ctx: NodeContext<LeaderlessMessage>, options: LeaderlessOptions) {
    checkQuorum(options.quorum, options.replicas.length);
    this.ctx = ctx;
    this.options = options;
    this.data = new PrefixedKV(options.store, DATA);
    this.hints = new PrefixedKV(options.store, HINTS);
  }

  onStart(): void {
    if (this.options.antiEntropy !== null) {
      this.tree = new MerkleTree(this.data, this.options.antiEntropy.splits);
      this.ctx.setTimer('anti-entropy', this.options.antiEntropy.intervalMs);
    }
    if (this.options.sloppy) this.ctx.setTimer('handoff', this.options.handoffIntervalMs);
  }

  onMessage(from: NodeId, msg: LeaderlessMessage): void {
    switch (msg.type) {
      case 'put':
        return this.coordinatePut(from, msg.request, msg.key, msg.value, msg.context);
      case 'get':
        return this.coordinateGet(from, msg.request, msg.key);
      case 'store':
        return this.onStore(from, msg.op, msg.key, msg.siblings, msg.hintFor);
      case 'stored':
        return this.onStored(from, msg.op);
      case 'fetch':
        this.ctx.send(from, { type: 'fetched', op: msg.op, siblings: encodeSiblings(this.load(msg.key)) });
        return;
      case 'fetched':
        return this.onFetched(from, msg.op, msg.siblings);
      case 'tree-hashes':
        return this.onTreeHashes(from, msg.level, msg.indices, msg.hashes);
      case 'range-entries':
        return this.onRangeEntries(from, msg.leaves, msg.entries, msg.reply);
      case 'put-reply':
      case 'get-reply':
        return; // for clients
    }
  }

  onTimer(name: string): void {
    if (name === 'anti-entropy') {
      this.startAntiEntropy();
      this.ctx.setTimer('anti-entropy', this.options.antiEntropy!.intervalMs);
    } else if (name === 'handoff') {
      this.handOffHints();
      this.ctx.setTimer('handoff', this.options.handoffIntervalMs);
    } else if (name.startsWith('write:')) {
      this.onWriteTimeout(Number(name.slice(6)));
    } else if (name.startsWith('read:')) {
      this.onReadTimeout(Number(name.slice(5)));
    }
  }

  /** This replica's siblings for `key` (for tests and debugging). */
  siblings(key: Uint8Array): Sibling[] {
    return this.load(key);
  }

  /** The root of this replica's Merkle tree, or `undefined` without anti-entropy. */
  merkleRoot(): Uint8Array | undefined {
    return this.tree?.root;
  }

  /** How many hints this replica holds for other replicas. */
  hintCount(): number {
    return [...this.hints.scan()].length;
  }

  // ---- storage ----

  private load(key: Uint8Array): Sibling[] {
    const stored = this.data.get(key);
    return stored === undefined ? [] : decodeSiblings(stored);
  }

  /** Merges `incoming` into the stored siblings of `key`; returns the result. */
  private save(key: Uint8Array, incoming: readonly Sibling[]): Sibling[] {
    const before = this.data.get(key);
    const merged = mergeSiblings(before === undefined ? [] : decodeSiblings(before), incoming);
    const bytes = encodeSiblings(merged);
    if (before === undefined || !bytesEqual(before, bytes)) {
      this.data.put(key, bytes);
      this.persist();
      this.tree?.update(this.data, key);
    }
    return merged;
  }

  private persist(): void {
    const store = this.options.store as Partial<DurableKV>;
    if (typeof store.sync === 'function') store.sync();
  }

  private home(key: Uint8Array): NodeId[] {
    return preferenceList(key, this.options.replicas).slice(0, this.options.quorum.n);
  }

  private onStore(from: NodeId, op: number, key: Uint8Array, siblings: Uint8Array, hintFor: NodeId | null): void {
    if (hintFor === null || hintFor === this.ctx.id) {
      this.save(key, decodeSiblings(siblings));
    } else {
      this.storeHint(hintFor, key, siblings);
    }
    this.ctx.send(from, { type: 'stored', op });
  }

  // ---- 4.3 quorum writes ----

  /**
   * A client's write: refuse it unless this replica is a home replica of the key; apply it
   * locally with `putSibling` (this replica coordinates: its id goes in the dot); send the
   * resulting siblings to the other home replicas; answer the client once `w` have stored it.
   */
  private coordinatePut(client: NodeId, request: number, key: Uint8Array, value: Uint8Array | null, context: Record<string, number>): void {
    const home = this.home(key);
    if (!home.includes(this.ctx.id)) {
      this.ctx.send(client, { type: 'put-reply', request, ok: false, acks: 0 });
      return;
    }
    const written = putSibling(this.load(key), this.ctx.id, value, context);
    const siblings = encodeSiblings(this.save(key, written));
    const op = this.nextOp++;
    const targets = new Map<NodeId, NodeId>();
    for (const replica of home) if (replica !== this.ctx.id) targets.set(replica, replica);
    const pending: PendingWrite = {
      client,
      request,
      key,
      siblings,
      acked: new Set([this.ctx.id]),
      targets,
      attempt: 1,
      replied: false,
      sloppyTried: false,
      timer: this.ctx.setTimer(`write:${op}`, this.options.timeoutMs),
    };
    this.writes.set(op, pending);
    for (const replica of targets.keys()) this.sendStore(replica, op, pending);
    this.progressWrite(op, pending);
  }

  private sendStore(replica: NodeId, op: number, pending: PendingWrite): void {
    const home = pending.targets.get(replica)!;
    this.ctx.send(replica, { type: 'store', op, key: pending.key, siblings: pending.siblings, hintFor: home === replica ? null : home });
  }

  /** A replica stored operation `op`: count its acknowledgement (handoff acks are 4.5's). */
  private onStored(from: NodeId, op: number): void {
    if (this.onHandoffStored(op)) return;
    const pending = this.writes.get(op);
    if (pending === undefined || !pending.targets.has(from)) return;
    pending.acked.add(from);
    this.progressWrite(op, pending);
  }

  /** Answers the client once `w` replicas have the write; forgets the write once all have it. */
  private progressWrite(op: number, pending: PendingWrite): void {
    if (!pending.replied && pending.acked.size >= this.options.quorum.w) {
      pending.replied = true;
      this.ctx.send(pending.client, { type: 'put-reply', request: pending.request, ok: true, acks: pending.acked.size });
    }
    if (pending.acked.size === pending.targets.size + 1) {
      this.ctx.cancelTimer(pending.timer);
      this.writes.delete(op);
    }
  }

  /**
   * No full set of acknowledgements yet: resend to the silent replicas while attempts remain;
   * then go sloppy once if allowed; then answer the client with a failure if it has no answer.
   */
  private onWriteTimeout(op: number): void {
    const pending = this.writes.get(op);
    if (pending === undefined) return;
    const silent = [...pending.targets.keys()].filter((r) => !pending.acked.has(r));
    if (pending.attempt < this.options.attempts) {
      pending.attempt++;
      for (const replica of silent) this.sendStore(replica, op, pending);
      pending.timer = this.ctx.setTimer(`write:${op}`, this.options.timeoutMs);
      return;
    }
    if (this.options.sloppy && !pending.sloppyTried) {
      pending.sloppyTried = true;
      this.goSloppy(op, pending, silent);
      return;
    }
    if (!pending.replied) {
      this.ctx.send(pending.client, { type: 'put-reply', request: pending.request, ok: false, acks: pending.acked.size });
    }
    this.writes.delete(op);
  }

  // ---- 4.3 quorum reads, 4.4 read repair ----

  /**
   * A client's read: refuse it unless this replica is a home replica of the key; count the local
   * siblings as the first reply; ask the other home replicas with `fetch`.
   */
  private coordinateGet(client: NodeId, request: number, key: Uint8Array): void {
    const home = this.home(key);
    if (!home.includes(this.ctx.id)) {
      this.ctx.send(client, { type: 'get-reply', request, ok: false, values: [], context: {}, replies: 0 });
      return;
    }
    const op = this.nextOp++;
    const pending: PendingRead = {
      client,
      request,
      key,
      home,
      replies: new Map([[this.ctx.id, encodeSiblings(this.load(key))]]),
      attempt: 1,
      replied: false,
      timer: this.ctx.setTimer(`read:${op}`, this.options.timeoutMs),
    };
    this.reads.set(op, pending);
    for (const replica of home) if (replica !== this.ctx.id) this.ctx.send(replica, { type: 'fetch', op, key });
    this.progressRead(op, pending);
  }

  /** A home replica answered a read: record its reply (once per replica). */
  private onFetched(from: NodeId, op: number, siblings: Uint8Array): void {
    const pending = this.reads.get(op);
    if (pending === undefined || !pending.home.includes(from)) return;
    pending.replies.set(from, siblings);
    this.progressRead(op, pending);
  }

  /** Answers once `r` replicas have replied; repairs and forgets the read once all have. */
  private progressRead(op: number, pending: PendingRead): void {
    if (!pending.replied && pending.replies.size >= this.options.quorum.r) {
      pending.replied = true;
      const merged = mergeReplies(pending.replies);
      this.ctx.send(pending.client, {
        type: 'get-reply',
        request: pending.request,
        ok: true,
        values: liveValues(merged),
        context: readContext(merged),
        replies: pending.replies.size,
      });
    }
    if (pending.replies.size === pending.home.length) this.finishRead(op, pending);
  }

  /** Resend `fetch` to the silent replicas while attempts remain, then fail and finish the read. */
  private onReadTimeout(op: number): void {
    const pending = this.reads.get(op);
    if (pending === undefined) return;
    if (pending.attempt < this.options.attempts) {
      pending.attempt++;
      for (const replica of pending.home) {
        if (!pending.replies.has(replica)) this.ctx.send(replica, { type: 'fetch', op, key: pending.key });
      }
      pending.timer = this.ctx.setTimer(`read:${op}`, this.options.timeoutMs);
      return;
    }
    if (!pending.replied) {
      this.ctx.send(pending.client, {
        type: 'get-reply',
        request: pending.request,
        ok: false,
        values: [],
        context: {},
        replies: pending.replies.size,
      });
      pending.replied = true;
    }
    this.finishRead(op, pending);
  }

  /** Read repair: every replica that answered with less than the merge gets the merge. */
  private finishRead(op: number, pending: PendingRead): void {
    this.ctx.cancelTimer(pending.timer);
    this.reads.delete(op);
    if (!this.options.readRepair) return;
    const merged = encodeSiblings(mergeReplies(pending.replies));
    for (const [replica, answered] of pending.replies) {
      if (bytesEqual(answered, merged)) continue;
      if (replica === this.ctx.id) this.save(pending.key, decodeSiblings(merged));
      else this.ctx.send(replica, { type: 'store', op: 0, key: pending.key, siblings: merged, hintFor: null });
    }
  }

  // ---- 4.5 sloppy quorums and hinted handoff ----

  /** Sends the write to one fallback replica per silent home replica, with a hint. */
  private goSloppy(op: number, pending: PendingWrite, silent: readonly NodeId[]): void {
    const fallbacks = preferenceList(pending.key, this.options.replicas)
      .slice(this.options.quorum.n)
      .filter((r) => !pending.targets.has(r));
    for (const home of silent) {
      const stand = fallbacks.shift();
      if (stand === undefined) break;
      pending.targets.delete(home);
      pending.targets.set(stand, home);
      this.sendStore(stand, op, pending);
    }
    pending.timer = this.ctx.setTimer(`write:${op}`, this.options.timeoutMs);
  }

  /** Keeps siblings meant for `home` as a hint, merged with any hint already held for that key. */
  private storeHint(home: NodeId, key: Uint8Array, siblings: Uint8Array): void {
    const hintKey = encodeHintKey(home, key);
    const held = this.hints.get(hintKey);
    const merged = mergeSiblings(held === undefined ? [] : decodeSiblings(held), decodeSiblings(siblings));
    this.hints.put(hintKey, encodeSiblings(merged));
    this.persist();
  }

  /** Sends every hint to its home replica; a hint is deleted when its home acknowledges it. */
  private handOffHints(): void {
    this.handoffs.clear();
    for (const { key: hintKey, value } of [...this.hints.scan()]) {
      const { home, key } = decodeHintKey(hintKey);
      const op = this.nextOp++;
      this.handoffs.set(op, { hintKey, siblings: value });
      this.ctx.send(home, { type: 'store', op, key, siblings: value, hintFor: null });
    }
  }

  /**
   * If `op` was a handoff, deletes its hint (unless the hint changed since it was sent) and
   * returns true.
   */
  private onHandoffStored(op: number): boolean {
    const handoff = this.handoffs.get(op);
    if (handoff === undefined) return false;
    this.handoffs.delete(op);
    const held = this.hints.get(handoff.hintKey);
    if (held !== undefined && bytesEqual(held, handoff.siblings)) this.hints.delete(handoff.hintKey);
    return true;
  }

  // ---- 4.6 anti-entropy ----

  /** Starts a Merkle comparison with the next peer in turn: sends it the root hash. */
  private startAntiEntropy(): void {
    const peers = this.options.replicas.filter((r) => r !== this.ctx.id);
    if (peers.length === 0 || this.tree === null) return;
    const peer = peers[this.antiEntropyTurn++ % peers.length]!;
    this.ctx.send(peer, { type: 'tree-hashes', level: 0, indices: [0], hashes: [this.tree.root] });
  }

  /** Compares a peer's hashes with ours; descends where they differ, or exchanges leaf entries. */
  private onTreeHashes(from: NodeId, level: number, indices: readonly number[], hashes: readonly Uint8Array[]): void {
    const tree = this.tree;
    if (tree === null) return;
    const differing = indices.filter((index, i) => !bytesEqual(tree.hashAt(level, index), hashes[i]!));
    if (differing.length === 0) return;
    if (level === tree.depth) {
      this.ctx.send(from, { type: 'range-entries', leaves: differing, entries: this.entriesIn(differing), reply: true });
      return;
    }
    const children = differing.flatMap((i) => [2 * i, 2 * i + 1]);
    this.ctx.send(from, {
      type: 'tree-hashes',
      level: level + 1,
      indices: children,
      hashes: children.map((i) => tree.hashAt(level + 1, i)),
    });
  }

  /** Merges a peer's entries of some leaf ranges; answers with ours when asked. */
  private onRangeEntries(from: NodeId, leaves: number[], entries: readonly KeySiblings[], reply: boolean): void {
    for (const { key, siblings } of entries) this.save(key, decodeSiblings(siblings));
    if (reply) this.ctx.send(from, { type: 'range-entries', leaves, entries: this.entriesIn(leaves), reply: false });
  }

  private entriesIn(leaves: readonly number[]): KeySiblings[] {
    const out: KeySiblings[] = [];
    for (const leaf of leaves) {
      for (const { key, value } of this.data.scan(this.tree!.leafRange(leaf))) out.push({ key, siblings: value });
    }
    return out;
  }
}

/** Merges every reply of a read. */
function mergeReplies(replies: ReadonlyMap<NodeId, Uint8Array>): Sibling[] {
  let merged: Sibling[] = [];
  for (const siblings of replies.values()) merged = mergeSiblings(merged, decodeSiblings(siblings));
  return merged;
}

/** The key of a hint: u16 length of the home replica's id, the id, then the user key. */
export function encodeHintKey(home: NodeId, key: Uint8Array): Uint8Array {
  const id = utf8(home);
  return concatBytes(Uint8Array.of(id.length >>> 8, id.length & 0xff), id, key);
}

/** Splits a key made by {@link encodeHintKey}. */
export function decodeHintKey(hintKey: Uint8Array): { home: NodeId; key: Uint8Array } {
  const length = (hintKey[0]! << 8) | hintKey[1]!;
  return { home: fromUtf8(hintKey.subarray(2, 2 + length)), key: hintKey.slice(2 + length) };
}
