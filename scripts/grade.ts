/**
 * `npm run grade -- <student folder>... [--chapters chapter01,chapter02] [--timeout 180] [--out DIR]`
 *
 * For teachers: runs the teacher's own tests on each student's `chapters/` and writes a
 * scoreboard, student x chapter x exercise, tests passed of total, as Markdown (also printed),
 * CSV and JSON.
 *
 * - Only the student's `chapters/` is used. It is copied into a scratch copy of this repository
 *   (the teacher's pristine `tests/`, `shared/`, `scripts/` and configuration; `node_modules`
 *   linked), so an edited test or helper in the student's folder changes nothing.
 * - Each chapter runs in its own vitest process with a time limit (`--timeout`, seconds); a
 *   chapter that runs over is killed and scores 0, marked `timeout`.
 * - The totals come from a run of the same tests against `solutions/`, so a student's test file
 *   that fails to load still counts all of its tests as failed.
 *
 * Student code runs with the permissions of whoever runs this command: it can read and write
 * your files and use the network. Grade in a container or an account with nothing to lose.
 */

import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { groupByExercise, recordsFromJson, type TestRecord, type VitestJsonReport } from './exercises.js';
import { root, tools } from './lib.js';
import { copyFiles, linkNodeModules, repositoryFiles } from './repo-files.js';
import { chapterFolders, findChapter, main, UsageError } from './workshop.js';

const usage = 'usage: npm run grade -- <student folder>... [--chapters chapter01,chapter02] [--timeout SECONDS] [--out DIR]';
const PERMISSIONS_WARNING =
  "Student code runs with your permissions: it can read and write your files and use the network. Grade in a container or an account with nothing to lose.";

interface Options {
  students: string[];
  chapters: string[];
  timeoutSeconds: number;
  out: string;
}

function parse(argv: readonly string[]): Options {
  const students: string[] = [];
  let chapters = chapterFolders();
  let timeoutSeconds = 180;
  let out = join(root, '.workshop', 'grades');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value; ${usage}`);
      return v;
    };
    if (a === '--chapters') chapters = value().split(',').map((c) => findChapter(c.trim()));
    else if (a === '--timeout') timeoutSeconds = Number(value());
    else if (a === '--out') out = resolve(value());
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}; ${usage}`);
    else students.push(resolve(a));
  }
  if (students.length === 0) throw new UsageError(usage);
  if (!(timeoutSeconds > 0)) throw new UsageError('--timeout takes a number of seconds above 0');
  for (const s of students) if (!existsSync(join(s, 'chapters'))) throw new UsageError(`${s} has no chapters/ folder`);
  return { students, chapters, timeoutSeconds, out };
}

type RunStatus = 'ok' | 'timeout' | 'error';

/** One vitest run of one chapter in `dir`, killed after `seconds`. */
function runChapter(dir: string, chapter: string, seconds: number, env: Record<string, string | undefined>): Promise<{ status: RunStatus; records: TestRecord[] }> {
  const report = join(dir, '.vitest-results', `grade-${chapter}.json`);
  rmSync(report, { force: true });
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  return new Promise((done) => {
    const child = spawn(process.execPath, [tools.vitest, 'run', `tests/${chapter}/`, '--reporter=json', `--outputFile.json=${report}`], {
      cwd: dir,
      env: childEnv,
      stdio: 'ignore',
      // Its own process group on POSIX, so a timeout can stop vitest's workers too.
      detached: process.platform !== 'win32',
    });
    let timedOut = false;
    const kill = () => {
      if (child.pid === undefined) return;
      if (process.platform === 'win32') spawn('taskkill', ['/pid', String(child.pid), '/T', '/F']);
      else {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, seconds * 1000);
    process.once('SIGINT', kill);
    child.on('close', () => {
      clearTimeout(timer);
      process.removeListener('SIGINT', kill);
      if (timedOut) return done({ status: 'timeout', records: [] });
      if (!existsSync(report)) return done({ status: 'error', records: [] });
      const json = JSON.parse(readFileSync(report, 'utf8')) as VitestJsonReport;
      done({ status: 'ok', records: recordsFromJson(json, dir) });
    });
  });
}

interface Row {
  student: string;
  chapter: string;
  exercise: string;
  title: string;
  passed: number;
  total: number;
  status: RunStatus;
}

const key = (r: TestRecord) => `${r.file} > ${[...r.suite, r.name].join(' > ')}`;

async function grade(options: Options): Promise<number> {
  console.log(`grade: ${PERMISSIONS_WARNING}\n`);
  const scratch = mkdtempSync(join(tmpdir(), 'ddia-grade-'));
  try {
    // The teacher's repository without chapters/ (each student's goes there) and bench/.
    copyFiles(root, scratch, repositoryFiles(root).filter((f) => !/^(chapters|bench)\//.test(f)));
    linkNodeModules(scratch, join(root, 'node_modules'));

    // The reference: which tests each chapter has, from a run against solutions/ (in the same
    // copy, so that both load one copy of shared/). Then solutions/ goes before student code runs.
    const reference = new Map<string, TestRecord[]>();
    const solutions = join(scratch, 'solutions');
    for (const chapter of options.chapters) {
      if (!existsSync(solutions)) break;
      const run = await runChapter(scratch, chapter, Math.max(options.timeoutSeconds, 600), { DDIA_IMPL_ROOT: solutions });
      const failing = run.records.filter((r) => r.state === 'failed').length;
      if (run.status !== 'ok' || failing > 0) console.warn(`grade: warning: ${chapter} against solutions/: ${run.status}, ${failing} failing`);
      reference.set(chapter, run.records);
    }
    rmSync(solutions, { recursive: true, force: true });

    const rows: Row[] = [];
    const names = uniqueNames(options.students);
    for (const [i, student] of options.students.entries()) {
      const started = performance.now();
      rmSync(join(scratch, 'chapters'), { recursive: true, force: true });
      cpSync(join(student, 'chapters'), join(scratch, 'chapters'), { recursive: true, filter: (src) => basename(src) !== 'node_modules' });
      const summary: string[] = [];
      for (const chapter of options.chapters) {
        const run = await runChapter(scratch, chapter, options.timeoutSeconds, { DDIA_IMPL_ROOT: undefined });
        const passed = new Set(run.records.filter((r) => r.state === 'passed').map(key));
        const expected = reference.get(chapter) ?? run.records;
        const exercises = groupByExercise(expected).get(chapter) ?? [];
        let sum = 0;
        let of = 0;
        for (const e of exercises) {
          const p = e.tests.filter((t) => passed.has(key(t))).length;
          sum += p;
          of += e.tests.length;
          rows.push({ student: names[i]!, chapter, exercise: e.id, title: e.title, passed: p, total: e.tests.length, status: run.status });
        }
        summary.push(`${chapter.slice(0, 9)} ${sum}/${of}${run.status === 'ok' ? '' : ` (${run.status})`}`);
      }
      console.log(`graded ${names[i]} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${summary.join(', ')}`);
    }
    write(options, rows, names);
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Folder names, made unique with a number where two students' folders share one. */
function uniqueNames(folders: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return folders.map((f) => {
    const name = basename(f);
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}-${n}`;
  });
}

function write(options: Options, rows: readonly Row[], students: readonly string[]): void {
  const cell = (student: string, chapter: string) => {
    const mine = rows.filter((r) => r.student === student && r.chapter === chapter);
    const status = mine[0]?.status ?? 'error';
    const text = `${mine.reduce((n, r) => n + r.passed, 0)}/${mine.reduce((n, r) => n + r.total, 0)}`;
    return status === 'ok' ? text : `${text} (${status})`;
  };
  const md: string[] = ['# Scoreboard', '', PERMISSIONS_WARNING, '', '| student | ' + options.chapters.map((c) => c.slice(0, 9)).join(' | ') + ' |'];
  md.push('|---|' + options.chapters.map(() => '--:|').join(''));
  for (const s of students) md.push(`| ${s} | ${options.chapters.map((c) => cell(s, c)).join(' | ')} |`);
  for (const chapter of options.chapters) {
    md.push('', `## ${chapter}`, '', `| exercise | ${students.join(' | ')} |`, '|---|' + students.map(() => '--:|').join(''));
    const ids = [...new Set(rows.filter((r) => r.chapter === chapter).map((r) => r.exercise))];
    for (const id of ids) {
      const of = rows.filter((r) => r.chapter === chapter && r.exercise === id);
      const label = /^\d+\.\d+$/.test(id) ? `${id} ${of[0]!.title}` : id;
      md.push(`| ${label.replace(/\|/g, '\\|')} | ${students.map((s) => of.find((r) => r.student === s)).map((r) => (r ? `${r.passed}/${r.total}` : '')).join(' | ')} |`);
    }
  }
  const csvField = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const csv = ['student,chapter,exercise,title,passed,total,status', ...rows.map((r) => [r.student, r.chapter, r.exercise, r.title, r.passed, r.total, r.status].map(csvField).join(','))];
  mkdirSync(options.out, { recursive: true });
  writeFileSync(join(options.out, 'grades.md'), md.join('\n') + '\n');
  writeFileSync(join(options.out, 'grades.csv'), csv.join('\n') + '\n');
  writeFileSync(join(options.out, 'grades.json'), JSON.stringify({ warning: PERMISSIONS_WARNING, chapters: options.chapters, students, rows }, null, 2) + '\n');
  console.log('\n' + md.join('\n'));
  console.log(`\nWrote ${['grades.md', 'grades.csv', 'grades.json'].map((f) => join(options.out, f)).join(', ')}`);
}

main('grade', () => {
  const options = parse(process.argv.slice(2));
  void grade(options).then((code) => {
    process.exitCode = code;
  });
});
