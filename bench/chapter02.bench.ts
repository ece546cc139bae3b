/**
 * `npm run bench -- chapter02`: the key-value engines of chapter 02 on one workload, on real files.
 *
 * Workload: 200,000 puts of random 16-byte keys with 100-byte values, then 200,000 gets of
 * present keys in random order, 10,000 gets of absent keys, and one full scan.
 *
 * Columns:
 * - ops/s of each phase (the scan in entries per second);
 * - write amplification: bytes the engine wrote to files / bytes of keys and values put;
 * - read amplification: file reads per get of a present key (a block-cache hit reads nothing);
 * - space amplification: bytes of the engine's files at the end / bytes of the live keys and
 *   values.
 *
 * The reference engines run with their default options (sync policy `'none'`: every write goes
 * to the log before the call returns, fsync only in `sync()` and `close()`). LevelDB (through the
 * classic-level package, an optional dependency) is the anchor row: its puts are batched 1,000
 * per write and its reads use `getSync`; its amplification columns are left empty because its
 * I/O does not go through our FileSystem. To add an engine, add one line to `engines`.
 */

import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FileHandle, FileSystem, OpenMode } from '../shared/fs/file-system.js';
import { RealFs } from '../shared/fs/real-fs.js';
import type { DurableKV } from '../shared/kv.js';
import { Random } from '../shared/random.js';
import { Bitcask } from '../solutions/chapter02-storage-engines/bitcask.js';
import { openBTree } from '../solutions/chapter02-storage-engines/btree.js';
import { LsmTree } from '../solutions/chapter02-storage-engines/lsm-tree.js';

interface EngineSpec {
  readonly name: string;
  readonly open: (fs: FileSystem) => DurableKV;
}

const engines: EngineSpec[] = [
  { name: 'log + hash index', open: (fs) => new Bitcask(fs, { dir: 'db' }) },
  { name: 'LSM-tree', open: (fs) => new LsmTree(fs, { dir: 'db' }) },
  { name: 'LSM-tree, 64 KiB WAL buffer', open: (fs) => new LsmTree(fs, { dir: 'db', walBufferBytes: 64 << 10 }) },
  { name: 'B-tree', open: (fs) => (fs.mkdir('db'), openBTree(fs, 'db')) },
];

const PUTS = 200_000;
const GETS = 200_000;
const ABSENT = 10_000;
const KEY_BYTES = 16;
const VALUE_BYTES = 100;
const benchRoot = join(process.cwd(), '.bench-data', 'chapter02');

/** Counts the I/O an engine does through its FileSystem. */
class CountingFs implements FileSystem {
  bytesWritten = 0;
  bytesRead = 0;
  reads = 0;
  constructor(private readonly inner: FileSystem) {}
  open(path: string, mode: OpenMode): FileHandle {
    const h = this.inner.open(path, mode);
    const fs = this; // eslint-style alias: the handle reports to this counter
    return {
      path: h.path,
      size: () => h.size(),
      read: (offset, length) => {
        const out = h.read(offset, length);
        fs.reads++;
        fs.bytesRead += out.length;
        return out;
      },
      write: (offset, data) => {
        fs.bytesWritten += data.length;
        h.write(offset, data);
      },
      append: (data) => {
        fs.bytesWritten += data.length;
        return h.append(data);
      },
      truncate: (size) => h.truncate(size),
      sync: () => h.sync(),
      close: () => h.close(),
    };
  }
  exists(path: string): boolean {
    return this.inner.exists(path);
  }
  list(path: string): string[] {
    return this.inner.list(path);
  }
  mkdir(path: string): void {
    this.inner.mkdir(path);
  }
  rename(from: string, to: string): void {
    this.inner.rename(from, to);
  }
  remove(path: string): void {
    this.inner.remove(path);
  }
  syncDir(path: string): void {
    this.inner.syncDir(path);
  }
}

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
  for (let i = 0; i < PUTS; i++) kv.put(w.keys[i]!, w.values[i]!);
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
  for (const k of w.absent) if (kv.get(k) !== undefined) throw new Error(`${spec.name}: an absent key was found`);
  const absentPerSecond = rate(ABSENT, t);
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
  for (let i = 0; i < PUTS; i += 1000) {
    const ops = [];
    for (let j = i; j < Math.min(PUTS, i + 1000); j++) ops.push({ type: 'put' as const, key: w.keys[j]!, value: w.values[j]! });
    await db.batch(ops);
  }
  const putsPerSecond = rate(PUTS, t);
  t = performance.now();
  for (const i of w.getOrder) if (db.getSync(w.keys[i]!) === undefined) throw new Error('LevelDB lost a key');
  const getsPerSecond = rate(GETS, t);
  t = performance.now();
  for (const k of w.absent) if (db.getSync(k) !== undefined) throw new Error('LevelDB found an absent key');
  const absentPerSecond = rate(ABSENT, t);
  t = performance.now();
  let scanned = 0;
  for await (const _ of db.iterator()) scanned++;
  const scanPerSecond = rate(scanned, t);
  await db.close();
  return { engine, putsPerSecond, getsPerSecond, absentPerSecond, scanPerSecond, spaceAmp: dirBytes(root) / (PUTS * (KEY_BYTES + VALUE_BYTES)), note: 'puts batched 1,000 per write; getSync' };
}

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n) ? '' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const workload = makeWorkload();
const rows: Row[] = [];
for (const spec of engines) rows.push(runEngine(spec, workload));
rows.push(await runLevelDb(workload));
rmSync(benchRoot, { recursive: true, force: true });

console.log(`${PUTS.toLocaleString('en-US')} puts (16-byte keys, 100-byte values), ${GETS.toLocaleString('en-US')} gets, ${ABSENT.toLocaleString('en-US')} absent gets, 1 scan; real files\n`);
console.log('| engine | puts/s | gets/s | absent gets/s | scan entries/s | write amp | reads/get | space amp | note |');
console.log('|---|--:|--:|--:|--:|--:|--:|--:|---|');
for (const r of rows) {
  console.log(
    `| ${r.engine} | ${fmt(r.putsPerSecond)} | ${fmt(r.getsPerSecond)} | ${fmt(r.absentPerSecond)} | ${fmt(r.scanPerSecond)} | ${fmt(r.writeAmp, 2)} | ${fmt(r.readAmp, 2)} | ${fmt(r.spaceAmp, 2)} | ${r.note ?? ''} |`,
  );
}
const level = rows.find((r) => r.engine.startsWith('LevelDB'));
if (level && !Number.isNaN(level.putsPerSecond)) {
  console.log('\nLSM-tree vs LevelDB (goals: puts >= 1.0x batched, present gets >= 0.5x getSync, absent gets >= 1.0x):');
  for (const lsm of rows.filter((r) => r.engine.startsWith('LSM-tree'))) {
    const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    console.log(`  ${lsm.engine}: puts ${x(lsm.putsPerSecond, level.putsPerSecond)}, gets ${x(lsm.getsPerSecond, level.getsPerSecond)}, absent gets ${x(lsm.absentPerSecond, level.absentPerSecond)}`);
  }
}
