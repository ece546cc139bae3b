/**
 * Correct versions of chapter 04's solutions that differ from the reference the way a learner's
 * code often does. `npm run check:mutants -- chapter04` requires each to pass every test: a test
 * that one of them fails expects an accident of the reference, not a property of replication.
 *
 * Spoiler: each `find` is a line of the reference solution. Finish the chapter's exercises
 * before reading this file.
 */
import type { Variant } from '../../shared/testing/mutant.js';

const REPLICA = 'chapter04-replication/leader-follower-replica.ts';

export const variants: Variant[] = [
  {
    name: 'followers-in-reverse-order',
    description: 'the leader visits its followers in the reverse order: every append and every count of acknowledgements goes the other way round',
    edits: [
      {
        file: REPLICA,
        find: 'return this.options.replicas.filter((r) => r !== this.ctx.id);',
        replace: 'return this.options.replicas.filter((r) => r !== this.ctx.id).reverse();',
      },
    ],
  },
  {
    name: 'next-waits-for-the-ack',
    description:
      'the leader does not advance a follower\'s next offset when it sends, only when the follower acknowledges: until then every append resends the unacknowledged entries, which the follower skips as duplicates',
    edits: [
      {
        file: REPLICA,
        find: '    if (entries.length > 0) this.next.set(follower, entries[entries.length - 1]!.offset + 1);\n',
        replace: '',
      },
    ],
  },
  {
    name: 'replicate-on-heartbeat-only',
    description:
      'a write is not streamed at once: the leader batches the writes of a heartbeat interval and sends them with the next heartbeat, so followers (and semi-sync and sync clients) hear of it up to one interval later',
    edits: [
      {
        file: REPLICA,
        find: '      this.acknowledgeWrites();\n    }\n    for (const f of this.followers()) this.sendAppend(f);',
        replace: '      this.acknowledgeWrites();\n    }',
      },
    ],
  },
  {
    name: 'stream-before-reply',
    description: 'the leader sends a new entry to its followers before it answers or queues the client\'s write: another send order, the same acknowledgement rule',
    edits: [
      {
        file: REPLICA,
        find: '      offset = entry.offset;\n    }\n    if (this.options.acks === \'async\') {',
        replace: '      offset = entry.offset;\n    }\n    for (const f of this.followers()) this.sendAppend(f);\n    if (this.options.acks === \'async\') {',
      },
      {
        file: REPLICA,
        find: '      this.acknowledgeWrites();\n    }\n    for (const f of this.followers()) this.sendAppend(f);',
        replace: '      this.acknowledgeWrites();\n    }',
      },
    ],
  },
  {
    name: 'one-entry-per-append',
    description: 'the leader sends one log entry per append message instead of a batch: more messages, the same log',
    edits: [
      {
        file: REPLICA,
        find: 'const entries = this.log.read(next, this.options.batchEntries);',
        replace: 'const entries = this.log.read(next, 1);',
      },
    ],
  },
];
