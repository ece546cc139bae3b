/**
 * Known-buggy versions of the chapter's solutions. `npm run check:mutants -- chapter07` proves the
 * tests catch each one.
 *
 * Spoiler: each `find` is a line of the reference solution. Finish the chapter's exercises
 * before reading this file.
 */

import type { Mutant } from '../../shared/testing/mutant.js';

const BACKOFF = 'chapter07-clocks-and-faults/backoff.ts';
const SERVER = 'chapter07-clocks-and-faults/dedup-server.ts';
const VECTOR = 'chapter07-clocks-and-faults/vector-clock.ts';
const HLC = 'chapter07-clocks-and-faults/hybrid-clock.ts';
const LAMPORT = 'chapter07-clocks-and-faults/lamport-clock.ts';
const STAMPS = 'chapter07-clocks-and-faults/lww-stamps.ts';
const LWW = 'chapter07-clocks-and-faults/lww-store.ts';

export const mutants: Mutant[] = [
  {
    name: 'backoff-without-jitter',
    description: 'every client waits exactly the ceiling, so clients that failed together retry together: a synchronized retry storm',
    file: BACKOFF,
    find: '  return random.float() * ceiling;',
    replace: '  return ceiling;',
  },
  {
    name: 'backoff-without-cap',
    description: 'the ceiling doubles for ever, so a long outage makes clients wait hours',
    file: BACKOFF,
    find: '  return Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1));',
    replace: '  return policy.baseMs * 2 ** (retry - 1);',
  },
  {
    name: 'dedup-keyed-by-attempt',
    description: 'the dedup table is keyed by the attempt as well as the request, so every retry looks new and is applied again',
    file: SERVER,
    find: '    const key = entryKey(msg.client, msg.seq);',
    replace: '    const key = entryKey(msg.client, msg.seq * 1000 + msg.attempt);',
  },
  {
    name: 'dedup-table-in-memory-only',
    description: 'the dedup table and counter are written but never synced, so a crash forgets which requests were applied and a retry applies one again',
    file: SERVER,
    find: '    this.kv.batch(ops);\n    this.kv.sync();',
    replace: '    this.kv.batch(ops);',
  },
  {
    name: 'dedup-table-never-pruned',
    description: 'entries are never deleted when the client acknowledges them: the table grows with every request ever made',
    file: SERVER,
    find: '        if (seq <= floor) ops.push({ type: \'delete\', key: entry.key });',
    replace: '        if (seq < 0) ops.push({ type: \'delete\', key: entry.key });',
  },
  {
    name: 'vector-receive-forgets-own-increment',
    description: 'a receive takes the entry-wise maximum but does not count itself as an event, so it can look equal to the send it received',
    file: VECTOR,
    find: "    }\n    this.counts[this.node] = (this.counts[this.node] ?? 0) + 1;\n    return this.now();\n  }\n}",
    replace: '    }\n    return this.now();\n  }\n}',
  },
  {
    name: 'vector-compare-ignores-missing-entries',
    description: 'comparison looks only at the nodes of the first vector, so an entry only the second has is never noticed',
    file: VECTOR,
    find: '  for (const node of new Set([...Object.keys(a), ...Object.keys(b)])) {',
    replace: '  for (const node of Object.keys(a)) {',
  },
  {
    name: 'lamport-receive-without-increment',
    description: 'a receive takes the larger counter but does not add one, so the receive can tie with the send',
    file: LAMPORT,
    find: '    this.time = Math.max(this.time, remote.time) + 1;',
    replace: '    this.time = Math.max(this.time, remote.time);',
  },
  {
    name: 'hlc-resets-counter-when-wall-goes-back',
    description: 'when the wall clock steps back the counter restarts at 0, so the next timestamp is earlier than the last one',
    file: HLC,
    find: '    else this.last = { wallMs: this.last.wallMs, logical: this.last.logical + 1 };',
    replace: '    else this.last = { wallMs: this.last.wallMs, logical: pt < this.last.wallMs ? 0 : this.last.logical + 1 };',
  },
  {
    name: 'hlc-follows-the-wall-clock-back',
    description: 'a local event takes the physical time whenever it differs, so a step back moves timestamps back',
    file: HLC,
    find: '    if (pt > this.last.wallMs) this.last = { wallMs: pt, logical: 0 };',
    replace: '    if (pt !== this.last.wallMs) this.last = { wallMs: pt, logical: 0 };',
  },
  {
    name: 'hlc-without-offset-check',
    description: 'remote timestamps are accepted however far ahead they are, so one broken clock drags every node into the future',
    file: HLC,
    find: '    if (remote.wallMs - pt > this.maxOffsetMs) throw new ClockOffsetError(remote.wallMs, pt, this.maxOffsetMs);',
    replace: '',
  },
  {
    name: 'stamps-ignore-the-minor-part',
    description: 'stamps compare by major part and writer only, so two HLC stamps with one physical part order by writer instead of by counter',
    file: STAMPS,
    find: '  if (a.minor !== b.minor) return a.minor - b.minor;\n',
    replace: '',
  },
  {
    name: 'hlc-stamper-observes-nothing',
    description: 'the hybrid stamper never feeds the stamps it hears of into its clock, so it is a wall clock again and loses writes under skew',
    file: STAMPS,
    find: '    this.clock.update({ wallMs: stamp.major, logical: stamp.minor });',
    replace: '',
  },
  {
    name: 'lamport-stamper-observes-nothing',
    description: 'the Lamport stamper ignores the stamps it hears of, so each writer counts on its own and an earlier writer with more writes wins',
    file: STAMPS,
    find: '    this.clock.receive({ time: stamp.major, node: stamp.node });',
    replace: '',
  },
  {
    name: 'lww-first-write-wins',
    description: 'the store keeps a put only when its stamp is smaller, so the first write of a key wins for ever',
    file: LWW,
    find: '      if (current === undefined || compareStamps(msg.stamp, current.stamp) > 0) {',
    replace: '      if (current === undefined || compareStamps(msg.stamp, current.stamp) < 0) {',
  },
];
