/**
 * What happened in a simulation: a structured event log, counters, a text space-time diagram
 * and a JSON export.
 *
 * The trace is the simulator's memory for people. Two runs from the same seed produce identical
 * traces (compare their JSON); a failing test prints the last part of the diagram to show what
 * led up to the failure. Recording every event costs memory, so a long benchmark may turn it off
 * (`trace: false` in the simulation options); the counters are always kept.
 * @module
 */

import type { NodeId } from './node.js';

/** Why a message was not delivered. */
export type DropReason =
  /** Lost by the network at random (`lossRate`). */
  | 'loss'
  /** The link was blocked by a partition, when sent or when it would have arrived. */
  | 'partition'
  /** The receiver crashed (or restarted) while the message was in flight, or the sender crashed with `dropInFlight`. */
  | 'crash'
  /** The receiver was stopped, removed or not started yet. */
  | 'down';

/** One recorded event. `time` is virtual milliseconds; `id` numbers messages from 1. */
export type TraceEvent =
  | {
      readonly kind: 'send';
      readonly time: number;
      readonly from: NodeId;
      readonly to: NodeId;
      readonly id: number;
      readonly message: unknown;
    }
  | {
      readonly kind: 'deliver';
      readonly time: number;
      readonly from: NodeId;
      readonly to: NodeId;
      readonly id: number;
      readonly message: unknown;
    }
  | {
      readonly kind: 'drop';
      readonly time: number;
      readonly from: NodeId;
      readonly to: NodeId;
      readonly id: number;
      readonly reason: DropReason;
      readonly message: unknown;
    }
  | { readonly kind: 'duplicate'; readonly time: number; readonly from: NodeId; readonly to: NodeId; readonly id: number }
  | { readonly kind: 'timer'; readonly time: number; readonly node: NodeId; readonly name: string; readonly timer: number }
  | {
      readonly kind: 'crash';
      readonly time: number;
      readonly node: NodeId;
      /** Where it crashed, when its disk crashed it (`during append log`); otherwise empty. */
      readonly detail: string;
      /** Whether the messages it had sent and were still in flight were dropped. */
      readonly dropInFlight: boolean;
    }
  | { readonly kind: 'restart'; readonly time: number; readonly node: NodeId; readonly incarnation: number }
  | { readonly kind: 'add'; readonly time: number; readonly node: NodeId; readonly group: string | null }
  | { readonly kind: 'start'; readonly time: number; readonly node: NodeId }
  | { readonly kind: 'stop'; readonly time: number; readonly node: NodeId }
  | { readonly kind: 'remove'; readonly time: number; readonly node: NodeId }
  | { readonly kind: 'pause'; readonly time: number; readonly node: NodeId; readonly untilMs: number }
  | { readonly kind: 'resume'; readonly time: number; readonly node: NodeId; readonly held: number }
  | {
      readonly kind: 'clock';
      readonly time: number;
      readonly node: NodeId;
      readonly change: string;
      /** What the node's wall clock reads after the change. */
      readonly wallMs: number;
      readonly monotonicMs: number;
    }
  | { readonly kind: 'partition'; readonly time: number; readonly change: string }
  | { readonly kind: 'note'; readonly time: number; readonly node: NodeId | undefined; readonly text: string };

/** Totals over a whole run, kept whether or not events are recorded. */
export interface Counters {
  /** Events the simulator processed (deliveries, timers, ticks, scheduled actions). */
  events: number;
  /** Messages nodes sent. */
  messagesSent: number;
  /** Message copies handed to a node. */
  messagesDelivered: number;
  /** Messages dropped, for any {@link DropReason}. */
  messagesDropped: number;
  /** Messages the network delivered twice. */
  messagesDuplicated: number;
  /** Estimated bytes of the messages sent. */
  bytesSent: number;
  /** Timers that fired. */
  timersFired: number;
  /** Node crashes. */
  crashes: number;
  /** Node restarts. */
  restarts: number;
  /** `sync` and `syncDir` calls on the nodes' disks. */
  fsyncs: number;
  /** Bytes written to the nodes' disks (`write` and `append`). */
  diskBytesWritten: number;
}

/** Options for {@link Trace.diagram}. */
export interface DiagramOptions {
  /** Show only the last `last` events. */
  readonly last?: number;
  /** Show only events at or after this time. */
  readonly fromTime?: number;
  /** Show only events at or before this time. */
  readonly toTime?: number;
  /** Width of each node's column, in characters (default 18). */
  readonly columnWidth?: number;
}

/** The log and counters of one simulation run. */
export class Trace {
  /** Recorded events in the order they happened. Empty when recording is off. */
  readonly events: TraceEvent[] = [];
  /** Totals over the run. */
  readonly counters: Counters = {
    events: 0,
    messagesSent: 0,
    messagesDelivered: 0,
    messagesDropped: 0,
    messagesDuplicated: 0,
    bytesSent: 0,
    timersFired: 0,
    crashes: 0,
    restarts: 0,
    fsyncs: 0,
    diskBytesWritten: 0,
  };
  /** Whether events are recorded (counters always are). */
  readonly recording: boolean;
  private readonly nodes: NodeId[];
  private readonly describe: (message: unknown) => string;

  /**
   * @param nodes - the node ids, in column order for the diagram.
   * @param recording - whether to keep events.
   * @param describe - renders a message in one short line for the diagram.
   */
  constructor(nodes: readonly NodeId[], recording: boolean, describe: (message: unknown) => string = describeMessage) {
    this.nodes = [...nodes];
    this.recording = recording;
    this.describe = describe;
  }

  /** Adds a column for a node that joined the simulation. */
  addNode(id: NodeId): void {
    this.nodes.push(id);
  }

  /** Appends an event (ignored when recording is off). */
  record(event: TraceEvent): void {
    if (this.recording) this.events.push(event);
  }

  /** Events of one kind, typed. */
  ofKind<K extends TraceEvent['kind']>(kind: K): Array<Extract<TraceEvent, { kind: K }>> {
    return this.events.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
  }

  /**
   * The trace as JSON: `{ nodes, counters, events }`. Byte arrays become `{ "hex": "…" }` and
   * bigints strings, so any message type exports. Identical runs give identical strings.
   */
  toJSON(): string {
    return JSON.stringify({ nodes: this.nodes, counters: this.counters, events: this.events }, jsonReplacer);
  }

  /**
   * A text space-time diagram: one column per node (time flows down), one row per event, the
   * message or detail at the end of the row. `│` marks a node that is up, `┊` one that is
   * paused, `·` one that is crashed or stopped, a blank one that has not started yet or was
   * removed. Times are the simulation's true time, whatever the nodes' clocks read.
   *
   * ```text
   *   time ms  n1                n2                detail
   *     0.000  #1 → n2           │                 put x=1
   *     4.113  │                 #1 ← n1           put x=1
   * ```
   */
  diagram(options: DiagramOptions = {}): string {
    const width = options.columnWidth ?? 18;
    const column = new Map<NodeId, number>();
    this.nodes.forEach((id, i) => column.set(id, i));
    // Each column's mark: a node whose life in the trace begins with 'add' or 'start' starts blank.
    const mark = this.nodes.map(() => '│');
    const seen = new Set<NodeId>();
    for (const e of this.events) {
      if (!isLifecycle(e) || seen.has(e.node)) continue;
      seen.add(e.node);
      if (e.kind === 'add' || e.kind === 'start') mark[column.get(e.node) ?? 0] = ' ';
    }
    const setMark = (node: NodeId, m: string) => {
      const at = column.get(node);
      if (at !== undefined) mark[at] = m;
    };
    const header = ['  time ms'.padStart(10), ...this.nodes.map((id) => fit(id, width)), 'detail'].join('  ');
    const rows: string[] = [];
    for (const e of this.events) {
      const cells = mark.map((m) => fit(m, width));
      let detail = '';
      const put = (node: NodeId, text: string) => {
        const at = column.get(node);
        if (at !== undefined) cells[at] = fit(text, width);
      };
      switch (e.kind) {
        case 'send':
          put(e.from, `#${e.id} → ${e.to}`);
          detail = this.describe(e.message);
          break;
        case 'deliver':
          put(e.to, `#${e.id} ← ${e.from}`);
          detail = this.describe(e.message);
          break;
        case 'drop':
          put(e.reason === 'crash' ? e.to : e.from, `#${e.id} ✗ ${e.from}→${e.to}`);
          detail = `dropped (${e.reason}): ${this.describe(e.message)}`;
          break;
        case 'duplicate':
          put(e.from, `#${e.id} ×2 → ${e.to}`);
          detail = 'duplicated by the network';
          break;
        case 'timer':
          put(e.node, `timer ${e.name}`);
          break;
        case 'crash':
          put(e.node, 'CRASH');
          detail = [e.detail, e.dropInFlight ? 'its messages in flight are dropped' : ''].filter((t) => t !== '').join('; ');
          setMark(e.node, '·');
          break;
        case 'restart':
          put(e.node, `RESTART (${e.incarnation})`);
          setMark(e.node, '│');
          break;
        case 'add':
          put(e.node, 'ADD');
          detail = e.group === null ? `${e.node} joins, in no group` : `${e.node} joins group ${e.group}`;
          break;
        case 'start':
          put(e.node, 'START');
          setMark(e.node, '│');
          break;
        case 'stop':
          put(e.node, 'STOP');
          setMark(e.node, '·');
          break;
        case 'remove':
          put(e.node, 'REMOVE');
          setMark(e.node, ' ');
          break;
        case 'pause':
          put(e.node, 'PAUSE');
          setMark(e.node, '┊');
          detail = `${e.node} paused until ${e.untilMs.toFixed(3)} ms`;
          break;
        case 'resume':
          put(e.node, 'RESUME');
          setMark(e.node, '│');
          detail = `${e.node} resumes, ${e.held} event(s) waited`;
          break;
        case 'clock':
          put(e.node, 'CLOCK');
          detail = `${e.node} clock ${e.change}: wall ${e.wallMs.toFixed(3)} ms, monotonic ${e.monotonicMs.toFixed(3)} ms`;
          break;
        case 'partition':
          detail = `network: ${e.change}`;
          break;
        case 'note':
          if (e.node !== undefined) put(e.node, 'note');
          detail = e.text;
          break;
      }
      if (options.fromTime !== undefined && e.time < options.fromTime) continue;
      if (options.toTime !== undefined && e.time > options.toTime) continue;
      rows.push([e.time.toFixed(3).padStart(10), ...cells, detail].join('  ').trimEnd());
    }
    const shown = options.last !== undefined && rows.length > options.last ? rows.slice(rows.length - options.last) : rows;
    const skipped = rows.length - shown.length;
    return [header, ...(skipped > 0 ? [`  … ${skipped} earlier events`] : []), ...shown].join('\n');
  }
}

type Lifecycle = Extract<TraceEvent, { kind: 'crash' | 'restart' | 'add' | 'start' | 'stop' | 'remove' }>;

function isLifecycle(e: TraceEvent): e is Lifecycle {
  return e.kind === 'crash' || e.kind === 'restart' || e.kind === 'add' || e.kind === 'start' || e.kind === 'stop' || e.kind === 'remove';
}

function fit(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width - 1) + '…' : text.padEnd(width);
}

/**
 * The default one-line rendering of a message: its `type` field if it has one, then the rest as
 * compact JSON, cut at 60 characters.
 */
export function describeMessage(message: unknown): string {
  let text: string;
  if (typeof message === 'object' && message !== null && 'type' in message && typeof message.type === 'string') {
    const { type, ...rest } = message as { type: string } & Record<string, unknown>;
    const body = JSON.stringify(rest, jsonReplacer);
    text = body === '{}' ? type : `${type} ${body}`;
  } else {
    text = JSON.stringify(message, jsonReplacer) ?? String(message);
  }
  return text.length > 60 ? text.slice(0, 59) + '…' : text;
}

/** A `JSON.stringify` replacer that keeps byte arrays, bigints and maps readable. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) {
    let hex = '';
    for (const b of value) hex += b.toString(16).padStart(2, '0');
    return { hex };
  }
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return { map: [...value.entries()] };
  if (value instanceof Set) return { set: [...value] };
  return value;
}
