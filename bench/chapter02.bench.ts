/**
 * `npm run bench -- chapter02`: the key-value engines of chapter 02 on one workload, on real files.
 *
 * Workload: 200,000 puts of random 16-byte keys with 100-byte values, then 200,000 gets of
 * present keys in random order, 10,000 gets of absent keys, and one full scan. The absent keys
 * are asked for ten times over (100,000 gets, timed together): one pass takes a few
 * milliseconds, too short to time reliably on a busy machine.
 *
 * Columns:
 * - ops/s of each phase (the scan in entries per second);
 * - write amplification: bytes the engine wrote to files / bytes of keys and values put;
 * - read amplification: file reads per get of a present key (a block-cache hit reads nothing);
 * - space amplification: bytes of the engine's files at the end / bytes of the live keys and
 *   values.
 *
 * The reference engines run with their default options (sync policy `'none'`: every write goes
 * to the log before the call returns, fsync only in `sync()` and `close()`), plus three LSM-tree
 * variants that each change one thing: a 64 KiB WAL buffer, puts batched 1,000 per `batch` call
 * (LevelDB's batching), and a block cache large enough for the whole data set. LevelDB (through
 * the classic-level package, an optional dependency) is the anchor row: its puts are batched
 * 1,000 per write and its reads use `getSync`; its amplification columns are left empty because
 * its I/O does not go through our FileSystem. To add an engine, add one line to `engines`.
 *
 * Every engine runs three times, in turn within each round, and each figure is the median of its
 * three; a ratio to LevelDB is the median of the three per-round ratios, so that a machine busy
 * during one round slows both sides of that round's ratio. Then the goals of the reference
 * LSM-tree against LevelDB, like-with-like ratios, and where the time of one LSM-tree put goes,
 * each part measured on its own.
 */

import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { closeSync, openSync, writeSync } from 'node:fs';
import { CountingFs } from '../shared/fs/counting-fs.js';
import type { FileSystem } from '../shared/fs/file-system.js';
import { RealFs } from '../shared/fs/real-fs.js';
import type { DurableKV } from '../shared/kv.js';
import { Random } from '../shared/random.js';
import { Bitcask } from '../solutions/chapter02-storage-engines/bitcask.js';
import { openBTree } from '../solutions/chapter02-storage-engines/btree.js';
import { LsmTree } from '../solutions/chapter02-storage-engines/lsm-tree.js';
import { Memtable } from '../solutions/chapter02-storage-engines/memtable.js';
import { SSTableWriter } from '../solutions/chapter02-storage-engines/sstable.js';
import { WalWriter } from '../solutions/chapter02-storage-engines/wal.js';

interface EngineSpec {
  readonly name: string;
  readonly open: (fs: FileSystem) => DurableKV;
  /** Puts per `batch` call; without it, one `put` call per key. */
  readonly batch?: number;
}

const lsmTree: EngineSpec = { name: 'LSM-tree', open: (fs) => new LsmTree(fs, { dir: 'db' }) };
const engines: EngineSpec[] = [
  { name: 'log + hash index', open: (fs) => new Bitcask(fs, { dir: 'db' }) },
  lsmTree,
  { name: 'LSM-tree, 64 KiB WAL buffer', open: (fs) => new LsmTree(fs, { dir: 'db', walBufferBytes: 64 << 10 }) },
  { name: 'LSM-tree, puts batched 1,000', open: (fs) => new LsmTree(fs, { dir: 'db' }), batch: 1000 },
  { name: 'LSM-tree, 32 MiB block cache', open: (fs) => new LsmTree(fs, { dir: 'db', blockCacheBytes: 32 << 20 }) },
  { name: 'B-tree', open: (fs) => (fs.mkdir('db'), openBTree(fs, 'db')) },
];
/** Rounds: each runs every engine in turn; the tables show the median of the rounds. */
const ROUNDS = 3;

const PUTS = 200_000;
const GETS = 200_000;
const ABSENT = 10_000;
/** Passes over the absent keys, timed together. */
const ABSENT_PASSES = 10;
const KEY_BYTES = 16;
const VALUE_BYTES = 100;
const benchRoot = join(process.cwd(), '.bench-data', 'chapter02');

interface Row {
  readonly engine: string;
  readonly putsPerSecond: number;
  readonly getsPerSecond: number;
  readonly absentPerSecond: number;
  readonly scanPerSecond: number;
  readonly writeAmp?: number;
  readonly readAmp?: number;
  readonly spaceAmp?: number;
  readonly note?: string;
}

function makeWorkload() {
  const random = new Random(2017);
  const keys = Array.from({ length: PUTS }, () => random.bytes(KEY_BYTES));
  const values = Array.from({ length: PUTS }, () => random.bytes(VALUE_BYTES));
  const getOrder = Array.from({ length: GETS }, () => random.int(0, PUTS - 1));
  const absent = Array.from({ length: ABSENT }, () => {
    const k = random.bytes(KEY_BYTES);
    k[0] = 0xff; // absent keys share a first byte…
    k[1] = 0xfe; // …and a second, so a collision with a present key is (almost) impossible
    return k;
  });
  return { keys, values, getOrder, absent };
}

function putOps(w: ReturnType<typeof makeWorkload>, from: number, count: number): Array<{ type: 'put'; key: Uint8Array; value: Uint8Array }> {
  const ops = [];
  for (let j = from; j < Math.min(PUTS, from + count); j++) ops.push({ type: 'put' as const, key: w.keys[j]!, value: w.values[j]! });
  return ops;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    total += st.isDirectory() ? dirBytes(path) : st.size;
  }
  return total;
}

function rate(count: number, startMs: number): number {
  return count / ((performance.now() - startMs) / 1000);
}

function runEngine(spec: EngineSpec, w: ReturnType<typeof makeWorkload>): Row {
  const root = join(benchRoot, spec.name.replace(/[^a-z0-9]+/gi, '-'));
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  const fs = new CountingFs(new RealFs(root));
  const kv = spec.open(fs);
  let t = performance.now();
  if (spec.batch === undefined) {
    for (let i = 0; i < PUTS; i++) kv.put(w.keys[i]!, w.values[i]!);
  } else {
    for (let i = 0; i < PUTS; i += spec.batch) kv.batch(putOps(w, i, spec.batch));
  }
  kv.sync();
  const putsPerSecond = rate(PUTS, t);
  const written = fs.bytesWritten;
  const readsBefore = fs.reads;
  t = performance.now();
  let found = 0;
  for (const i of w.getOrder) if (kv.get(w.keys[i]!) !== undefined) found++;
  const getsPerSecond = rate(GETS, t);
  const readAmp = (fs.reads - readsBefore) / GETS;
  if (found !== GETS) throw new Error(`${spec.name}: ${GETS - found} present keys were not found`);
  t = performance.now();
  for (let pass = 0; pass < ABSENT_PASSES; pass++) {
    for (const k of w.absent) if (kv.get(k) !== undefined) throw new Error(`${spec.name}: an absent key was found`);
  }
  const absentPerSecond = rate(ABSENT * ABSENT_PASSES, t);
  t = performance.now();
  let scanned = 0;
  for (const _ of kv.scan()) scanned++;
  const scanPerSecond = rate(scanned, t);
  kv.close();
  const userBytes = PUTS * (KEY_BYTES + VALUE_BYTES);
  return {
    engine: spec.name,
    putsPerSecond,
    getsPerSecond,
    absentPerSecond,
    scanPerSecond,
    writeAmp: written / userBytes,
    readAmp,
    spaceAmp: dirBytes(root) / userBytes,
  };
}

async function runLevelDb(w: ReturnType<typeof makeWorkload>): Promise<Row> {
  const engine = 'LevelDB (classic-level)';
  let ClassicLevel: typeof import('classic-level').ClassicLevel;
  try {
    ({ ClassicLevel } = await import('classic-level'));
  } catch {
    return { engine, putsPerSecond: NaN, getsPerSecond: NaN, absentPerSecond: NaN, scanPerSecond: NaN, note: 'skipped: classic-level could not be loaded (it is optional)' };
  }
  const root = join(benchRoot, 'leveldb');
  rmSync(root, { recursive: true, force: true });
  const db = new ClassicLevel<Uint8Array, Uint8Array>(root, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  let t = performance.now();
  for (let i = 0; i < PUTS; i += 1000) await db.batch(putOps(w, i, 1000));
  const putsPerSecond = rate(PUTS, t);
  t = performance.now();
  for (const i of w.getOrder) if (db.getSync(w.keys[i]!) === undefined) throw new Error('LevelDB lost a key');
  const getsPerSecond = rate(GETS, t);
  t = performance.now();
  for (let pass = 0; pass < ABSENT_PASSES; pass++) {
    for (const k of w.absent) if (db.getSync(k) !== undefined) throw new Error('LevelDB found an absent key');
  }
  const absentPerSecond = rate(ABSENT * ABSENT_PASSES, t);
  t = performance.now();
  let scanned = 0;
  for await (const _ of db.iterator()) scanned++;
  const scanPerSecond = rate(scanned, t);
  await db.close();
  return { engine, putsPerSecond, getsPerSecond, absentPerSecond, scanPerSecond, spaceAmp: dirBytes(root) / (PUTS * (KEY_BYTES + VALUE_BYTES)), note: 'puts batched 1,000 per write; getSync' };
}

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n) ? '' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** One part of a put's cost, in microseconds per put. */
interface Part {
  readonly part: string;
  readonly micros: number;
}

function freshDir(name: string): string {
  const dir = join(benchRoot, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

function microsPerPut(startMs: number): number {
  return ((performance.now() - startMs) * 1000) / PUTS;
}

/**
 * Where the time of one LSM-tree put goes: each part of the put path run on its own over the
 * workload's keys, on real files. Together they come close to the measured put; what is left is
 * compaction and the engine's own bookkeeping.
 */
function putCostParts(w: ReturnType<typeof makeWorkload>, lsmPutsPerSecond: number): Part[] {
  const parts: Part[] = [];
  // 1. The floor: one write system call of one record's bytes (12-byte frame header + 4-byte
  // count + 1-byte op + two 4-byte lengths + key + value), with no encoding at all.
  const recordBytes = 12 + 4 + 1 + 4 + KEY_BYTES + 4 + VALUE_BYTES;
  const record = new Uint8Array(recordBytes);
  const fd = openSync(join(freshDir('floor'), 'raw.log'), 'w+');
  let t = performance.now();
  for (let i = 0; i < PUTS; i++) writeSync(fd, record, 0, recordBytes, i * recordBytes);
  parts.push({ part: 'one write system call of the record (node:fs writeSync), the floor', micros: microsPerPut(t) });
  closeSync(fd);
  // 2. The whole WAL append: encode, checksum, write.
  const fs = new RealFs(freshDir('parts'));
  const wal = new WalWriter(fs.open('wal.log', 'truncate'), 'none');
  t = performance.now();
  for (let i = 0; i < PUTS; i++) wal.append([{ type: 'put', key: w.keys[i]!, value: w.values[i]! }]);
  parts.push({ part: 'WAL append: encode, checksum, write (includes the floor)', micros: microsPerPut(t) });
  wal.close();
  // 3. Memtable inserts, into memtables of the engine's default 4 MiB.
  const random = new Random(1);
  const memtables = [new Memtable(random)];
  t = performance.now();
  for (let i = 0; i < PUTS; i++) {
    let m = memtables[memtables.length - 1]!;
    if (m.sizeBytes >= 4 << 20) memtables.push((m = new Memtable(random)));
    m.put(w.keys[i]!, w.values[i]!);
  }
  parts.push({ part: 'memtable insert (skip list of up to 4 MiB)', micros: microsPerPut(t) });
  // 4. Flushes: every memtable written as an SSTable (blocks, Bloom filter, index, fsync).
  t = performance.now();
  memtables.forEach((m, n) => {
    const file = fs.open(`${n}.sst`, 'truncate');
    const writer = new SSTableWriter(file);
    for (const e of m.entries()) writer.add(e.key, e.value);
    writer.finish();
    file.close();
  });
  const flush = microsPerPut(t);
  parts.push({ part: 'flush: the same entries written as SSTables', micros: flush });
  const measured = parts.slice(1).reduce((sum, p) => sum + p.micros, 0);
  parts.push({ part: 'compaction and the rest (the put minus the three parts above)', micros: 1e6 / lsmPutsPerSecond - measured });
  return parts;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const workload = makeWorkload();
const rounds: Row[][] = [];
for (let round = 0; round < ROUNDS; round++) {
  const rows = engines.map((spec) => runEngine(spec, workload));
  rows.push(await runLevelDb(workload));
  rounds.push(rows);
}
rmSync(benchRoot, { recursive: true, force: true });

/** The median over the rounds of `pick` applied to row `index`. */
const medianOf = (index: number, pick: (r: Row) => number | undefined): number | undefined => {
  const values = rounds.map((rows) => pick(rows[index]!));
  return values.some((v) => v === undefined) ? undefined : median(values as number[]);
};
const names = rounds[0]!.map((r) => r.engine);
const levelIndex = names.length - 1;
const levelRan = !Number.isNaN(rounds[0]![levelIndex]!.putsPerSecond);

console.log(
  `${PUTS.toLocaleString('en-US')} puts (16-byte keys, 100-byte values), ${GETS.toLocaleString('en-US')} gets, ${ABSENT.toLocaleString('en-US')} absent keys × ${ABSENT_PASSES} gets, 1 scan; real files; medians of ${ROUNDS} rounds\n`,
);
console.log('| engine | puts/s | gets/s | absent gets/s | scan entries/s | write amp | reads/get | space amp | note |');
console.log('|---|--:|--:|--:|--:|--:|--:|--:|---|');
names.forEach((engine, i) => {
  const m = (pick: (r: Row) => number | undefined) => medianOf(i, pick);
  console.log(
    `| ${engine} | ${fmt(m((r) => r.putsPerSecond))} | ${fmt(m((r) => r.getsPerSecond))} | ${fmt(m((r) => r.absentPerSecond))} | ${fmt(m((r) => r.scanPerSecond))} | ${fmt(m((r) => r.writeAmp), 2)} | ${fmt(m((r) => r.readAmp), 2)} | ${fmt(m((r) => r.spaceAmp), 2)} | ${rounds[0]![i]!.note ?? ''} |`,
  );
});

/** Per-round ratios of engine `name`'s `pick` to LevelDB's. */
const ratios = (name: string, pick: (r: Row) => number): number[] =>
  rounds.map((rows) => pick(rows[names.indexOf(name)]!) / pick(rows[levelIndex]!));
if (levelRan) {
  const line = (what: string, goal: number | undefined, values: number[]) =>
    `| ${what} | ${goal === undefined ? '' : `${goal.toFixed(1)}×`} | ${median(values).toFixed(2)}× | ${values.map((v) => v.toFixed(2)).join(', ')} | ${goal === undefined ? '' : median(values) >= goal ? 'met' : 'not met'} |`;
  console.log(`\nLSM-tree ÷ LevelDB (median of the per-round ratios):\n`);
  console.log('| measure | goal | median | rounds | |');
  console.log('|---|--:|--:|---|---|');
  console.log(line('puts, one `put` per key (LevelDB: batched 1,000)', 1.0, ratios(lsmTree.name, (r) => r.putsPerSecond)));
  console.log(line('gets of present keys (LevelDB: `getSync`)', 0.5, ratios(lsmTree.name, (r) => r.getsPerSecond)));
  console.log(line('gets of absent keys (LevelDB: `getSync`)', 1.0, ratios(lsmTree.name, (r) => r.absentPerSecond)));
  console.log(line('like with like: puts batched 1,000 on both sides', undefined, ratios('LSM-tree, puts batched 1,000', (r) => r.putsPerSecond)));
  console.log(line('like with like: present gets, data set in memory on both sides', undefined, ratios('LSM-tree, 32 MiB block cache', (r) => r.getsPerSecond)));
}

const lsmPuts = medianOf(names.indexOf(lsmTree.name), (r) => r.putsPerSecond)!;
const parts = putCostParts(workload, lsmPuts);
const levelPut = levelRan ? `; one LevelDB put, batched: ${fmt(1e6 / medianOf(levelIndex, (r) => r.putsPerSecond)!, 2)} µs` : '';
console.log(`\nWhere one LSM-tree put goes (µs per put, each part measured on its own; the whole put: ${fmt(1e6 / lsmPuts, 2)} µs${levelPut}):\n`);
console.log('| part | µs per put |');
console.log('|---|--:|');
for (const p of parts) console.log(`| ${p.part} | ${fmt(p.micros, 2)} |`);
rmSync(benchRoot, { recursive: true, force: true });
