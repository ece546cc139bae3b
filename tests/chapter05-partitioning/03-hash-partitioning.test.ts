import { describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/bytes.js';
import { UsageError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { UnknownNodeError } from '@impl/chapter05-partitioning/errors.js';
import { addNodeFixed, assignFixedPartitions, fixedOwner, fixedPartitionOf } from '@impl/chapter05-partitioning/fixed-partitions.js';
import { fmix64, fnv1a64, hashKey } from '@impl/chapter05-partitioning/hash.js';
import { modNOwner } from '@impl/chapter05-partitioning/hash-mod-n.js';
import { HashRing, virtualNodeKey } from '@impl/chapter05-partitioning/hash-ring.js';

const HASH = 'A stable hash';
const MODN = 'Hash mod N';
const FIXED = 'A fixed number of partitions';
const RING = 'Consistent hashing with virtual nodes';
const SKEW = 'How even is the ring?';

const KEYS = Array.from({ length: 10_000 }, (_, i) => `user:${i}`);
const nodes = (n: number): string[] => Array.from({ length: n }, (_, i) => `node${i}`);

function movedFraction(before: (key: string) => string, after: (key: string) => string): number {
  let moved = 0;
  for (const key of KEYS) if (before(key) !== after(key)) moved++;
  return moved / KEYS.length;
}

/** max/mean of the keys per node: 1 is perfectly even. */
function skew(owner: (key: string) => string, members: readonly string[]): number {
  const counts = new Map<string, number>(members.map((m) => [m, 0]));
  for (const key of KEYS) counts.set(owner(key), counts.get(owner(key))! + 1);
  return Math.max(...counts.values()) / (KEYS.length / members.length);
}

describe('5.2 a stable hash', () => {
  it('FNV-1a 64 matches the published test vectors', () => {
    expect(fnv1a64(new Uint8Array(0)), because('the hash of no bytes is the offset basis', HASH)).toBe(0xcbf29ce484222325n);
    expect(fnv1a64(utf8('a')), because('FNV-1a 64 of "a"', HASH)).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64(utf8('foobar')), because('FNV-1a 64 of "foobar"', HASH)).toBe(0x85944171f73967e8n);
  });

  it('the key hash is fmix64 over FNV-1a, over UTF-8 bytes, in [0, 2^64)', () => {
    expect(fmix64(0n), because('the finaliser maps 0 to 0', HASH)).toBe(0n);
    expect(hashKey('foobar'), because('hashKey = fmix64(fnv1a64(bytes))', HASH)).toBe(0x2c22194922d1672bn);
    expect(hashKey('日本'), because('strings are hashed as their UTF-8 bytes, not UTF-16 code units', HASH)).toBe(0x1230c55089fe4e43n);
    expect(hashKey(utf8('日本')), because('a string and its UTF-8 bytes hash alike', HASH)).toBe(hashKey('日本'));
    for (const key of KEYS.slice(0, 200)) {
      const h = hashKey(key);
      expect(h >= 0n && h < 1n << 64n, because('hashes are unsigned 64-bit', HASH)).toBe(true);
    }
  });
});

describe('5.2 hash mod N', () => {
  it('spreads keys evenly over N nodes', () => {
    expect(skew((k) => modNOwner(k, nodes(8)), nodes(8)), because('a good hash mod N is even: max/mean within 10 % for 10,000 keys', MODN)).toBeLessThan(1.1);
    expect(() => modNOwner('k', []), because('no nodes, no owner', MODN)).toThrow(UsageError);
  });

  for (const n of [4, 8]) {
    it(`moves about N/(N+1) of the keys when one node joins ${n} (within 0.03)`, () => {
      const fraction = movedFraction((k) => modNOwner(k, nodes(n)), (k) => modNOwner(k, nodes(n + 1)));
      expect(Math.abs(fraction - n / (n + 1)), because(`a key stays only if hash mod ${n} equals hash mod ${n + 1}: about 1 in ${n + 1}`, MODN)).toBeLessThan(0.03);
    });
  }
});

describe('5.2 a fixed number of partitions', () => {
  it('a key\'s partition depends only on the key and the partition count', () => {
    expect(fixedPartitionOf('user:1', 256), because('the partition of a key never changes', FIXED)).toBe(Number(hashKey('user:1') % 256n));
    expect(() => fixedPartitionOf('k', 0), because('there is at least one partition', FIXED)).toThrow(UsageError);
    const assignment = assignFixedPartitions(8, ['a', 'b', 'c']);
    expect(assignment, because('partitions are dealt round-robin', FIXED)).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b']);
    expect(fixedOwner('user:1', assignment), because('a key lives on its partition\'s owner', FIXED)).toBe(assignment[fixedPartitionOf('user:1', 8)]);
  });

  for (const n of [4, 8]) {
    it(`a node joining ${n} takes whole partitions, about 1/(N+1) of the keys, from the others only`, () => {
      const P = 256;
      const before = assignFixedPartitions(P, nodes(n));
      const { assignment: after, moved } = addNodeFixed(before, 'new');
      const movedSet = new Set(moved);
      expect(moved.length, because(`the new node takes floor(P/(N+1)) = ${Math.floor(P / (n + 1))} partitions, no more`, FIXED)).toBe(Math.floor(P / (n + 1)));
      expect(moved, because('moved lists the partitions in ascending order', FIXED)).toEqual([...moved].sort((a, b) => a - b));
      for (let p = 0; p < P; p++) {
        const changed = before[p] !== after[p];
        expect(changed, because('moved lists exactly the partitions whose owner changed', FIXED)).toBe(movedSet.has(p));
        if (changed) expect(after[p], because('partitions move only to the new node', FIXED)).toBe('new');
      }
      for (const key of KEYS) {
        const p = fixedPartitionOf(key, P);
        const keyMoved = fixedOwner(key, before) !== fixedOwner(key, after);
        expect(keyMoved, because('a key moves exactly when its whole partition moves', FIXED)).toBe(movedSet.has(p));
      }
      const counts = new Map<string, number>();
      for (const owner of after) counts.set(owner, (counts.get(owner) ?? 0) + 1);
      for (const [node, count] of counts) {
        expect(count, because(`${node}: every node ends with floor or ceil of P/(N+1) partitions`, FIXED)).toBeGreaterThanOrEqual(Math.floor(P / (n + 1)));
        expect(count, because(`${node}: every node ends with floor or ceil of P/(N+1) partitions`, FIXED)).toBeLessThanOrEqual(Math.ceil(P / (n + 1)));
      }
      const fraction = movedFraction((k) => fixedOwner(k, before), (k) => fixedOwner(k, after));
      expect(Math.abs(fraction - 1 / (n + 1)), because('moving P/(N+1) of P partitions moves about 1/(N+1) of the keys', FIXED)).toBeLessThan(0.04);
      expect(() => addNodeFixed(after, 'new'), because('a node cannot join twice', FIXED)).toThrow(UsageError);
    });
  }
});

describe('5.2 consistent hashing with virtual nodes', () => {
  it('ring keys cannot collide: ("node1", 0) is not ("node", 10)', () => {
    expect(virtualNodeKey('node1', 0), because('a separator or a length keeps the node name and the number apart', RING)).not.toEqual(virtualNodeKey('node', 10));
    expect(virtualNodeKey('a', 1), because('the key is the tuple (node, v) in the shared key encoding', RING)).toEqual(Uint8Array.of(0x30, 0x61, 0x00, 0x21, 0xbf, 0xf0, 0, 0, 0, 0, 0, 0));
  });

  it('places each node at V distinct points, and a key goes to the first point at or after its hash', () => {
    const ring = new HashRing(nodes(3), 16);
    for (const node of nodes(3)) {
      const positions = ring.positions(node);
      expect(new Set(positions).size, because('every virtual node has its own position: the number is part of what is hashed', RING)).toBe(16);
      expect(positions, because('they are the hashes of the ring keys', RING)).toEqual(Array.from({ length: 16 }, (_, v) => hashKey(virtualNodeKey(node, v))).sort((a, b) => (a < b ? -1 : 1)));
    }
    const all = nodes(3).flatMap((node) => ring.positions(node).map((position) => ({ position, node }))).sort((a, b) => (a.position < b.position ? -1 : 1));
    for (const key of KEYS.slice(0, 300)) {
      const h = hashKey(key);
      const expected = (all.find((p) => p.position >= h) ?? all[0]!).node;
      expect(ring.ownerOf(key), because('clockwise from the key\'s hash, wrapping past 2^64 - 1', RING)).toBe(expected);
    }
  });

  it('a key whose hash equals a point belongs to that point\'s node ("at or after" includes "at")', () => {
    const ring = new HashRing(nodes(4), 8);
    for (const node of nodes(4)) {
      for (let v = 0; v < 8; v++) {
        // hashKey(virtualNodeKey(node, v)) is the point's position exactly.
        expect(ring.ownerOf(virtualNodeKey(node, v)), because(`the key of ${node}#${v} hashes onto that point, so ${node} owns it, not the next point`, RING)).toBe(node);
      }
    }
  });

  it('wraps round: a key hashed past the last point belongs to the first point', () => {
    const ring = new HashRing(['a', 'b', 'c'], 1);
    const points = ['a', 'b', 'c'].map((node) => ({ node, position: ring.positions(node)[0]! })).sort((x, y) => (x.position < y.position ? -1 : 1));
    const last = points[2]!.position;
    const past = KEYS.filter((k) => hashKey(k) > last);
    expect(past.length, because('some of 10,000 keys hash above the last of three points', RING)).toBeGreaterThan(0);
    for (const key of past) expect(ring.ownerOf(key), because('past 2^64 - 1 the ring starts again at its first point', RING)).toBe(points[0]!.node);
  });

  for (const n of [4, 8]) {
    it(`moves about 1/(N+1) of the keys when one node joins ${n}, all of them to the new node (V = 256, within ±40 %)`, () => {
      const ring = new HashRing(nodes(n), 256);
      const before = new Map(KEYS.map((k) => [k, ring.ownerOf(k)]));
      ring.add('new');
      let moved = 0;
      for (const key of KEYS) {
        const owner = ring.ownerOf(key);
        if (owner === before.get(key)) continue;
        moved++;
        expect(owner, because('a joining node only takes arcs; no key moves between old nodes', RING)).toBe('new');
      }
      const expected = 1 / (n + 1);
      expect(moved / KEYS.length, because(`the new node's share is about 1/(N+1) = ${expected.toFixed(3)}`, RING)).toBeGreaterThan(expected * 0.6);
      expect(moved / KEYS.length, because(`the new node's share is about 1/(N+1) = ${expected.toFixed(3)}`, RING)).toBeLessThan(expected * 1.4);
      ring.remove('new');
      for (const key of KEYS.slice(0, 500)) expect(ring.ownerOf(key), because('removing the node gives its arcs back', RING)).toBe(before.get(key));
    });
  }

  it('load skew shrinks like 1/sqrt(V): max/mean within 1 + 4/sqrt(V) + 4 sqrt(N/K) over a sweep of V', () => {
    const members = nodes(10);
    const results: Array<[number, number]> = [];
    for (const v of [4, 16, 64, 256, 1024]) {
      const ring = new HashRing(members, v);
      const s = skew((k) => ring.ownerOf(k), members);
      results.push([v, s]);
      const bound = 1 + 4 / Math.sqrt(v) + 4 * Math.sqrt(members.length / KEYS.length);
      expect(s, because(`V = ${v}: skew ${s.toFixed(3)} within the bound ${bound.toFixed(3)} derived in the notes`, SKEW)).toBeLessThan(bound);
    }
    expect(results[4]![1], because(`more virtual nodes, less skew: ${JSON.stringify(results)}`, SKEW)).toBeLessThan(results[0]![1]);
  });

  it('bad membership changes are typed errors', () => {
    const ring = new HashRing(['a', 'b'], 4);
    expect(() => ring.remove('c'), because('removing a node that is not on the ring', RING)).toThrow(UnknownNodeError);
    expect(() => ring.positions('c'), because('asking for the points of a node that is not on the ring', RING)).toThrow(UnknownNodeError);
    expect(() => ring.add('a'), because('adding a node twice', RING)).toThrow(UsageError);
    expect(() => new HashRing(['a'], 0), because('at least one virtual node', RING)).toThrow(UsageError);
    ring.remove('a');
    ring.remove('b');
    expect(() => ring.ownerOf('k'), because('an empty ring owns nothing', RING)).toThrow(UsageError);
    expect(ring.nodes(), because('nodes() lists the members', RING)).toEqual([]);
  });
});
