/**
 * A last-write-wins store `s` and writers `w1`, `w2` that read a key and then write it, stamping
 * the write with the stamper under test. Every acknowledged write is recorded with the true time
 * of its acknowledgement, so a test can ask which acknowledged write the store kept.
 */
import { Simulation, type ClockOptions, type NodeContext, type NodeId, type SimNode } from '../../../shared/sim/index.js';
import type { LwwMessage, Stamp } from '@impl/chapter07-clocks-and-faults/lww-messages.js';
import { HybridStamper, LamportStamper, WallClockStamper, type Stamper } from '@impl/chapter07-clocks-and-faults/lww-stamps.js';
import { LwwStore } from '@impl/chapter07-clocks-and-faults/lww-store.js';

export const STORE = 's';
export type StamperKind = 'wall' | 'lamport' | 'hlc';

/** One acknowledged write. */
export interface AckedWrite {
  readonly writer: NodeId;
  readonly key: string;
  readonly value: string;
  readonly stamp: Stamp;
  /** True time of the acknowledgement (ms). */
  readonly ackedAtMs: number;
}

function makeStamper(kind: StamperKind, ctx: NodeContext<LwwMessage>): Stamper {
  switch (kind) {
    case 'wall':
      return new WallClockStamper(ctx.id, () => ctx.now());
    case 'lamport':
      return new LamportStamper(ctx.id);
    case 'hlc':
      return new HybridStamper(ctx.id, () => ctx.now(), 10_000);
  }
}

/** A writer: `write(key, value)` reads the key, observes its stamp, then puts the value. */
export class LwwWriter implements SimNode<LwwMessage> {
  private readonly pending = new Map<string, string>();

  constructor(
    private readonly ctx: NodeContext<LwwMessage>,
    private readonly stamper: Stamper,
    private readonly onAck: (write: Omit<AckedWrite, 'ackedAtMs'>) => void,
  ) {}

  write(key: string, value: string): void {
    this.pending.set(key, value);
    this.ctx.send(STORE, { type: 'get', key });
  }

  onMessage(_from: NodeId, msg: LwwMessage): void {
    if (msg.type === 'value') {
      if (msg.stamp !== null) this.stamper.observe(msg.stamp);
      const value = this.pending.get(msg.key);
      if (value === undefined) return;
      this.ctx.send(STORE, { type: 'put', key: msg.key, value, stamp: this.stamper.stamp() });
    } else if (msg.type === 'ok') {
      this.stamper.observe(msg.stored);
      const value = this.pending.get(msg.key);
      if (value === undefined) return;
      this.pending.delete(msg.key);
      this.onAck({ writer: this.ctx.id, key: msg.key, value, stamp: msg.stamp });
    }
  }
}

export class LwwCluster {
  readonly sim: Simulation<LwwMessage, LwwStore | LwwWriter>;
  readonly acked: AckedWrite[] = [];

  constructor(seed: number, kind: StamperKind, clocks: Readonly<Record<NodeId, ClockOptions>> = {}) {
    const writers = ['w1', 'w2'];
    this.sim = new Simulation<LwwMessage, LwwStore | LwwWriter>({
      seed,
      nodes: [STORE, ...writers.map((id) => ({ id, group: null, ...(clocks[id] && { clock: clocks[id] }) }))],
      // Fixed latency: the link is FIFO and every round trip takes 10 ms.
      network: { latency: { kind: 'fixed', ms: 5 } },
      trace: false,
      factory: (ctx) =>
        ctx.id === STORE
          ? new LwwStore(ctx)
          : new LwwWriter(ctx, makeStamper(kind, ctx), (write) => this.acked.push({ ...write, ackedAtMs: this.sim.now })),
    });
  }

  writer(id: NodeId): LwwWriter {
    return this.sim.node(id) as LwwWriter;
  }

  get store(): LwwStore {
    return this.sim.node(STORE) as LwwStore;
  }

  /**
   * The acknowledged writes of `key` that the store lost: every one acknowledged after the write
   * the store kept (each of the test's writes starts after the one before was acknowledged).
   */
  lostWrites(key: string): AckedWrite[] {
    const writes = this.acked.filter((w) => w.key === key).sort((a, b) => a.ackedAtMs - b.ackedAtMs);
    const kept = writes.findIndex((w) => w.value === this.store.value(key));
    return writes.slice(kept + 1);
  }
}
