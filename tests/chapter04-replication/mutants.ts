/**
 * Known-buggy versions of chapter 04's solutions. `npm run check:mutants -- chapter04` proves the
 * tests catch each one.
 *
 * Spoiler: each `find` is a line of the reference solution. Finish the chapter's exercises
 * before reading this file.
 */
import type { Mutant } from '../../shared/testing/mutant.js';

export const mutants: Mutant[] = [
  {
    name: 'or-set-forgets-remove-tags',
    description: 'an OR-Set remove drops the tags without keeping tombstones, so a merge resurrects the element',
    file: 'chapter04-replication/or-set.ts',
    find: 'tombstones: [...state.tombstones, ...observed]',
    replace: 'tombstones: state.tombstones',
  },
  {
    name: 'g-counter-merge-adds',
    description: 'a G-Counter merge adds the per-replica counts instead of taking the maximum',
    file: 'chapter04-replication/g-counter.ts',
    find: 'merged[replica] = Math.max(merged[replica] ?? 0, count);',
    replace: 'merged[replica] = (merged[replica] ?? 0) + count;',
  },
  {
    name: 'lww-ties-ignore-replica',
    description: 'last-write-wins stamps with equal timestamps compare equal, so leaders keep different values',
    file: 'chapter04-replication/lww-register.ts',
    find: 'return compareReplicaIds(a.replica, b.replica);',
    replace: 'return 0;',
  },
  {
    name: 'dot-ignores-stored-siblings',
    description: 'a new write takes its dot from the client context only, reusing a dot already stored',
    file: 'chapter04-replication/siblings.ts',
    find: 'const seen = mergeVersions(readContext(siblings), context);',
    replace: 'const seen = context;',
  },
  {
    name: 'merkle-diff-descends-everywhere',
    description: 'the Merkle diff descends into subtrees whose hashes already agree',
    file: 'chapter04-replication/merkle-tree.ts',
    find: 'frontier = differing.flatMap((i) => [2 * i, 2 * i + 1]);',
    replace: 'frontier = frontier.flatMap((i) => [2 * i, 2 * i + 1]);',
  },
  {
    name: 'quorum-read-returns-first-reply',
    description: 'a quorum read answers with the first reply (the coordinator\'s own copy) instead of merging r replies',
    file: 'chapter04-replication/leaderless-replica.ts',
    find: 'const merged = mergeReplies(pending.replies);',
    replace: 'const merged = decodeSiblings(pending.replies.values().next().value!);',
  },
  {
    name: 'follower-applies-out-of-order',
    description: 'a follower that sees a gap applies the entry anyway, at the end of its log, instead of waiting for the missing ones',
    file: 'chapter04-replication/leader-follower-replica.ts',
    find: 'if (entry.offset > this.log.lastOffset + 1) break; // a gap: wait for the missing entries',
    replace: 'if (entry.offset > this.log.lastOffset + 1) { this.append({ ...entry, offset: this.log.lastOffset + 1 }); continue; }',
  },
  {
    name: 'failover-to-arbitrary-follower',
    description: 'the controller promotes the first follower that answers, not the one with the longest log',
    file: 'chapter04-replication/failover-controller.ts',
    find: 'if (newer > 0 || (newer === 0 && replica < best.replica)) best = { replica, position };',
    replace: 'void newer; // the first replica that answered stays',
  },
  {
    name: 'leader-acks-before-sync',
    description: 'the leader answers the client before its entry is synced, so a crash loses a write it acknowledged',
    file: 'chapter04-replication/leader-follower-replica.ts',
    find: 'this.persist(); // durable before the client can hear of it',
    replace: '',
  },
  {
    name: 'follower-acks-before-sync',
    description: 'a follower confirms entries it has applied but not synced, so a crash loses writes the leader counted as replicated',
    file: 'chapter04-replication/leader-follower-replica.ts',
    find: 'this.persist(); // what we acknowledge must survive our crash',
    replace: '',
  },
  {
    name: 'log-applies-data-outside-its-batch',
    description: 'the log writes an entry\'s effect on the data in a batch of its own, so a crash between the two leaves data the log does not explain',
    file: 'chapter04-replication/replication-log.ts',
    find: "const ops: BatchOp[] = [{ type: 'put', key: this.entryKey(entry.offset), value: encodeEntry(entry) }, ...alsoApply];",
    replace: "this.kv.batch(alsoApply);\n    const ops: BatchOp[] = [{ type: 'put', key: this.entryKey(entry.offset), value: encodeEntry(entry) }];",
  },
  {
    name: 'entry-forgets-overwritten-value',
    description: 'the leader logs no previous value, so undoing an entry that overwrote a key deletes the key instead of restoring its old value',
    file: 'chapter04-replication/leader-follower-replica.ts',
    find: 'const previous = this.data.get(key) ?? null;',
    replace: 'const previous = null;',
  },
  {
    name: 'follower-obeys-older-epoch',
    description: 'a follower applies appends from a leader of an older epoch, so a deposed leader keeps replicating and its follower goes back in epochs',
    file: 'chapter04-replication/leader-follower-replica.ts',
    find: 'if (epoch < this.epoch) {',
    replace: 'if (epoch < 0) {',
  },
  {
    name: 'deposed-leader-keeps-leading',
    description: 'a leader told of a newer epoch by a follower ignores it and keeps taking writes',
    file: 'chapter04-replication/leader-follower-replica.ts',
    find: 'if (epoch > this.epoch) return this.stepDown(); // a follower knows a newer epoch: we were deposed',
    replace: 'if (epoch > this.epoch) return;',
  },
  {
    name: 'failover-promotes-longest-log',
    description: 'the controller promotes the longest log whatever the epoch of its last entry, so a deposed leader\'s tail beats the writes of a newer epoch',
    file: 'chapter04-replication/failover-controller.ts',
    find: 'const newer = position.epoch - best.position.epoch || position.offset - best.position.offset;',
    replace: 'const newer = position.offset - best.position.offset;',
  },
  {
    name: 'follower-keeps-newer-epoch-entries',
    description: 'a diverging follower trusts the leader\'s end offset alone and keeps its own entries of an epoch the leader never had',
    file: 'chapter04-replication/leader-follower-replica.ts',
    find: 'const keep = Math.min(endOffset, this.log.endOffsetOf(leaderEpoch));',
    replace: 'const keep = Math.min(endOffset, this.log.lastOffset);',
  },
  {
    name: 'snapshot-keeps-old-data',
    description: 'a follower installs a snapshot over its data without clearing it, so keys deleted since survive',
    file: 'chapter04-replication/leader-follower-replica.ts',
    find: 'const ops: BatchOp[] = [...this.clearData(), ...entries.map(',
    replace: 'const ops: BatchOp[] = [...entries.map(',
  },
  {
    name: 'stale-snapshot-installed',
    description: 'a follower installs any snapshot, even one older than its log, and goes back in time',
    file: 'chapter04-replication/leader-follower-replica.ts',
    find: 'if (offset > this.log.lastOffset || this.diverging) {',
    replace: 'if (offset >= 0) {',
  },
  {
    name: 'session-lowers-group-offset',
    description: 'a session overwrites a group\'s offset with the latest one it saw, lowering it after an older write or dependency',
    file: 'chapter04-replication/session-guarantees.ts',
    find: 'if (offset > (this.seen.get(group) ?? 0)) this.seen.set(group, offset);',
    replace: 'this.seen.set(group, offset);',
  },
  {
    name: 'session-drops-read-dependencies',
    description: 'a session ignores the dependencies of the values it reads, so it can see an answer without its question',
    file: 'chapter04-replication/session-guarantees.ts',
    find: 'for (const [other, at] of Object.entries(deps)) this.raise(other, at);',
    replace: '',
  },
  {
    name: 'restart-forgets-divergence',
    description: 'a replica that restarts in a new epoch assumes its divergence was resolved before the crash and applies the new leader\'s entries over its old tail',
    file: 'chapter04-replication/leader-follower-replica.ts',
    find: 'this.diverging = this.leader !== null && this.log.lastOffset > 0;',
    replace: 'this.diverging = false;',
  },
  {
    name: 'leader-ignores-write-ids',
    description: 'the leader appends every attempt of a deduplicated write, so a retry takes effect twice',
    file: 'chapter04-replication/leader-follower-replica.ts',
    find: 'let offset = writeId === undefined ? undefined : this.appendedAt(writeId); // a retry of a write we hold',
    replace: 'let offset: number | undefined = undefined;',
  },
];
