import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import type { Doc, Partitioner } from '@impl/chapter05-partitioning/documents.js';
import { UnknownPartitionError } from '@impl/chapter05-partitioning/errors.js';
import { GlobalIndexStore } from '@impl/chapter05-partitioning/global-index.js';
import { LocalIndexStore } from '@impl/chapter05-partitioning/local-index.js';

const LOCAL = 'Local indexes: scatter/gather';
const GLOBAL = 'Global indexes: partitioned by term';
const P = 4;

/** A small stable string hash for the tests' partitioners (any stable function would do). */
const spread: Partitioner = (key, partitions) => {
  let h = 7;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) % 1_000_003;
  return h % partitions;
};

const COLORS = ['red', 'black', 'silver'];
const MAKES = ['Audi', 'Ford', 'Honda', 'Dodge'];
const cars: Doc[] = Array.from({ length: 40 }, (_, i) => ({ id: `car${String(i).padStart(2, '0')}`, fields: { color: COLORS[i % 3]!, make: MAKES[i % 4]! } }));

function expectedIds(docs: Iterable<Doc>, field: string, value: string): string[] {
  return [...docs].filter((d) => d.fields[field] === value).map((d) => d.id).sort();
}

describe('5.5 local secondary indexes (document-partitioned)', () => {
  it('a write touches one partition; a query scatters to all of them and gathers every match', () => {
    const store = new LocalIndexStore(P, spread);
    for (const car of cars) {
      expect(store.put(car).partitionsTouched, because('a document and its index entries live in the document\'s partition', LOCAL)).toEqual([spread(car.id, P)]);
    }
    const red = store.query('color', 'red');
    expect(red.ids, because('scatter/gather finds the red cars of every partition', LOCAL)).toEqual(expectedIds(cars, 'color', 'red'));
    expect(red.partitionsTouched, because('a local index must ask every partition: none knows the others\' documents', LOCAL)).toEqual([0, 1, 2, 3]);
    expect(new Set(cars.filter((c) => c.fields['color'] === 'red').map((c) => spread(c.id, P))).size, because('the red cars are spread over several partitions (the test\'s setup)', LOCAL)).toBeGreaterThan(1);
    const green = store.query('color', 'green');
    expect(green.ids, because('no match is an empty answer', LOCAL)).toEqual([]);
    expect(green.partitionsTouched, because('a query with no match still asks every partition: only they know they have none', LOCAL)).toEqual([0, 1, 2, 3]);
    expect(store.get('car07'), because('a document reads back from its partition', LOCAL)).toEqual(cars[7]);
  });

  it('updates and deletes remove the old index entries in the same write', () => {
    const store = new LocalIndexStore(P, spread);
    for (const car of cars) store.put(car);
    store.put({ id: 'car00', fields: { color: 'green', make: 'Audi' } });
    store.delete('car03');
    store.delete('no-such-car');
    expect(store.query('color', 'red').ids, because('an updated or deleted document leaves its old terms at once', LOCAL)).toEqual(expectedIds(cars, 'color', 'red').filter((id) => id !== 'car00' && id !== 'car03'));
    expect(store.query('color', 'green').ids, because('the new value is indexed at once', LOCAL)).toEqual(['car00']);
    expect(store.get('car03'), because('a deleted document is gone', LOCAL)).toBeUndefined();
  });
});

describe('5.5 global secondary indexes (term-partitioned)', () => {
  it('a query touches one partition; writes touch one, and the index follows when the queue drains', () => {
    const store = new GlobalIndexStore(P, spread, spread);
    for (const car of cars) {
      expect(store.put(car).partitionsTouched.length, because('a write stores the document in one partition and only queues the index changes', GLOBAL)).toBe(1);
    }
    expect(store.pendingIndexUpdates(), because('two terms per car wait in the queue', GLOBAL)).toBe(80);
    const stale = store.query('color', 'red');
    expect(stale.ids, because('before the queue drains, the global index does not know the new documents', GLOBAL)).toEqual([]);
    expect(stale.partitionsTouched.length, because('a term lives in one partition: a query reads one', GLOBAL)).toBe(1);
    const drained = store.drainIndex();
    expect(drained.applied, because('draining applies every queued update', GLOBAL)).toBe(80);
    expect(drained.partitionsTouched.length, because('one write fans out to the partitions of its terms: here several', GLOBAL)).toBeGreaterThan(1);
    expect(drained.partitionsTouched, because('a drain reports each partition it wrote once, ascending', GLOBAL)).toEqual([...new Set(drained.partitionsTouched)].sort((a, b) => a - b));
    expect(store.pendingIndexUpdates(), because('a drained queue is empty', GLOBAL)).toBe(0);
    const red = store.query('color', 'red');
    expect(red.ids, because('after the drain the index is complete', GLOBAL)).toEqual(expectedIds(cars, 'color', 'red'));
    expect(red.partitionsTouched.length, because('still one partition per query', GLOBAL)).toBe(1);
  });

  it('an update is visible in the documents at once and in the index only after the drain', () => {
    const store = new GlobalIndexStore(P, spread, spread);
    for (const car of cars) store.put(car);
    store.drainIndex();
    store.put({ id: 'car00', fields: { color: 'green', make: 'Audi' } });
    store.delete('car03');
    expect(store.get('car00')?.fields['color'], because('the document itself is written synchronously', GLOBAL)).toBe('green');
    expect(store.query('color', 'red').ids, because('stale: the index still lists the old value and the deleted car', GLOBAL)).toContain('car00');
    expect(store.query('color', 'red').ids, because('stale: the index still lists the deleted car', GLOBAL)).toContain('car03');
    expect(store.query('color', 'green').ids, because('stale: the new value is not indexed yet', GLOBAL)).toEqual([]);
    const first = store.drainIndex(1);
    expect([first.applied, store.pendingIndexUpdates()], because('drainIndex(max) applies at most max updates, oldest first', GLOBAL)).toEqual([1, 3]);
    store.drainIndex();
    expect(store.query('color', 'red').ids, because('after the drain the old terms are gone', GLOBAL)).toEqual(expectedIds(cars, 'color', 'red').filter((id) => id !== 'car00' && id !== 'car03'));
    expect(store.query('color', 'green').ids, because('after the drain the new term is indexed', GLOBAL)).toEqual(['car00']);
  });

  it('once drained, the global index answers exactly as the local one, for any workload (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), id: fc.integer({ min: 0, max: 15 }), color: fc.constantFrom(...COLORS), make: fc.option(fc.constantFrom(...MAKES), { nil: undefined }) }),
      fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 0, max: 15 }) }),
      fc.record({ kind: fc.constant('drain' as const), max: fc.integer({ min: 0, max: 5 }) }),
    );
    checkProperty(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const local = new LocalIndexStore(P, spread);
        const global = new GlobalIndexStore(P, spread, spread);
        const model = new Map<string, Doc>();
        for (const o of ops) {
          if (o.kind === 'put') {
            const doc: Doc = { id: `d${o.id}`, fields: o.make === undefined ? { color: o.color } : { color: o.color, make: o.make } };
            local.put(doc);
            global.put(doc);
            model.set(doc.id, doc);
          } else if (o.kind === 'delete') {
            local.delete(`d${o.id}`);
            global.delete(`d${o.id}`);
            model.delete(`d${o.id}`);
          } else {
            global.drainIndex(o.max);
          }
        }
        global.drainIndex();
        for (const [field, values] of [['color', COLORS], ['make', MAKES]] as const) {
          for (const value of values) {
            const expected = expectedIds(model.values(), field, value);
            expect(local.query(field, value).ids, because(`local index, ${field} = ${value}`, LOCAL)).toEqual(expected);
            expect(global.query(field, value).ids, because(`global index after the drain, ${field} = ${value}: equal to the local one`, GLOBAL)).toEqual(expected);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('bad input is a typed error and changes nothing', () => {
    const wild: Partitioner = () => 9;
    const store = new GlobalIndexStore(P, spread, wild);
    expect(() => store.query('color', 'red'), because('a partitioner answering outside [0, P) is an UnknownPartitionError', GLOBAL)).toThrow(UnknownPartitionError);
    const local = new LocalIndexStore(P, wild);
    expect(() => local.put(cars[0]!), because('a document placed outside the partitions is refused', LOCAL)).toThrow(UnknownPartitionError);
    const ok = new LocalIndexStore(P, spread);
    expect(() => ok.put({ id: '', fields: {} }), because('a document needs an id', LOCAL)).toThrow(UsageError);
    expect(() => new LocalIndexStore(0, spread), because('at least one partition', LOCAL)).toThrow(UsageError);
    expect(ok.query('color', 'red').ids, because('refused writes stored nothing', LOCAL)).toEqual([]);
  });
});
