import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { Simulation, type NodeContext, type NodeId, type SimNode } from '../../shared/sim/index.js';
import { because } from '../../shared/testing/explain.js';
import { Recorder, type TestMessage } from './support/nodes.js';

const MEMBERSHIP = 'Membership and roles';

/** Records what it receives and when it started; writes every ping's number to its disk, unsynced. */
class Member extends Recorder {
  startedAt = -1;
  timerFired = false;
  onStart(): void {
    this.startedAt = this.ctx.now();
    this.ctx.setTimer('later', 100);
  }
  override onMessage(from: NodeId, msg: TestMessage): void {
    super.onMessage(from, msg);
    const file = this.ctx.disk.open('last', 'create');
    file.write(0, utf8(String(msg.n)));
  }
  onTimer(): void {
    this.timerFired = true;
  }
}

function cluster(nodes: ConstructorParameters<typeof Simulation<TestMessage, Member>>[0]['nodes']): Simulation<TestMessage, Member> {
  return new Simulation<TestMessage, Member>({
    seed: 1,
    nodes,
    factory: (ctx) => new Member(ctx),
    network: { latency: { kind: 'fixed', ms: 5 } },
  });
}

describe('Membership and roles', () => {
  it('a node knows its group apart from everyone it may talk to: clients and controllers are nobody\'s peers', () => {
    const sim = cluster(['n1', 'n2', 'n3', { id: 'client', group: null }, { id: 'other', group: 'backup' }]);
    const ctx = (id: NodeId): NodeContext<TestMessage> => sim.node(id).ctx;
    expect(ctx('n1').peers, because('peers are the other members of the group', MEMBERSHIP)).toEqual(['n2', 'n3']);
    expect(ctx('n1').group).toEqual(['n1', 'n2', 'n3']);
    expect(ctx('n1').nodes, because('a node may talk to every node', MEMBERSHIP)).toEqual(['n1', 'n2', 'n3', 'client', 'other']);
    expect(ctx('client').peers, because('a client is in no group', MEMBERSHIP)).toEqual([]);
    expect(ctx('client').group).toEqual([]);
    expect(ctx('client').nodes).toHaveLength(5);
    expect(ctx('other').group).toEqual(['other']);
    expect(sim.groupOf('client')).toBe(null);
    expect(sim.groupOf('n2')).toBe('main');
  });

  it('a node added during the run gets links, a disk and a place in its group, and the members see it', () => {
    const sim = cluster(['n1', 'n2']);
    const n1 = sim.node('n1');
    expect(n1.ctx.peers).toEqual(['n2']);
    sim.runFor(20);
    sim.addNode('n3');
    expect(sim.node('n3').startedAt, because('an added node starts when it is added', MEMBERSHIP)).toBe(20);
    expect(n1.ctx.peers, because("the members' contexts list the new node at once", MEMBERSHIP)).toEqual(['n2', 'n3']);
    n1.ctx.send('n3', { type: 'ping', n: 1 });
    sim.runFor(10);
    expect(sim.node('n3').received).toEqual([{ from: 'n1', n: 1, at: 25 }]);
    expect(sim.disk('n3')).not.toBe(sim.disk('n1'));
    expect(() => sim.addNode('n2'), because('ids are unique', MEMBERSHIP)).toThrow(UsageError);
    expect(sim.trace.diagram()).toMatch(/ADD[\s\S]*n3 joins group main/);
  });

  it('a node declared with start: false is down until started: messages to it are dropped, then it runs from its start', () => {
    const sim = cluster(['n1', { id: 'late', start: false }]);
    expect(sim.statusOf('late')).toBe('not-started');
    expect(() => sim.node('late'), because('a node that never ran has no instance', MEMBERSHIP)).toThrow(UsageError);
    expect(() => sim.restart('late'), because('restart is for a node that ran before', MEMBERSHIP)).toThrow(UsageError);
    sim.node('n1').ctx.send('late', { type: 'ping', n: 1 });
    sim.runFor(30);
    sim.start('late');
    expect(() => sim.start('late')).toThrow(UsageError);
    sim.node('n1').ctx.send('late', { type: 'ping', n: 2 });
    sim.runFor(10);
    expect(sim.node('late').startedAt).toBe(30);
    expect(sim.node('late').received.map((r) => r.n), because('only what arrives after its start reaches it', MEMBERSHIP)).toEqual([2]);
    expect(sim.trace.ofKind('drop').map((d) => d.reason)).toEqual(['down']);
    const diagram = sim.trace.diagram();
    expect(diagram, because('before its start the column is blank, not a lifeline', MEMBERSHIP)).toMatch(/#1 → late\s+ping/);
    expect(diagram).toMatch(/START/);
  });

  it('a stopped node loses its memory and timers but not its unsynced writes, its messages in flight arrive, and it restarts', () => {
    const sim = cluster(['n1', 'n2']);
    sim.node('n1').ctx.send('n2', { type: 'ping', n: 7 });
    sim.runFor(6); // n2 wrote "7", unsynced
    sim.node('n2').ctx.send('n1', { type: 'pong', n: 8 });
    const before = sim.node('n2');
    sim.stop('n2');
    expect(sim.statusOf('n2')).toBe('stopped');
    sim.runFor(200);
    expect(before.timerFired, because('a stopped node has no timers', MEMBERSHIP)).toBe(false);
    expect(sim.node('n1').received.map((r) => r.n), because('a stop, like a crash, leaves sent messages on the wire', MEMBERSHIP)).toEqual([8]);
    sim.restart('n2');
    const file = sim.node('n2').ctx.disk.open('last', 'read');
    expect(fromUtf8(file.read(0, 8)), because('a clean stop keeps what the node wrote, synced or not', MEMBERSHIP)).toBe('7');
    expect(sim.node('n2').ctx.incarnation).toBe(1);
    expect(sim.stats.crashes).toBe(0);
  });

  it('a removed node leaves its group and every list of nodes, never returns, and messages to it are dropped', () => {
    const sim = cluster(['n1', 'n2', 'n3']);
    const n1 = sim.node('n1');
    sim.removeNode('n3');
    expect(n1.ctx.peers, because('a removed node is no longer a peer', MEMBERSHIP)).toEqual(['n2']);
    expect(n1.ctx.nodes).toEqual(['n1', 'n2']);
    expect(sim.statusOf('n3')).toBe('removed');
    expect(() => sim.restart('n3')).toThrow(UsageError);
    expect(() => sim.addNode('n3'), because('ids are never reused', MEMBERSHIP)).toThrow(UsageError);
    n1.ctx.send('n3', { type: 'ping', n: 1 });
    sim.runUntilQuiet();
    expect(sim.trace.ofKind('drop').map((d) => d.reason)).toEqual(['down']);
    expect(sim.ids, because('the id stays for the record', MEMBERSHIP)).toEqual(['n1', 'n2', 'n3']);
  });

  it('members added, started and removed during a run replicate with the right group', () => {
    /** Forwards every ping it gets once to each of its peers. */
    class Forwarder implements SimNode<TestMessage> {
      readonly got: number[] = [];
      constructor(readonly ctx: NodeContext<TestMessage>) {}
      onMessage(_from: NodeId, msg: TestMessage): void {
        this.got.push(msg.n);
        if (msg.type === 'ping') for (const peer of this.ctx.peers) this.ctx.send(peer, { type: 'pong', n: msg.n });
      }
    }
    const sim = new Simulation<TestMessage, Forwarder>({
      seed: 3,
      nodes: ['a', 'b', { id: 'client', group: null }],
      factory: (ctx) => new Forwarder(ctx),
    });
    sim.addNode({ id: 'c', start: false });
    sim.after(10, () => sim.start('c'));
    sim.after(20, () => sim.node('client').ctx.send('a', { type: 'ping', n: 1 }));
    sim.after(50, () => sim.removeNode('b'));
    sim.after(60, () => sim.node('client').ctx.send('a', { type: 'ping', n: 2 }));
    sim.runUntilQuiet();
    expect(sim.node('c').got, because('c joined before the first ping and got both', MEMBERSHIP)).toEqual([1, 2]);
    expect(sim.node('client').got, because('a client is not a peer: nothing is forwarded to it', MEMBERSHIP)).toEqual([]);
    expect(sim.trace.ofKind('deliver').filter((d) => d.to === 'b').map((d) => d.from)).toEqual(['a']);
  });
});
