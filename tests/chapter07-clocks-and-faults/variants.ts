/**
 * Correct versions of chapter 07's solutions that differ from the reference in ways a learner's
 * code often does. `npm run check:mutants -- chapter07` applies each one to a copy of `solutions/`
 * and requires every test to pass: a test that fails on one of them asks for more than the notes
 * promise.
 *
 * Spoiler: each `find` is a piece of the reference solution.
 */

import type { Variant } from '../../shared/testing/mutant.js';

const BACKOFF = 'chapter07-clocks-and-faults/backoff.ts';
const SERVER = 'chapter07-clocks-and-faults/dedup-server.ts';
const VECTOR = 'chapter07-clocks-and-faults/vector-clock.ts';

export const variants: readonly Variant[] = [
  {
    name: 'backoff-in-whole-milliseconds',
    description: 'the wait is rounded down to whole milliseconds: still uniform over [0, ceiling), at a coarser grain',
    edits: [{ file: BACKOFF, find: '  return random.float() * ceiling;', replace: '  return Math.floor(random.float() * ceiling);' }],
  },
  {
    name: 'vector-receive-increments-first',
    description: 'a receive increments its own entry before merging: the own entry of a message is never above the local one, so the result is the same',
    edits: [
      {
        file: VECTOR,
        find: "  receive(remote: VectorTimestamp): VectorTimestamp {\n    for (const [node, count] of Object.entries(remote)) {\n      if (count > (this.counts[node] ?? 0)) this.counts[node] = count;\n    }\n    this.counts[this.node] = (this.counts[this.node] ?? 0) + 1;",
        replace: "  receive(remote: VectorTimestamp): VectorTimestamp {\n    this.counts[this.node] = (this.counts[this.node] ?? 0) + 1;\n    for (const [node, count] of Object.entries(remote)) {\n      if (count > (this.counts[node] ?? 0)) this.counts[node] = count;\n    }",
      },
    ],
  },
  {
    name: 'dedup-answers-late-copies',
    description: 'a late copy of a finished request whose entry this very message prunes is answered instead of ignored: the client drops a reply to a request it has finished',
    edits: [
      {
        file: SERVER,
        find: '      if (stored !== undefined && msg.seq > floor) this.reply(from, msg.client, msg.seq, stored);',
        replace: '      if (stored !== undefined) this.reply(from, msg.client, msg.seq, stored);',
      },
    ],
  },
];
