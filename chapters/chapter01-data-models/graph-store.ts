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

import { NotImplementedError } from '../../shared/errors.js';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { prefixRange, type BatchOp, type OrderedKV } from '../../shared/kv.js';
import { decodeKey, encodeKey } from '../../shared/tuple-key.js';
import { UnknownVertexError } from './errors.js';
import type { Value } from './values.js';

const EXERCISE = {
  exercise: '1.13 Graph storage',
  file: 'chapter01-data-models/graph-store.ts',
  section: '1.13 Graph storage',
} as const;

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
    throw new NotImplementedError(EXERCISE);
  }

  /**
   * Adds the edge `from -[label]-> to` (replacing the properties of an existing one), writing
   * both index entries in one batch. Both vertices must exist, else an
   * {@link UnknownVertexError} and nothing is written.
   */
  addEdge(from: VertexId, label: string, to: VertexId, properties: Properties = {}): void {
    throw new NotImplementedError(EXERCISE);
  }

  /** The vertex, or `undefined`. */
  vertex(id: VertexId): Vertex | undefined {
    throw new NotImplementedError(EXERCISE);
  }

  /** The vertices with this label, in id order (a prefix scan of the label index). */
  verticesWithLabel(label: string): Vertex[] {
    throw new NotImplementedError(EXERCISE);
  }

  /** Every vertex, in id order. */
  vertices(): Vertex[] {
    throw new NotImplementedError(EXERCISE);
  }

  /**
   * The edges leaving (`'out'`) or entering (`'in'`) `id`, only those with `label` if given,
   * in key order: by label, then by the vertex at the other end. One prefix scan; edges of an
   * unknown vertex are simply none.
   */
  edges(id: VertexId, direction: Direction, label?: string): Edge[] {
    throw new NotImplementedError(EXERCISE);
  }

  /**
   * Removes a vertex and every edge into or out of it, all index entries included, in one
   * batch. Returns whether the vertex existed.
   */
  removeVertex(id: VertexId): boolean {
    throw new NotImplementedError(EXERCISE);
  }
}
