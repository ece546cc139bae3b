import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import type { FileHandle } from '../../shared/fs/file-system.js';
import { Simulation, type NodeContext, type NodeId, type SimNode } from '../../shared/sim/index.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { Recorder, type TestMessage } from './support/nodes.js';

const CRASHES = 'Crashes';

describe('Crash semantics: what a crash takes with it', () => {
  it('a message already sent arrives even though its sender crashes, unless the crash drops messages in flight', () => {
    for (const dropInFlight of [false, true]) {
      const sim = new Simulation<TestMessage, Recorder>({
        seed: 1,
        nodes: ['a', 'b'],
        factory: (ctx) => new Recorder(ctx),
        network: { latency: { kind: 'fixed', ms: 10 } },
      });
      sim.node('a').ctx.send('b', { type: 'ping', n: 1 });
      sim.runFor(5);
      sim.crash('a', { dropInFlight });
      sim.runUntilQuiet();
      const expected = dropInFlight ? [] : [{ from: 'a', n: 1, at: 10 }];
      expect(sim.node('b').received, because(`with dropInFlight ${dropInFlight}, the message on the wire ${dropInFlight ? 'is dropped' : 'arrives'}`, CRASHES)).toEqual(expected);
    }
  });

  it('a crash inside a handler stops it at that disk call: earlier sends happen, later ones never, and the run goes on', () => {
    class Worker implements SimNode<TestMessage> {
      private log: FileHandle | undefined;
      constructor(readonly ctx: NodeContext<TestMessage>) {}
      onStart(): void {
        if (this.ctx.id === 'w') this.log = this.ctx.disk.open('log', 'create');
      }
      onMessage(from: NodeId, msg: TestMessage): void {
        if (this.ctx.id !== 'w') return;
        this.ctx.send(from, { type: 'pong', n: 1 });
        this.log!.append(utf8(String(msg.n))); // the disk crashes here
        this.ctx.send(from, { type: 'pong', n: 2 });
      }
    }
    const sim = new Simulation<TestMessage, SimNode<TestMessage>>({
      seed: 1,
      nodes: ['client', 'w'],
      factory: (ctx) => (ctx.id === 'w' ? new Worker(ctx) : new Recorder(ctx)),
      network: { latency: { kind: 'fixed', ms: 1 } },
    });
    sim.crashAtDiskCall('w', 1);
    (sim.node('client') as Recorder).ctx.send('w', { type: 'ping', n: 7 });
    expect(() => sim.runUntilQuiet(), because('a crash at a disk call is a fault the simulation injects, not an error of the run', CRASHES)).not.toThrow();
    expect(sim.isUp('w')).toBe(false);
    expect((sim.node('client') as Recorder).received.map((r) => r.n), because('the reply sent before the crashing call arrives; the one after it was never sent', CRASHES)).toEqual([1]);
    expect(sim.trace.ofKind('crash')).toEqual([{ kind: 'crash', time: 1, node: 'w', detail: 'during append log', dropInFlight: false }]);
    expect(sim.stats.messagesSent).toBe(2);
  });

  it('a crash during recovery leaves the node crashed, not the test broken, and it can restart again', () => {
    /** Appends a record to its boot log in its constructor, as recovery code writes on start. */
    class Booter implements SimNode<TestMessage> {
      constructor(readonly ctx: NodeContext<TestMessage>) {
        const log = ctx.disk.open('boots', 'create');
        log.append(utf8('boot;'));
        log.sync();
      }
      onMessage(): void {}
    }
    const sim = new Simulation<TestMessage, Booter>({ seed: 1, nodes: ['b'], factory: (ctx) => new Booter(ctx) });
    sim.crash('b');
    sim.crashAtDiskCall('b', 2); // the file's creation was never made durable: 1 creates it again, 2 appends
    expect(() => sim.restart('b'), because('a crash injected during recovery is a fault, not an error of the test', CRASHES)).not.toThrow();
    expect(sim.statusOf('b')).toBe('crashed');
    expect(sim.trace.ofKind('crash').at(-1)?.detail).toBe('during append boots');
    sim.restart('b');
    expect(sim.node('b').ctx.incarnation).toBe(2);
  });
});

// ---- a vote that must survive a crash ----

type VoteMessage =
  | { readonly type: 'request-vote'; readonly term: number }
  | { readonly type: 'vote'; readonly term: number; readonly granted: boolean };

/** Grants at most one vote per term, remembering it in the file `vote` ("term candidate"). */
class Voter implements SimNode<VoteMessage> {
  private term = 0;
  private votedFor: NodeId | null = null;
  private file: FileHandle | undefined;

  constructor(
    private readonly ctx: NodeContext<VoteMessage>,
    private readonly persistFirst: boolean,
  ) {}

  onStart(): void {
    this.file = this.ctx.disk.open('vote', 'create');
    const saved = fromUtf8(this.file.read(0, this.file.size()));
    if (saved !== '') {
      const [term, candidate] = saved.split(' ');
      this.term = Number(term);
      this.votedFor = candidate!;
    }
  }

  onMessage(from: NodeId, msg: VoteMessage): void {
    if (msg.type !== 'request-vote') return;
    if (msg.term > this.term) [this.term, this.votedFor] = [msg.term, null];
    const granted = msg.term === this.term && (this.votedFor === null || this.votedFor === from);
    if (!granted) {
      this.ctx.send(from, { type: 'vote', term: msg.term, granted: false });
      return;
    }
    this.votedFor = from;
    if (this.persistFirst) this.persist();
    this.ctx.send(from, { type: 'vote', term: msg.term, granted: true });
    if (!this.persistFirst) this.persist(); // the bug: the vote is out before it is durable
  }

  private persist(): void {
    this.file!.truncate(0);
    this.file!.write(0, utf8(`${this.term} ${this.votedFor}`));
    this.file!.sync();
  }
}

/** Asks for a vote in term 1 when told to; counts the votes it was granted. */
class Candidate implements SimNode<VoteMessage> {
  readonly grants: Array<{ voter: NodeId; term: number }> = [];
  constructor(readonly ctx: NodeContext<VoteMessage>) {}
  onMessage(from: NodeId, msg: VoteMessage): void {
    if (msg.type === 'vote' && msg.granted) this.grants.push({ voter: from, term: msg.term });
  }
}

/**
 * Candidate a asks voter v for its vote in term 1; v's disk crashes at its `crashAt`-th call
 * while it handles the request; v restarts; candidate b asks for the same term. Returns who was
 * granted v's vote in term 1.
 */
function election(seed: number, persistFirst: boolean, crashAt: number): NodeId[] {
  const sim = new Simulation<VoteMessage, SimNode<VoteMessage>>({
    seed,
    nodes: ['a', 'b', 'v'],
    factory: (ctx) => (ctx.id === 'v' ? new Voter(ctx, persistFirst) : new Candidate(ctx)),
  });
  const candidate = (id: NodeId) => sim.node(id) as Candidate;
  sim.crashAtDiskCall('v', crashAt);
  candidate('a').ctx.send('v', { type: 'request-vote', term: 1 });
  sim.after(50, () => {
    if (!sim.isUp('v')) sim.restart('v');
  });
  sim.after(60, () => candidate('b').ctx.send('v', { type: 'request-vote', term: 1 }));
  sim.runUntilQuiet();
  return ['a', 'b'].filter((id) => candidate(id).grants.some((g) => g.voter === 'v' && g.term === 1));
}

describe('Crash semantics: a reply must not run ahead of the disk', () => {
  const SECTION = 'Crashes';

  it('a voter that replies before it persists its vote can vote twice in one term, and the check catches it', () => {
    const doubleVotes = [1, 2, 3].filter((crashAt) => election(1, false, crashAt).length > 1);
    expect(doubleVotes.length, because('a crash between the reply and the fsync forgets a vote the candidate already counts', SECTION)).toBeGreaterThan(0);
  });

  it('a voter that persists its vote before replying grants at most one vote per term, whatever disk call the crash hits', () => {
    forEachSeed(5, (seed) => {
      for (let crashAt = 1; crashAt <= 4; crashAt++) {
        const granted = election(seed, true, crashAt);
        expect(granted.length, because(`crash at disk call ${crashAt}: votes in term 1 went to ${granted.join(', ')}; a vote is durable before anyone hears of it`, SECTION)).toBeLessThanOrEqual(1);
      }
    });
  });
});
