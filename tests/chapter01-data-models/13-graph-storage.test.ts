import { describe, expect, it } from 'vitest';
import { fromUtf8 } from '../../shared/bytes.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { encodeKey } from '../../shared/tuple-key.js';
import { DocumentStore } from '@impl/chapter01-data-models/document-store.js';
import { UnknownVertexError } from '@impl/chapter01-data-models/errors.js';
import { PropertyGraph } from '@impl/chapter01-data-models/graph-store.js';
import { Database } from '@impl/chapter01-data-models/table-storage.js';
import { dump, socialGraph, users, usersSchema } from './fixtures.js';

const LAYOUT = 'Key layout';
const GRAPHS = 'Property graphs';

describe('exercise 1.13: a property graph in an ordered key-value store', () => {
  it('vertices, the label index and both edge indexes live under their documented keys', () => {
    const kv = new MemoryKV();
    const graph = new PropertyGraph(kv);
    graph.addVertex('alice', 'User', { name: 'Alice' });
    graph.addVertex('bob', 'User');
    graph.addEdge('alice', 'FOLLOWS', 'bob', { since: 2020 });
    const vertex = kv.get(encodeKey(['vertex', 'alice']));
    expect(vertex, because('a vertex lives at ["vertex", id]', LAYOUT)).toBeDefined();
    expect(JSON.parse(fromUtf8(vertex!))).toEqual({ label: 'User', properties: { name: 'Alice' } });
    expect(kv.get(encodeKey(['label', 'User', 'alice'])), because('the label index: ["label", label, id]', LAYOUT)).toBeDefined();
    const out = kv.get(encodeKey(['out', 'alice', 'FOLLOWS', 'bob']));
    expect(out, because('an outgoing edge: ["out", from, label, to]', LAYOUT)).toBeDefined();
    expect(JSON.parse(fromUtf8(out!))).toEqual({ since: 2020 });
    expect(kv.get(encodeKey(['in', 'bob', 'FOLLOWS', 'alice'])), because('the reverse index: ["in", to, label, from]', LAYOUT)).toBeDefined();
  });

  it('edges() follows edges either way, optionally of one label, in key order', () => {
    const { graph } = socialGraph();
    expect(graph.edges('alice', 'out').map((e) => `${e.label}:${e.to}`), because('one prefix scan, sorted by label then vertex', LAYOUT)).toEqual([
      'FOLLOWS:bob',
      'FOLLOWS:carol',
      'PURCHASED:p3',
    ]);
    expect(graph.edges('alice', 'out', 'FOLLOWS').map((e) => e.to)).toEqual(['bob', 'carol']);
    expect(graph.edges('bob', 'in', 'FOLLOWS').map((e) => e.from), because('incoming edges come from the reverse index', GRAPHS)).toEqual([
      'alice',
      'dave',
    ]);
    expect(graph.edges('bob', 'in')[0]).toEqual({ from: 'alice', label: 'FOLLOWS', to: 'bob', properties: {} });
    expect(graph.edges('nobody', 'out')).toEqual([]);
  });

  it('edge properties are the same whichever direction the edge is read from', () => {
    const { graph } = socialGraph();
    graph.addEdge('dave', 'PURCHASED', 'p4', { price: 25 });
    expect(graph.edges('dave', 'out', 'PURCHASED')).toEqual([{ from: 'dave', label: 'PURCHASED', to: 'p4', properties: { price: 25 } }]);
    expect(graph.edges('p4', 'in', 'PURCHASED')).toEqual([{ from: 'dave', label: 'PURCHASED', to: 'p4', properties: { price: 25 } }]);
  });

  it('vertex() and verticesWithLabel() read vertices; relabelling moves the vertex in the label index', () => {
    const { graph } = socialGraph();
    expect(graph.vertex('p1')).toEqual({ id: 'p1', label: 'Product', properties: { title: 'kettle' } });
    expect(graph.vertex('zed')).toBeUndefined();
    expect(graph.verticesWithLabel('User').map((v) => v.id)).toEqual(['alice', 'bob', 'carol', 'dave']);
    graph.addVertex('dave', 'Admin', { name: 'dave' });
    expect(graph.verticesWithLabel('User').map((v) => v.id), because('a vertex has one label, so one index entry', GRAPHS)).toEqual([
      'alice',
      'bob',
      'carol',
    ]);
    expect(graph.verticesWithLabel('Admin').map((v) => v.id)).toEqual(['dave']);
    expect(graph.edges('dave', 'out').map((e) => e.to), because('re-adding a vertex keeps its edges', GRAPHS)).toEqual(['bob']);
    expect(graph.vertices().map((v) => v.id)).toEqual(['alice', 'bob', 'carol', 'dave', 'p1', 'p2', 'p3', 'p4']);
  });

  it('an edge to or from an unknown vertex is an UnknownVertexError and writes nothing', () => {
    const { kv, graph } = socialGraph();
    const before = dump(kv);
    let error: unknown;
    try {
      graph.addEdge('alice', 'FOLLOWS', 'zed');
    } catch (e) {
      error = e;
    }
    expect(error, because('an edge needs both ends', GRAPHS)).toBeInstanceOf(UnknownVertexError);
    expect((error as UnknownVertexError).vertex).toBe('zed');
    expect(() => graph.addEdge('zed', 'FOLLOWS', 'alice')).toThrow(UnknownVertexError);
    expect(dump(kv)).toEqual(before);
  });

  it('removing a vertex removes every edge into and out of it from both indexes', () => {
    const { kv, graph } = socialGraph();
    expect(graph.removeVertex('bob')).toBe(true);
    expect(graph.removeVertex('bob')).toBe(false);
    const mentionsBob = dump(kv).filter(([key]) => key.includes('bob'));
    expect(mentionsBob, because('no dangling edge or index entry may survive', GRAPHS)).toEqual([]);
    expect(graph.edges('alice', 'out', 'FOLLOWS').map((e) => e.to)).toEqual(['carol']);
    expect(graph.edges('carol', 'in', 'FOLLOWS').map((e) => e.from)).toEqual(['alice']);
  });

  it('tables, documents and a graph share one store, each in its own key ranges', () => {
    const kv = new MemoryKV();
    const db = new Database(kv);
    const docs = new DocumentStore(kv);
    const graph = new PropertyGraph(kv);
    db.createTable(usersSchema);
    db.insertMany('users', users);
    docs.put('users', 'u1', { name: 'Ada', tags: ['vip'] });
    graph.addVertex('users', 'User');
    graph.addVertex('u1', 'User');
    graph.addEdge('users', 'FOLLOWS', 'u1');
    const namespaces = new Set(dump(kv).map(([key]) => key[0]));
    expect([...namespaces].sort(), because('the first key element names the structure', LAYOUT)).toEqual([
      'catalog',
      'doc',
      'in',
      'label',
      'out',
      'row',
      'vertex',
    ]);
    expect(db.scan('users').length, because('a table named users ignores a collection named users', LAYOUT)).toBe(4);
    expect(docs.scan('users').map((d) => d.id)).toEqual(['u1']);
    expect(graph.vertices().map((v) => v.id)).toEqual(['u1', 'users']);
  });
});
