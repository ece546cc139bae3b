/**
 * A replica of a leader–follower store, as a node of the simulator.
 *
 * The *leader* takes every write, appends it to its replication log (with the write's effect on
 * the data, atomically) and streams the log to the followers. A *follower* applies entries
 * strictly in log order: it ignores duplicates, and when it sees a gap it waits, telling the
 * leader where its log ends, so the leader resends from there. A follower too far behind, or a new
 * one, gets a snapshot of the data and then the log from the snapshot's offset.
 *
 * The leader acknowledges a write to its client according to the acknowledgement mode: `async` at
 * once, `semi-sync` once one follower has it, `sync` once every follower has it.
 *
 * Who leads is decided by the failover controller (`failover-controller.ts`) and numbered by
 * *epochs*: a replica obeys the highest epoch it has heard of. A replica that learns of a new
 * epoch first asks the new leader where their logs diverge and undoes its entries past that point,
 * using each entry's `previous` value: an old leader's unreplicated tail is discarded.
 *
 * Storage, in the replica's one durable ordered store: the log under prefix `l`
 * (`replication-log.ts`), the data under `d` (values in the `encodeStoredValue` form), the epoch
 * and leader under `m`, and the ids of deduplicated writes under `w` (`w` client `0x00` u64
 * request → u64 offset, written in the batch of their entry, undone with it; a snapshot does not
 * carry them, so a follower bootstrapped from one knows only the ids of later writes). The store's
 * writes are durable only once `sync()` returns (a crash loses the rest), so the fsync policy is:
 * **a replica syncs before it tells anyone about a change**. The leader syncs an entry before it
 * answers the client, a follower syncs the entries it applied before it acknowledges them, and a
 * new epoch is synced before it is acted on.
 * @module
 */

import { concatBytes, fromUtf8, utf8 } from '../../shared/bytes.js';
import { prefixRange, type BatchOp, type DurableKV } from '../../shared/kv.js';
import type { NodeContext, NodeId, SimNode } from '../../shared/sim/index.js';
import type { LeaderFollowerMessage, SnapshotEntry } from './leader-follower-messages.js';
import { decodeStoredValue, encodeStoredValue, type Dependencies, type LogEntry, type WriteId } from './log-entry.js';
import { PrefixedKV } from '../../shared/prefixed-kv.js';
import { ReplicationLog } from './replication-log.js';

/** When the leader acknowledges a write: at once, after one follower has it, after all have. */
export type AckMode = 'async' | 'semi-sync' | 'sync';

/** How a replica behaves. Every replica of a group gets the same options but `store`. */
export interface LeaderFollowerOptions {
  /** Every replica of the group. */
  readonly replicas: readonly NodeId[];
  /** The failover controller. */
  readonly controller: NodeId;
  /** The leader of epoch 1. */
  readonly initialLeader: NodeId;
  /**
   * The replica's store, opened on its own disk: what `sync()` made durable survives a crash,
   * nothing else does.
   */
  readonly store: DurableKV;
  readonly acks: AckMode;
  /** Interval of heartbeats and of resending the log to followers, in virtual ms. */
  readonly heartbeatMs: number;
  /** Most entries in one append message. */
  readonly batchEntries: number;
  /** Entries the log keeps; older ones are dropped, and a follower that needs them gets a snapshot. */
  readonly retainEntries: number;
}

interface PendingWrite {
  readonly offset: number;
  readonly client: NodeId;
  readonly request: number;
}

const DATA = utf8('d');
const WRITE_IDS = utf8('w');
const META_EPOCH = utf8('m/epoch');
const META_LEADER = utf8('m/leader');

/** How many follower acknowledgements a write needs before the client hears of it. */
export function requiredAcks(mode: AckMode, followers: number): number {
  if (mode === 'async') return 0;
  if (mode === 'semi-sync') return Math.min(1, followers);
  return followers;
}

/** One replica of a leader–follower group. */
export class LeaderFollowerReplica implements SimNode<LeaderFollowerMessage> {
  private readonly ctx: NodeContext<LeaderFollowerMessage>;
  private readonly options: LeaderFollowerOptions;
  private readonly log: ReplicationLog;
  private readonly data: PrefixedKV;
  private role: 'leader' | 'follower' = 'follower';
  private epoch = 1;
  private leader: NodeId | null = null;
  /** Follower: waiting for the new leader to say where our logs diverge. */
  private diverging = false;
  /** Leader: per follower, the highest offset it confirmed and the next offset to send. */
  private readonly matched = new Map<NodeId, number>();
  private readonly next = new Map<NodeId, number>();
  private pending: PendingWrite[] = [];

  constructor(ctx: NodeContext<LeaderFollowerMessage>, options: LeaderFollowerOptions) {
    this.ctx = ctx;
    this.options = options;
    this.log = new ReplicationLog(options.store, utf8('l'));
    this.data = new PrefixedKV(options.store, DATA);
  }

  onStart(): void {
    const epoch = this.options.store.get(META_EPOCH);
    const leader = this.options.store.get(META_LEADER);
    if (epoch === undefined || leader === undefined) {
      if (this.options.initialLeader === this.ctx.id) this.lead(1);
      else this.follow(1, this.options.initialLeader);
    } else {
      // After a restart, lead again only when the controller says so.
      this.epoch = new DataView(epoch.buffer, epoch.byteOffset).getUint32(0);
      const saved = fromUtf8(leader);
      this.leader = saved === this.ctx.id || saved === '' ? null : saved;
      // The crash may have come before our divergence from this leader was resolved: ask again
      // (asking when the logs already agree truncates nothing).
      this.diverging = this.leader !== null && this.log.lastOffset > 0;
    }
    this.ctx.setTimer('tick', this.options.heartbeatMs);
    this.heartbeat();
  }

  onTimer(name: string): void {
    if (name !== 'tick') return;
    this.ctx.setTimer('tick', this.options.heartbeatMs);
    this.heartbeat();
    if (this.role === 'leader') for (const f of this.followers()) this.sendAppend(f);
    else if (this.diverging && this.leader !== null) {
      this.ctx.send(this.leader, { type: 'diverge-query', epoch: this.epoch, lastEpoch: this.log.lastEpoch });
    }
  }

  onMessage(from: NodeId, msg: LeaderFollowerMessage): void {
    switch (msg.type) {
      case 'write':
        return this.onWrite(from, msg.request, msg.key, msg.value, msg.deps, msg.dedup ? { client: from, request: msg.request } : undefined);
      case 'read':
        return this.onRead(from, msg.request, msg.key, msg.minOffset);
      case 'append':
        return this.onAppend(from, msg.epoch, msg.entries);
      case 'append-ack':
        return this.onAppendAck(from, msg.epoch, msg.lastOffset);
      case 'snapshot':
        return this.onSnapshot(from, msg.epoch, msg.offset, msg.entries);
      case 'diverge-query':
        if (this.role === 'leader' && msg.epoch === this.epoch) {
          const lastEpoch = this.log.lastEpochAtOrBefore(msg.lastEpoch);
          const endOffset = this.log.endOffsetOf(msg.lastEpoch);
          this.ctx.send(from, { type: 'diverge-reply', epoch: this.epoch, forEpoch: msg.lastEpoch, lastEpoch, endOffset });
        }
        return;
      case 'diverge-reply':
        // An answer to an older question (a duplicate, or one we have asked again since) is stale.
        if (msg.forEpoch !== this.log.lastEpoch) return;
        return this.onDivergeReply(from, msg.epoch, msg.lastEpoch, msg.endOffset);
      case 'assign':
        return this.onAssign(msg.epoch, msg.leader);
      case 'status-query':
        this.ctx.send(from, { type: 'status-reply', epoch: msg.epoch, lastEpoch: this.log.lastEpoch, lastOffset: this.log.lastOffset });
        return;
      default:
        return; // replies meant for clients and the controller
    }
  }

  /** True while this replica believes it leads. */
  get isLeader(): boolean {
    return this.role === 'leader';
  }

  /** The epoch this replica is in. */
  get currentEpoch(): number {
    return this.epoch;
  }

  /** The offset of this replica's newest log entry (everything up to it is applied). */
  get lastOffset(): number {
    return this.log.lastOffset;
  }

  /** The value this replica holds for `key` (for tests and debugging). */
  valueOf(key: Uint8Array): Uint8Array | undefined {
    const stored = this.data.get(key);
    return stored === undefined ? undefined : decodeStoredValue(stored).value;
  }

  // ---- roles ----

  private followers(): NodeId[] {
    return this.options.replicas.filter((r) => r !== this.ctx.id);
  }

  private heartbeat(): void {
    this.ctx.send(this.options.controller, {
      type: 'heartbeat',
      epoch: this.epoch,
      leading: this.role === 'leader',
      lastOffset: this.log.lastOffset,
    });
  }

  private saveRole(): void {
    const epoch = new Uint8Array(4);
    new DataView(epoch.buffer).setUint32(0, this.epoch);
    this.options.store.batch([
      { type: 'put', key: META_EPOCH, value: epoch },
      { type: 'put', key: META_LEADER, value: utf8(this.leader ?? '') },
    ]);
    this.persist();
  }

  /** The operations that delete every key of the data and every write id (for a batch that replaces them). */
  private clearData(): BatchOp[] {
    const ops = [...this.data.scan()].map(({ key }): BatchOp => ({ type: 'delete', key: concatBytes(DATA, key) }));
    for (const { key } of this.options.store.scan(prefixRange(WRITE_IDS))) ops.push({ type: 'delete', key });
    return ops;
  }

  private writeIdKey(id: WriteId): Uint8Array {
    const request = new Uint8Array(8);
    new DataView(request.buffer).setFloat64(0, id.request);
    return concatBytes(WRITE_IDS, utf8(id.client), Uint8Array.of(0), request);
  }

  /** The offset at which the write `id` was appended, if this log holds it. */
  private appendedAt(id: WriteId): number | undefined {
    const stored = this.options.store.get(this.writeIdKey(id));
    return stored === undefined ? undefined : new DataView(stored.buffer, stored.byteOffset).getFloat64(0);
  }

  /** What an entry adds to the write-id index (nothing without an id): part of its append batch. */
  private writeIdOps(entry: LogEntry): BatchOp[] {
    if (entry.writeId === undefined) return [];
    const offset = new Uint8Array(8);
    new DataView(offset.buffer).setFloat64(0, entry.offset);
    return [{ type: 'put', key: this.writeIdKey(entry.writeId), value: offset }];
  }

  /** What undoing an entry removes from the write-id index: part of its truncation batch. */
  private undoWriteIdOps(entry: LogEntry): BatchOp[] {
    return entry.writeId === undefined ? [] : [{ type: 'delete', key: this.writeIdKey(entry.writeId) }];
  }

  /** Makes every change so far durable: call it before telling anyone about them. */
  private persist(): void {
    this.options.store.sync();
  }

  private onAssign(epoch: number, leader: NodeId): void {
    if (epoch < this.epoch) return;
    if (leader === this.ctx.id) {
      if (this.role !== 'leader' || epoch !== this.epoch) this.lead(epoch);
    } else if (epoch > this.epoch || this.leader !== leader || this.role === 'leader') {
      this.follow(epoch, leader);
    }
  }

  /** Becomes the leader of `epoch`: our log is the truth from now on. */
  private lead(epoch: number): void {
    this.role = 'leader';
    this.epoch = epoch;
    this.leader = this.ctx.id;
    this.diverging = false;
    this.pending = [];
    for (const f of this.followers()) {
      this.matched.set(f, 0);
      this.next.set(f, this.log.lastOffset + 1);
    }
    this.saveRole();
    for (const f of this.followers()) this.sendAppend(f);
  }

  /**
   * Stops leading because a newer epoch exists (a follower answered with it): no more writes are
   * taken or answered here, and the controller will say who leads.
   */
  private stepDown(): void {
    this.role = 'follower';
    this.leader = null;
    this.pending = [];
  }

  /**
   * Follows `leader` in `epoch`. Entering a newer epoch, first ask the new leader where our logs
   * diverge: entries past that point were never replicated and must be undone.
   */
  private follow(epoch: number, leader: NodeId): void {
    const newEpoch = epoch > this.epoch;
    this.role = 'follower';
    this.epoch = epoch;
    this.leader = leader;
    this.pending = [];
    if (newEpoch && this.log.lastOffset > 0) this.diverging = true;
    this.saveRole();
    if (this.diverging) this.ctx.send(leader, { type: 'diverge-query', epoch, lastEpoch: this.log.lastEpoch });
  }

  // ---- 1.2 the leader's side ----

  /**
   * A client's write. Not the leader: refuse, naming the leader we know. The leader: if the write
   * has an id (`writeId`: its client deduplicates) that this log already holds (`appendedAt`), it
   * is a retry: do not append it again, answer for the entry already there. Otherwise append the
   * entry (with the key's previous stored value, for undo, and the write id) and **sync it before
   * anyone hears of it**. With `acks: 'async'` answer the client at once; otherwise put the write
   * in `pending` and call `acknowledgeWrites` (1.4), which answers it once enough followers
   * confirm. Then stream the log to every follower. (1.2's tests use `async` only, so they never
   * reach a 1.4 stub.)
   */
  private onWrite(client: NodeId, request: number, key: Uint8Array, value: Uint8Array | null, deps: Dependencies, writeId?: WriteId): void {
    if (this.role !== 'leader') {
      this.ctx.send(client, { type: 'write-reply', request, ok: false, offset: 0, leader: this.leader });
      return;
    }
    let offset = writeId === undefined ? undefined : this.appendedAt(writeId); // a retry of a write we hold
    if (offset === undefined) {
      const previous = this.data.get(key) ?? null;
      const entry: LogEntry = { offset: this.log.lastOffset + 1, epoch: this.epoch, key, value, previous, deps, ...(writeId && { writeId }) };
      this.append(entry);
      this.persist(); // durable before the client can hear of it
      offset = entry.offset;
    }
    if (this.options.acks === 'async') {
      this.ctx.send(client, { type: 'write-reply', request, ok: true, offset, leader: this.ctx.id });
    } else {
      this.pending.push({ offset, client, request });
      this.acknowledgeWrites();
    }
    for (const f of this.followers()) this.sendAppend(f);
  }

  /**
   * Appends an entry and applies it to the data in one batch, together with `writeIdOps(entry)`,
   * then trims the log. It does not sync: the caller syncs before it tells anyone (a follower
   * syncs once per append message).
   */
  private append(entry: LogEntry): void {
    const dataKey = concatBytes(DATA, entry.key);
    const apply: BatchOp =
      entry.value === null
        ? { type: 'delete', key: dataKey }
        : { type: 'put', key: dataKey, value: encodeStoredValue(entry.value, entry.deps) };
    this.log.append(entry, [apply, ...this.writeIdOps(entry)]);
    const keep = this.options.retainEntries;
    if (this.log.lastOffset - this.log.firstOffset + 1 > keep) this.log.dropBefore(this.log.lastOffset - keep + 1);
  }

  /** Sends a follower the log from the next offset it needs, or a snapshot if that was dropped. */
  private sendAppend(follower: NodeId): void {
    const next = this.next.get(follower) ?? this.log.lastOffset + 1;
    if (next < this.log.firstOffset) {
      const entries: SnapshotEntry[] = [...this.data.scan()].map(({ key, value }) => ({ key, value }));
      this.ctx.send(follower, { type: 'snapshot', epoch: this.epoch, offset: this.log.lastOffset, entries });
      return;
    }
    const entries = this.log.read(next, this.options.batchEntries);
    this.ctx.send(follower, { type: 'append', epoch: this.epoch, entries, leaderLast: this.log.lastOffset });
    if (entries.length > 0) this.next.set(follower, entries[entries.length - 1]!.offset + 1);
  }

  /**
   * A follower's log ends at `lastOffset`. Record it, resend from there, and, when writes are
   * pending, call `acknowledgeWrites` (1.4) to answer the ones it completes. An acknowledgement
   * from a newer epoch means this leader was deposed: it steps down at once (stops leading and
   * answering writes) and waits to be told who leads.
   */
  private onAppendAck(from: NodeId, epoch: number, lastOffset: number): void {
    if (epoch > this.epoch) return this.stepDown(); // a follower knows a newer epoch: we were deposed
    if (this.role !== 'leader' || epoch !== this.epoch || !this.next.has(from)) return;
    this.matched.set(from, lastOffset);
    this.next.set(from, lastOffset + 1);
    if (this.pending.length > 0) this.acknowledgeWrites();
    if (lastOffset < this.log.lastOffset) this.sendAppend(from);
  }

  /** Answers, in log order, every pending write that enough followers have confirmed. */
  private acknowledgeWrites(): void {
    const required = requiredAcks(this.options.acks, this.followers().length);
    while (this.pending.length > 0) {
      const write = this.pending[0]!;
      const confirmed = this.followers().filter((f) => (this.matched.get(f) ?? 0) >= write.offset).length;
      if (confirmed < required) return;
      this.pending.shift();
      this.ctx.send(write.client, { type: 'write-reply', request: write.request, ok: true, offset: write.offset, leader: this.ctx.id });
    }
  }

  // ---- 1.2 the follower's side ----

  /**
   * Entries from the leader. Apply them strictly in order: skip the ones already applied, stop
   * at a gap, **sync what you applied**, and always answer with where the log now ends, so the
   * leader resends from there. Entries from an older epoch than ours come from a deposed leader:
   * never apply them, and answer with our epoch so that it learns it was deposed.
   */
  private onAppend(from: NodeId, epoch: number, entries: readonly LogEntry[]): void {
    if (epoch < this.epoch) {
      this.ctx.send(from, { type: 'append-ack', epoch: this.epoch, lastOffset: this.log.lastOffset });
      return;
    }
    if (epoch > this.epoch || this.role === 'leader' || this.leader !== from) this.follow(epoch, from);
    if (this.diverging) return;
    for (const entry of entries) {
      if (entry.offset <= this.log.lastOffset) continue; // a duplicate: already applied
      if (entry.offset > this.log.lastOffset + 1) break; // a gap: wait for the missing entries
      this.append(entry);
    }
    this.persist(); // what we acknowledge must survive our crash
    this.ctx.send(from, { type: 'append-ack', epoch: this.epoch, lastOffset: this.log.lastOffset });
  }

  // ---- 1.3 snapshots ----

  /**
   * A snapshot of the leader's data at `offset`. If it is ahead of our log (or we are resolving a
   * divergence), it *replaces* our data: in one batch, delete every key we hold (`clearData`), put
   * the snapshot's entries and restart the log after `offset`; sync. A snapshot at or behind our
   * log's end (a late or duplicated one) is ignored: installing it would undo applied entries.
   * Either way, acknowledge where our log ends.
   */
  private onSnapshot(from: NodeId, epoch: number, offset: number, entries: readonly SnapshotEntry[]): void {
    if (epoch < this.epoch) return;
    if (epoch > this.epoch || this.leader !== from) this.follow(epoch, from);
    if (offset > this.log.lastOffset || this.diverging) {
      const ops: BatchOp[] = [...this.clearData(), ...entries.map(({ key, value }): BatchOp => ({ type: 'put', key: concatBytes(DATA, key), value }))];
      this.log.reset(offset, epoch, ops);
      this.persist();
      this.diverging = false;
    }
    this.ctx.send(from, { type: 'append-ack', epoch: this.epoch, lastOffset: this.log.lastOffset });
  }

  // ---- 1.6 rejoining: discard the unreplicated tail ----

  /**
   * The leader's answer to our `diverge-query` (sent with our last entry's epoch): the newest epoch
   * its log holds at or before ours is `leaderEpoch`, and its log's entries of that epoch or earlier
   * end at `endOffset`. Our logs agree up to `min(endOffset, our own end of leaderEpoch)`
   * (`log.endOffsetOf(leaderEpoch)`): our entries after that point, even those of a newer epoch than
   * any the leader has, were never replicated and must go. Undo them newest first, restoring each
   * key's previous value and removing its write id (`undoWriteIdOps`), in one batch; if that point
   * is not an entry we still hold (our log was trimmed or began with a snapshot), start over empty
   * instead, to be sent a snapshot. Sync. If the leader did not have our last epoch (`leaderEpoch`
   * was older), our remaining entries may still conflict: ask again with our new last epoch; else
   * the divergence is resolved, and we acknowledge where our log ends. Each round lowers our last
   * epoch, so this ends. (`onMessage` has already dropped an answer to an older question: one whose
   * `forEpoch` is not our last epoch any more, such as a duplicate.)
   */
  private onDivergeReply(from: NodeId, epoch: number, leaderEpoch: number, endOffset: number): void {
    if (!this.diverging || epoch !== this.epoch || from !== this.leader) return;
    const asked = this.log.lastEpoch;
    const keep = Math.min(endOffset, this.log.endOffsetOf(leaderEpoch));
    if (keep < this.log.firstOffset && this.log.firstOffset > 1) {
      // The agreement point is not an entry we hold: start over, to be sent a snapshot.
      this.log.reset(0, 0, this.clearData());
    } else {
      this.log.truncateAfter(keep, (entry) => {
        const dataKey = concatBytes(DATA, entry.key);
        const restore: BatchOp = entry.previous === null ? { type: 'delete', key: dataKey } : { type: 'put', key: dataKey, value: entry.previous };
        return [restore, ...this.undoWriteIdOps(entry)];
      });
    }
    this.persist();
    if (leaderEpoch < asked && this.log.lastOffset > 0) {
      this.ctx.send(from, { type: 'diverge-query', epoch, lastEpoch: this.log.lastEpoch });
      return;
    }
    this.diverging = false;
    this.ctx.send(from, { type: 'append-ack', epoch: this.epoch, lastOffset: this.log.lastOffset });
  }

  // ---- reads, on any replica ----

  private onRead(client: NodeId, request: number, key: Uint8Array, minOffset: number): void {
    if (this.log.lastOffset < minOffset) {
      this.ctx.send(client, { type: 'read-reply', request, ok: false, value: null, deps: {}, offset: this.log.lastOffset });
      return;
    }
    const stored = this.data.get(key);
    const { value, deps } = stored === undefined ? { value: null, deps: {} } : decodeStoredValue(stored);
    this.ctx.send(client, { type: 'read-reply', request, ok: true, value, deps, offset: this.log.lastOffset });
  }
}
