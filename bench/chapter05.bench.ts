/**
 * `npm run bench -- chapter05`: what partitioning costs, in keys moved and partitions touched
 * (the reference solutions, `solutions/chapter05-partitioning/`). Counts, not times, except the
 * last table: they are the same on every machine.
 *
 * 1. Keys moved when one node joins N (N = 4…16), for `hash mod N`, a fixed number of partitions
 *    moved whole, and a ring with virtual nodes; beside the ideal, 1/(N+1).
 * 2. Load skew (largest node's keys over the mean) of the ring as the virtual nodes per node grow.
 * 3. Secondary indexes: partitions touched per query and per write, local (document-partitioned)
 *    against global (term-partitioned), for 4…16 partitions.
 * 4. Lookups per second: the stable hash, a fixed-partition owner, a ring owner.
 */

import { performance } from 'node:perf_hooks';
import type { Doc, Partitioner } from '../solutions/chapter05-partitioning/documents.js';
import { addNodeFixed, assignFixedPartitions, fixedOwner } from '../solutions/chapter05-partitioning/fixed-partitions.js';
import { GlobalIndexStore } from '../solutions/chapter05-partitioning/global-index.js';
import { hashKey } from '../solutions/chapter05-partitioning/hash.js';
import { modNOwner } from '../solutions/chapter05-partitioning/hash-mod-n.js';
import { HashRing } from '../solutions/chapter05-partitioning/hash-ring.js';
import { LocalIndexStore } from '../solutions/chapter05-partitioning/local-index.js';

const KEYS = Array.from({ length: 100_000 }, (_, i) => `user:${i}`);
const SIZES = [4, 6, 8, 12, 16];
const FIXED_PARTITIONS = 256;
const VIRTUAL_NODES = 64;
const nodesOf = (n: number) => Array.from({ length: n }, (_, i) => `node${i}`);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(7);

function movedFraction(before: (key: string) => string, after: (key: string) => string): number {
  let moved = 0;
  for (const key of KEYS) if (before(key) !== after(key)) moved++;
  return moved / KEYS.length;
}

console.log(`1. Keys moved when one node joins N nodes (${KEYS.length.toLocaleString('en')} keys)\n`);
console.log(`| N | ideal 1/(N+1) | hash mod N | fixed, ${FIXED_PARTITIONS} partitions (partitions moved) | ring, ${VIRTUAL_NODES} virtual nodes |`);
console.log('|--:|--:|--:|--:|--:|');
for (const n of SIZES) {
  const nodes = nodesOf(n);
  const grown = nodesOf(n + 1);
  const modN = movedFraction((k) => modNOwner(k, nodes), (k) => modNOwner(k, grown));
  const assignment = assignFixedPartitions(FIXED_PARTITIONS, nodes);
  const move = addNodeFixed(assignment, `node${n}`);
  const fixed = movedFraction((k) => fixedOwner(k, assignment), (k) => fixedOwner(k, move.assignment));
  const ring = new HashRing(nodes, VIRTUAL_NODES);
  const before = KEYS.map((k) => ring.ownerOf(k));
  ring.add(`node${n}`);
  let ringMoved = 0;
  KEYS.forEach((k, i) => {
    if (ring.ownerOf(k) !== before[i]) ringMoved++;
  });
  console.log(`| ${n} | ${pct(1 / (n + 1))} | ${pct(modN)} | ${pct(fixed)} (${move.moved.length}) | ${pct(ringMoved / KEYS.length)} |`);
}

console.log('\n2. Ring load skew (largest node over the mean) with 8 nodes\n');
console.log('| virtual nodes per node | max / mean |');
console.log('|--:|--:|');
for (const v of [1, 4, 16, 64, 256]) {
  const ring = new HashRing(nodesOf(8), v);
  const load = new Map<string, number>();
  for (const key of KEYS) {
    const owner = ring.ownerOf(key);
    load.set(owner, (load.get(owner) ?? 0) + 1);
  }
  console.log(`| ${v} | ${(Math.max(...load.values()) / (KEYS.length / 8)).toFixed(2)} |`);
}

/** A stable string hash for the index stores' partitioners (the tests use one like it). */
const spread: Partitioner = (key, partitions) => Number(hashKey(key) % BigInt(partitions));
const COLORS = ['red', 'black', 'silver', 'white', 'blue'];
const MAKES = ['Audi', 'Ford', 'Honda', 'Dodge', 'Fiat', 'Kia'];
const cars: Doc[] = Array.from({ length: 2_000 }, (_, i) => ({ id: `car${i}`, fields: { color: COLORS[i % COLORS.length]!, make: MAKES[(i * 7) % MAKES.length]! } }));

console.log(`\n3. Secondary indexes over ${cars.length.toLocaleString('en')} documents with two indexed fields: partitions touched, mean per operation\n`);
console.log('| partitions | local: per write | local: per query | global: per write (document + index, after the drain) | global: per query |');
console.log('|--:|--:|--:|--:|--:|');
for (const p of [4, 8, 16]) {
  const local = new LocalIndexStore(p, spread);
  const global = new GlobalIndexStore(p, spread, spread);
  let localWrites = 0;
  let globalWrites = 0;
  for (const car of cars) {
    localWrites += local.put(car).partitionsTouched.length;
    const doc = global.put(car).partitionsTouched;
    const index = global.drainIndex().partitionsTouched;
    globalWrites += new Set([...doc, ...index]).size;
  }
  let localQueries = 0;
  let globalQueries = 0;
  let queries = 0;
  for (const color of COLORS) {
    localQueries += local.query('color', color).partitionsTouched.length;
    globalQueries += global.query('color', color).partitionsTouched.length;
    queries++;
  }
  const mean = (total: number, count: number) => (total / count).toFixed(2);
  console.log(`| ${p} | ${mean(localWrites, cars.length)} | ${mean(localQueries, queries)} | ${mean(globalWrites, cars.length)} | ${mean(globalQueries, queries)} |`);
}

/** Calls per second of `fn` over the keys, the median of five rounds. */
function rate(fn: (key: string) => unknown): number {
  const rounds: number[] = [];
  let sink: unknown;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (const key of KEYS) sink = fn(key);
    rounds.push((KEYS.length * 1000) / (performance.now() - start));
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return rounds.sort((a, b) => a - b)[2]!;
}

const assignment = assignFixedPartitions(FIXED_PARTITIONS, nodesOf(8));
const ring = new HashRing(nodesOf(8), VIRTUAL_NODES);
console.log('\n4. Lookups per second (8 nodes; this table alone depends on the machine)\n');
console.log('| lookup | per second |');
console.log('|---|--:|');
for (const [label, fn] of [
  ['hashKey (FNV-1a 64 + finaliser)', (k: string) => hashKey(k)],
  [`fixed partition owner, ${FIXED_PARTITIONS} partitions`, (k: string) => fixedOwner(k, assignment)],
  [`ring owner, ${VIRTUAL_NODES} virtual nodes per node`, (k: string) => ring.ownerOf(k)],
] as const) {
  console.log(`| ${label} | ${Math.round(rate(fn)).toLocaleString('en')} |`);
}
