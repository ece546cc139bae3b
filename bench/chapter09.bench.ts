/**
 * `npm run bench -- chapter09`: word count over a generated corpus with the chapter's MapReduce
 * engine (solutions/) on real worker threads and the real disk, against a plain loop.
 *
 * The corpus: at least 50 MB of JSON lines `{"text": …}` in four files, generated from a fixed
 * seed into a temporary directory (removed at the end): lines of 8 to 24 words drawn from a
 * vocabulary of 20,000 made-up words with Zipf-distributed frequencies (exponent 1), so a few
 * words are very common, as in real text.
 *
 * Three ways to count, each run once per round, the three in a rotating order within the round:
 * - the plain loop: one thread reads each file whole, parses every line, counts words in a `Map`,
 *   sorts the words and writes one output file of JSON lines;
 * - the engine with a pool of 1 worker thread, and with 2: 4 MiB splits, 4 reduce partitions, the
 *   default 4 MiB sort buffer, word count's sum as combiner; the output is 4 sorted part files.
 *
 * The pools are started, and warmed with a job over a small file, before anything is timed:
 * the figures leave out the one-off start of the threads (each loads the TypeScript sources,
 * about half a second). Every figure is a median over the rounds, and each ratio the median of
 * the per-round ratios, so that load on the machine during one round slows both sides of that
 * round's ratio. The outputs of the three are checked to be equal (not timed).
 *
 * Goal: 2 workers at least 1.7× as fast as 1 on a two-core machine. The engine's overhead is
 * shown as the plain loop's throughput over one worker's: the cost of splits, the shuffle's
 * sort, spill and merge files, checksums and the commit protocol, paid for parallelism and
 * fault tolerance. Take the timing on an idle machine: with other work on the cores, the
 * second worker has no core of its own.
 *
 * Options (environment): `DDIA_BENCH_MB` (corpus size, default 50; smaller to try the bench
 * quickly), `DDIA_BENCH_ROUNDS` (default 3).
 */

import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RealFs } from '../shared/fs/real-fs.js';
import { Random } from '../shared/random.js';
import { runMapReduce } from '../solutions/chapter09-batch/mapreduce.js';
import { WorkerPoolExecutor } from '../solutions/chapter09-batch/worker-pool.js';
import { words } from '../tests/chapter09-batch/fixtures/jobs.js';

const MB = 1_000_000;
const CORPUS_MB = Number(process.env['DDIA_BENCH_MB'] ?? 50);
const ROUNDS = Number(process.env['DDIA_BENCH_ROUNDS'] ?? 3);
const FILES = 4;
const SEED = 9;
const VOCABULARY = 20_000;
const SPLIT_BYTES = 4 << 20;
const PARTITIONS = 4;
const SPEEDUP_GOAL = 1.7;
// The word count the chapter's tests run, in the module worker threads load it from.
const JOB_MODULE = new URL('../tests/chapter09-batch/fixtures/jobs.ts', import.meta.url).href;

if (!(CORPUS_MB > 0) || !Number.isInteger(ROUNDS) || ROUNDS < 1) {
  throw new Error(`DDIA_BENCH_MB must be a positive number and DDIA_BENCH_ROUNDS a positive integer, got ${CORPUS_MB} and ${ROUNDS}`);
}

const gc = (globalThis as { gc?: () => void }).gc;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[sorted.length >> 1]!;
}

const fmt = (n: number, digits = 1): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

// ---------------------------------------------------------------- the corpus

/** Made-up words from syllables, each distinct; a few with letters outside ASCII. */
function vocabulary(random: Random): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'da', 'fe', 'gu', 'ha', 'jo', 'pi', 'ze', 'ba', 'ché', 'ün', 'ø', 'qua'];
  const seen = new Set<string>();
  while (seen.size < VOCABULARY) {
    let word = '';
    for (let n = random.int(1, 4); n > 0; n--) word += random.pick(syllables);
    seen.add(word);
  }
  return [...seen];
}

/** Writes `bytes` of corpus into `FILES` files under `dir`; returns their names and total size. */
function generateCorpus(dir: string, bytes: number): { files: string[]; bytes: number } {
  const random = new Random(SEED);
  const vocab = vocabulary(random);
  // Zipf: the word of rank r has weight 1/r. Sample by binary search over the cumulative weights.
  const cumulative = new Float64Array(vocab.length);
  let total = 0;
  for (let r = 0; r < vocab.length; r++) cumulative[r] = total += 1 / (r + 1);
  const sample = (): string => {
    const x = random.float() * total;
    let lo = 0;
    let hi = vocab.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return vocab[lo]!;
  };
  const files: string[] = [];
  let written = 0;
  for (let f = 0; f < FILES; f++) {
    const name = `corpus-${f}.jsonl`;
    const fd = openSync(join(dir, name), 'w');
    let fileBytes = 0;
    const target = bytes / FILES;
    while (fileBytes < target) {
      const lines: string[] = [];
      for (let i = 0; i < 2000; i++) {
        const n = random.int(8, 24);
        const ws: string[] = [];
        for (let w = 0; w < n; w++) ws.push(sample());
        lines.push(JSON.stringify({ text: ws.join(random.chance(0.1) ? ', ' : ' ') }));
      }
      const chunk = Buffer.from(lines.join('\n') + '\n', 'utf8');
      writeSync(fd, chunk);
      fileBytes += chunk.length;
    }
    closeSync(fd);
    files.push(`in/${name}`);
    written += fileBytes;
  }
  return { files, bytes: written };
}

// ---------------------------------------------------------------- the three counts

/** The plain loop: read, parse, count, sort, write one file. */
function plainCount(root: string, files: readonly string[], outFile: string): void {
  const counts = new Map<string, number>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      if (end > start) {
        const record = JSON.parse(text.slice(start, end)) as { readonly text: string };
        for (const w of words(record.text)) counts.set(w, (counts.get(w) ?? 0) + 1);
      }
      start = end + 1;
    }
  }
  const keys = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  for (const key of keys) out.push(JSON.stringify({ key, value: counts.get(key)! }));
  const fd = openSync(join(root, outFile), 'w');
  writeSync(fd, out.join('\n') + '\n');
  closeSync(fd);
}

async function engineCount(root: string, pool: WorkerPoolExecutor, files: readonly string[], outputDir: string): Promise<void> {
  await runMapReduce({ fs: new RealFs(root), inputs: files, outputDir, workDir: `${outputDir}-work`, partitions: PARTITIONS, splitBytes: SPLIT_BYTES, executor: pool });
}

/** An output as sorted lines: the part files of a job, or the plain loop's one file. */
function outputLines(root: string, path: string): string[] {
  const full = join(root, path);
  const texts = statSync(full).isDirectory()
    ? readdirSync(full).filter((n) => n.startsWith('part-')).map((n) => readFileSync(join(full, n), 'utf8'))
    : [readFileSync(full, 'utf8')];
  return texts.flatMap((t) => t.split('\n')).filter((l) => l !== '').sort();
}

// ---------------------------------------------------------------- the run

const root = mkdtempSync(join(tmpdir(), 'ddia-bench-ch09-'));
const pools = new Map<number, WorkerPoolExecutor>();
try {
  mkdirSync(join(root, 'in'));
  const corpus = generateCorpus(join(root, 'in'), CORPUS_MB * MB);
  const warmFd = openSync(join(root, 'in', 'warm.jsonl'), 'w');
  writeSync(warmFd, Array.from({ length: 5000 }, (_, i) => JSON.stringify({ text: `warm up the worker ${i}` })).join('\n') + '\n');
  closeSync(warmFd);
  for (const workers of [1, 2]) {
    const pool = new WorkerPoolExecutor({ root, jobModule: JOB_MODULE, jobExport: 'wordCount', workers });
    pools.set(workers, pool);
    await engineCount(root, pool, ['in/warm.jsonl'], `warm-${workers}`);
  }

  type Kind = 'plain' | 'engine-1' | 'engine-2';
  const kinds: Kind[] = ['plain', 'engine-1', 'engine-2'];
  const seconds: Record<Kind, number[]> = { plain: [], 'engine-1': [], 'engine-2': [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = kinds.map((_, i) => kinds[(i + round) % kinds.length]!);
    for (const kind of order) {
      const out = `out-${round}-${kind}`;
      gc?.();
      const start = performance.now();
      if (kind === 'plain') plainCount(root, corpus.files, out);
      else await engineCount(root, pools.get(kind === 'engine-1' ? 1 : 2)!, corpus.files, out);
      seconds[kind].push((performance.now() - start) / 1000);
    }
    if (round === 0) {
      const expected = outputLines(root, `out-0-plain`).join('\n');
      for (const kind of ['engine-1', 'engine-2'] as const) {
        if (outputLines(root, `out-0-${kind}`).join('\n') !== expected) throw new Error(`the ${kind} output differs from the plain loop's`);
      }
    }
    for (const kind of kinds) rmSync(join(root, `out-${round}-${kind}`), { recursive: true, force: true });
  }

  const mbps = (kind: Kind): number[] => seconds[kind].map((s) => corpus.bytes / MB / s);
  const perRound = (a: Kind, b: Kind): number[] => seconds[b].map((s, i) => s / seconds[a][i]!);
  const line = (what: string, values: number[]) => `| ${what} | ${fmt(median(values))} | ${values.map((v) => fmt(v)).join(', ')} |`;

  console.log(
    `word count over ${fmt(corpus.bytes / MB)} MB of JSON lines (${FILES} files, seed ${SEED}); ${ROUNDS} rounds; ` +
      `${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end; Node ${process.version}\n`,
  );
  console.log('| run | MB/s (median) | rounds |');
  console.log('|---|--:|---|');
  console.log(line('plain loop, one thread', mbps('plain')));
  console.log(line(`MapReduce, 1 worker (${PARTITIONS} partitions, 4 MiB splits)`, mbps('engine-1')));
  console.log(line(`MapReduce, 2 workers (${PARTITIONS} partitions, 4 MiB splits)`, mbps('engine-2')));

  const speedup = perRound('engine-2', 'engine-1');
  const overhead = perRound('plain', 'engine-1');
  console.log('\nRatios (median of the per-round ratios):\n');
  console.log('| measure | goal | median | rounds | |');
  console.log('|---|--:|--:|---|---|');
  console.log(`| speedup: 2 workers ÷ 1 worker | ${SPEEDUP_GOAL.toFixed(1)}× | ${fmt(median(speedup), 2)}× | ${speedup.map((v) => fmt(v, 2)).join(', ')} | ${median(speedup) >= SPEEDUP_GOAL ? 'met' : 'not met'} |`);
  console.log(`| engine overhead: plain loop ÷ 1 worker | | ${fmt(median(overhead), 2)}× | ${overhead.map((v) => fmt(v, 2)).join(', ')} | |`);
  if (availableParallelism() < 2) console.log('\nThis machine has one core: the speedup goal cannot be met here.');
} finally {
  for (const pool of pools.values()) await pool.close();
  rmSync(root, { recursive: true, force: true });
}
