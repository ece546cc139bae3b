/**
 * Exercise 13: a property graph over an ordered key-value store.
 *
 * Key layout (values are JSON text; "empty" is a zero-length value):
 *
 * | key                              | value                       |
 * |----------------------------------|-----------------------------|
 * | `['vertex', id]`                 | `{ label, properties }`     |
 * | `['label', label, id]`           | empty: the label index      |
 * | `['out', from, edgeLabel, to]`   | the edge's properties       |
 * | `['in', to, edgeLabel, from]`    | the edge's properties again |
 *
 * Outgoing edges of a vertex are one prefix scan (`['out', from]`, or `['out', from, label]`
 * for one label); so are incoming edges. An edge's properties are stored in both entries, so
 * neither direction needs a second read; every write that touches both is one batch.
 * @module
 */

import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { prefixRange, type BatchOp, type OrderedKV } from '../../shared/kv.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import { UnknownVertexError } from './errors.js';
import type { Value } from './values.js';

/** Vertex ids are strings. */
export type VertexId = string;

/** Scalar properties of a vertex or an edge. */
export type Properties = Readonly<Record<string, Value>>;

/** A vertex. */
export interface Vertex {
  readonly id: VertexId;
  readonly label: string;
  readonly properties: Properties;
}

/** A directed, labelled edge. At most one edge exists per (from, label, to). */
export interface Edge {
  readonly from: VertexId;
  readonly label: string;
  readonly to: VertexId;
  readonly properties: Properties;
}

/** Which way to follow edges. */
export type Direction = 'out' | 'in';

const EMPTY = new Uint8Array(0);

function vertexKey(id: VertexId): Uint8Array {
  return encodeKey(['vertex', id]);
}

/** A property graph: labelled vertices, labelled directed edges, properties on both. */
export class PropertyGraph {
  private readonly kv: OrderedKV;

  /** The store is injected, as for `Database`. */
  constructor(kv: OrderedKV) {
    this.kv = kv;
  }

  /**
   * Adds a vertex, or replaces the label and properties of an existing one (its edges stay).
   * The label index always holds exactly one entry per vertex: relabelling removes the old one,
   * in the same batch.
   */
  addVertex(id: VertexId, label: string, properties: Properties = {}): void {
    const ops: BatchOp[] = [];
    const old = this.vertex(id);
    if (old !== undefined && old.label !== label) ops.push({ type: 'delete', key: encodeKey(['label', old.label, id]) });
    ops.push({ type: 'put', key: vertexKey(id), value: utf8(JSON.stringify({ label, properties })) });
    ops.push({ type: 'put', key: encodeKey(['label', label, id]), value: EMPTY });
    this.kv.batch(ops);
  }

  /**
   * Adds the edge `from -[label]-> to` (replacing the properties of an existing one), writing
   * both index entries in one batch. Both vertices must exist, else an
   * {@link UnknownVertexError} and nothing is written.
   */
  addEdge(from: VertexId, label: string, to: VertexId, properties: Properties = {}): void {
    for (const id of [from, to]) if (this.kv.get(vertexKey(id)) === undefined) throw new UnknownVertexError(id);
    const value = utf8(JSON.stringify(properties));
    this.kv.batch([
      { type: 'put', key: encodeKey(['out', from, label, to]), value },
      { type: 'put', key: encodeKey(['in', to, label, from]), value },
    ]);
  }

  /** The vertex, or `undefined`. */
  vertex(id: VertexId): Vertex | undefined {
    const bytes = this.kv.get(vertexKey(id));
    if (bytes === undefined) return undefined;
    const { label, properties } = JSON.parse(fromUtf8(bytes)) as { label: string; properties: Properties };
    return { id, label, properties };
  }

  /** The vertices with this label, in id order (a prefix scan of the label index). */
  verticesWithLabel(label: string): Vertex[] {
    const out: Vertex[] = [];
    for (const { key } of this.kv.scan(prefixRange(encodeKey(['label', label])))) {
      out.push(this.vertex(decodeKey(key)[2] as VertexId)!);
    }
    return out;
  }

  /** Every vertex, in id order. */
  vertices(): Vertex[] {
    const out: Vertex[] = [];
    for (const { key, value } of this.kv.scan(prefixRange(encodeKey(['vertex'])))) {
      const { label, properties } = JSON.parse(fromUtf8(value)) as { label: string; properties: Properties };
      out.push({ id: decodeKey(key)[1] as VertexId, label, properties });
    }
    return out;
  }

  /**
   * The edges leaving (`'out'`) or entering (`'in'`) `id`, only those with `label` if given,
   * in key order: by label, then by the vertex at the other end. One prefix scan; edges of an
   * unknown vertex are simply none.
   */
  edges(id: VertexId, direction: Direction, label?: string): Edge[] {
    const prefix = label === undefined ? [direction, id] : [direction, id, label];
    const out: Edge[] = [];
    for (const { key, value } of this.kv.scan(prefixRange(encodeKey(prefix)))) {
      const [, self, edgeLabel, other] = decodeKey(key) as [string, VertexId, string, VertexId];
      const properties = JSON.parse(fromUtf8(value)) as Properties;
      if (direction === 'out') out.push({ from: self, label: edgeLabel, to: other, properties });
      else out.push({ from: other, label: edgeLabel, to: self, properties });
    }
    return out;
  }

  /**
   * Removes a vertex and every edge into or out of it, all index entries included, in one
   * batch. Returns whether the vertex existed.
   */
  removeVertex(id: VertexId): boolean {
    const vertex = this.vertex(id);
    if (vertex === undefined) return false;
    const ops: BatchOp[] = [
      { type: 'delete', key: vertexKey(id) },
      { type: 'delete', key: encodeKey(['label', vertex.label, id]) },
    ];
    for (const e of this.edges(id, 'out')) {
      ops.push({ type: 'delete', key: encodeKey(['out', e.from, e.label, e.to]) });
      ops.push({ type: 'delete', key: encodeKey(['in', e.to, e.label, e.from]) });
    }
    for (const e of this.edges(id, 'in')) {
      ops.push({ type: 'delete', key: encodeKey(['out', e.from, e.label, e.to]) });
      ops.push({ type: 'delete', key: encodeKey(['in', e.to, e.label, e.from]) });
    }
    this.kv.batch(ops);
    return true;
  }
}
