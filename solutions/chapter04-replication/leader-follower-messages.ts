/**
 * The messages of leader–follower replication: clients ↔ replicas, leader ↔ followers, and
 * replicas ↔ the failover controller. Log entries travel as plain objects (`LogEntry`).
 * @module
 */

import type { NodeId } from '../../shared/sim/index.js';
import type { Dependencies, LogEntry } from './log-entry.js';

/** One key and its stored value, as shipped in a snapshot. */
export interface SnapshotEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/** Every message of leader–follower replication. */
export type LeaderFollowerMessage =
  /**
   * Client → leader: write `value` (null deletes); `deps` are the client's causal dependencies.
   * `dedup`: this client deduplicates its retries, so a leader that already appended the write of
   * (this client, `request`) answers with that entry's offset instead of appending it again.
   */
  | {
      readonly type: 'write';
      readonly dedup: boolean;
      readonly request: number;
      readonly key: Uint8Array;
      readonly value: Uint8Array | null;
      readonly deps: Dependencies;
    }
  /**
   * Leader → client: the write is at `offset` and acknowledged per the acknowledgement mode; or
   * (`ok` false) this replica is not the leader, and `leader` is who it believes is.
   */
  | { readonly type: 'write-reply'; readonly request: number; readonly ok: boolean; readonly offset: number; readonly leader: NodeId | null }
  /** Client → any replica: read `key`, but only from a state at least as new as `minOffset`. */
  | { readonly type: 'read'; readonly request: number; readonly key: Uint8Array; readonly minOffset: number }
  /**
   * Replica → client: the value (null if absent) as of the replica's `offset`, with the
   * dependencies it was written with; or (`ok` false) the replica is behind `minOffset`.
   */
  | {
      readonly type: 'read-reply';
      readonly request: number;
      readonly ok: boolean;
      readonly value: Uint8Array | null;
      readonly deps: Dependencies;
      readonly offset: number;
    }
  /**
   * Leader → follower: the entries from `entries[0].offset` on (none: a heartbeat), from the
   * leader of `epoch`, whose log ends at `leaderLast`.
   */
  | { readonly type: 'append'; readonly epoch: number; readonly entries: LogEntry[]; readonly leaderLast: number }
  /** Follower → leader: my log ends at `lastOffset` (everything up to it is applied, in order). */
  | { readonly type: 'append-ack'; readonly epoch: number; readonly lastOffset: number }
  /** Leader → follower that is too far behind: the whole data as of `offset`, in `epoch`. */
  | { readonly type: 'snapshot'; readonly epoch: number; readonly offset: number; readonly entries: SnapshotEntry[] }
  /** Follower → new leader: where does your log stop agreeing with mine, whose last entry has `lastEpoch`? */
  | { readonly type: 'diverge-query'; readonly epoch: number; readonly lastEpoch: number }
  /**
   * New leader → follower, answering a `diverge-query` sent with `forEpoch`: the newest epoch my
   * log holds at or before `forEpoch` is `lastEpoch` (0: none), and my last entry of that epoch or
   * earlier is at `endOffset`.
   */
  | {
      readonly type: 'diverge-reply';
      readonly epoch: number;
      readonly forEpoch: number;
      readonly lastEpoch: number;
      readonly endOffset: number;
    }
  /** Replica → controller: I am alive; my epoch, role and last offset. */
  | { readonly type: 'heartbeat'; readonly epoch: number; readonly leading: boolean; readonly lastOffset: number }
  /** Controller → replica: in `epoch`, `leader` leads (you, if it is your id). */
  | { readonly type: 'assign'; readonly epoch: number; readonly leader: NodeId }
  /** Controller → replica, during a failover to `epoch`: how far does your log go? */
  | { readonly type: 'status-query'; readonly epoch: number }
  /** Replica → controller: my log ends at `lastOffset`, with an entry of `lastEpoch`. */
  | { readonly type: 'status-reply'; readonly epoch: number; readonly lastEpoch: number; readonly lastOffset: number };
