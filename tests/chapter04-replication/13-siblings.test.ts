import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { DecodeError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { decodeSiblings, encodeSiblings } from '@impl/chapter04-replication/sibling-codec.js';
import {
  liveValues,
  mergeSiblings,
  putSibling,
  readContext,
  type Sibling,
} from '@impl/chapter04-replication/siblings.js';

const SECTION = 'Version vectors and siblings';
const values = (s: readonly Sibling[]) => liveValues(s).map(fromUtf8).sort();

describe('4.1 siblings', () => {
  it('two writes with the same empty context through the same replica become siblings, not an overwrite', () => {
    let stored: Sibling[] = [];
    stored = putSibling(stored, 'a', utf8('milk'), {});
    stored = putSibling(stored, 'a', utf8('eggs'), {});
    expect(values(stored), because('neither writer saw the other: the writes are concurrent', SECTION)).toEqual([
      'eggs',
      'milk',
    ]);
    expect(stored.map((s) => s.dot)).toEqual([
      { replica: 'a', counter: 1 },
      { replica: 'a', counter: 2 },
    ]);
  });

  it('a client that reads siblings, merges them and writes back with the read context replaces them all', () => {
    let stored: Sibling[] = [];
    stored = putSibling(stored, 'a', utf8('milk'), {});
    stored = putSibling(stored, 'b', utf8('eggs'), {});
    const context = readContext(stored);
    expect(context).toEqual({ a: 1, b: 1 });
    stored = putSibling(stored, 'a', utf8('eggs,milk'), context);
    expect(values(stored), because('the context covers both dots: the merged value supersedes them', SECTION)).toEqual([
      'eggs,milk',
    ]);
    expect(stored[0]!.dot).toEqual({ replica: 'a', counter: 2 });
  });

  it('the shopping cart of the book: each client overwrites what it saw and keeps what it did not', () => {
    let stored: Sibling[] = [];
    stored = putSibling(stored, 'a', utf8('milk'), {}); // client 1
    const seen1 = readContext(stored);
    stored = putSibling(stored, 'a', utf8('eggs'), {}); // client 2, saw nothing
    const seen2 = readContext(stored);
    stored = putSibling(stored, 'a', utf8('milk,flour'), seen1); // client 1 again
    expect(values(stored)).toEqual(['eggs', 'milk,flour']);
    stored = putSibling(stored, 'a', utf8('eggs,milk,ham'), seen2); // client 2 merged milk and eggs
    expect(values(stored), because('client 2 saw milk and eggs, not milk,flour', SECTION)).toEqual([
      'eggs,milk,ham',
      'milk,flour',
    ]);
  });

  it('a delete is a tombstone sibling: it hides what it saw but not a concurrent write', () => {
    let stored = putSibling([], 'a', utf8('v1'), {});
    const seen = readContext(stored);
    const concurrent = putSibling(stored, 'b', utf8('v2'), {});
    stored = putSibling(stored, 'a', null, seen);
    expect(values(stored)).toEqual([]);
    expect(stored).toHaveLength(1);
    expect(values(mergeSiblings(stored, concurrent)), because('the delete did not see v2', SECTION)).toEqual(['v2']);
  });

  it('replicas merging sibling lists in any order converge (merge is commutative, associative, idempotent)', () => {
    const op = fc.record({ at: fc.integer({ min: 0, max: 2 }), from: fc.integer({ min: 0, max: 2 }), write: fc.boolean(), seen: fc.boolean() });
    checkProperty(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const ids = ['a', 'b', 'c'];
        const replicas: Sibling[][] = [[], [], []];
        ops.forEach((o, i) => {
          const here = replicas[o.at]!;
          if (o.write) replicas[o.at] = putSibling(here, ids[o.at]!, utf8(`w${i}`), o.seen ? readContext(here) : {});
          else replicas[o.at] = mergeSiblings(here, replicas[o.from]!);
        });
        const [a, b, c] = replicas as [Sibling[], Sibling[], Sibling[]];
        expect(mergeSiblings(a, b), because('commutative', SECTION)).toEqual(mergeSiblings(b, a));
        expect(mergeSiblings(mergeSiblings(a, b), c), because('associative', SECTION)).toEqual(mergeSiblings(a, mergeSiblings(b, c)));
        expect(mergeSiblings(a, a), because('idempotent', SECTION)).toEqual(mergeSiblings(a, []));
      }),
    );
  });

  it('sibling lists round-trip through their stored form, and truncated bytes are a decode error', () => {
    let stored = putSibling([], 'a', utf8('x'), {});
    stored = putSibling(stored, 'node-b', null, {});
    const bytes = encodeSiblings(stored);
    expect(decodeSiblings(bytes)).toEqual(stored);
    expect(() => decodeSiblings(bytes.subarray(0, bytes.length - 1))).toThrow(DecodeError);
  });
});
