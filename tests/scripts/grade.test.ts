import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, tools } from '../../scripts/lib.js';
import { runIn } from './support/temp-repo.js';

const CH01 = 'chapter01-data-models';
const CH03 = 'chapter03-encoding';

/** A scratch folder for one describe's students, removed after its tests. */
function studentsFolder(): (name: string) => string {
  const dir = mkdtempSync(join(tmpdir(), 'ddia-grade-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name) => {
    cpSync(join(root, 'chapters'), join(dir, name, 'chapters'), { recursive: true });
    return join(dir, name);
  };
}

const solve = (student: string, chapter: string) => {
  for (const file of readdirSync(join(root, 'solutions', chapter))) cpSync(join(root, 'solutions', chapter, file), join(student, 'chapters', chapter, file));
};

describe('npm run grade', () => {
  const student = studentsFolder();
  const untouched = student('untouched');
  const dir = join(untouched, '..');
  const solved = student('solved');
  solve(solved, CH01);
  // A student who made the first test pass by editing it, and changed the shared helpers too.
  const cheat = student('edited-tests');
  cpSync(join(root, 'tests'), join(cheat, 'tests'), { recursive: true });
  cpSync(join(root, 'shared'), join(cheat, 'shared'), { recursive: true });
  writeFileSync(
    join(cheat, 'tests', CH01, '01-schema.test.ts'),
    "import { describe, expect, it } from 'vitest';\ndescribe('exercise 1.1: schemas, checked on write', () => {\n  it('a valid row comes back with exactly the schema columns, in schema order', () => {\n    expect(1).toBe(1);\n  });\n});\n",
  );
  const out = join(dir, 'out');
  const run = runIn(root, tools.tsx, ['scripts/grade.ts', untouched, solved, cheat, '--chapters', 'chapter01', '--out', out]);

  it('says that student code runs with the permissions of whoever grades', () => {
    expect(run.status, run.output).toBe(0);
    expect(run.stdout).toContain('Student code runs with your permissions');
    expect(readFileSync(join(out, 'grades.md'), 'utf8')).toContain('Student code runs with your permissions');
  });

  it("scores each student's chapters/ with the teacher's tests: untouched 0, solved all, an edited test does not help", () => {
    const csv = readFileSync(join(out, 'grades.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('student,chapter,exercise,title,passed,total,status');
    // student, chapter, exercise first and passed, total, status last; a title may hold commas.
    const rows = csv.slice(1).map((line) => {
      const f = line.split(',');
      return [f[0], f[1], f[2], '', ...f.slice(-3)];
    });
    const of = (name: string) => rows.filter((r) => r[0] === name);
    expect(of('untouched').length, 'one row per exercise of chapter 01').toBe(15);
    expect(of('untouched').every((r) => r[4] === '0' && Number(r[5]) > 0 && r[6] === 'ok')).toBe(true);
    expect(of('solved').every((r) => r[4] === r[5] && Number(r[5]) > 0), 'the reference passes every test').toBe(true);
    expect(of('edited-tests').map((r) => r[4]), "the student's copy of tests/ is never run").toEqual(of('untouched').map((r) => r[4]));
    const total = of('solved').reduce((n, r) => n + Number(r[5]), 0);
    expect(run.stdout).toContain(`| untouched | 0/${total} |`);
    expect(run.stdout).toContain(`| solved | ${total}/${total} |`);
    expect(run.stdout).toContain(`| edited-tests | 0/${total} |`);
  });

  it('writes the same scoreboard as JSON, student x chapter x exercise', () => {
    const json = JSON.parse(readFileSync(join(out, 'grades.json'), 'utf8')) as {
      students: string[];
      rows: Array<{ student: string; chapter: string; exercise: string; passed: number; total: number }>;
    };
    expect(json.students).toEqual(['untouched', 'solved', 'edited-tests']);
    const solved = json.rows.find((r) => r.student === 'solved' && r.exercise === '1.1');
    expect(solved, 'a row for exercise 1.1 of the solved student').toMatchObject({ chapter: CH01 });
    expect(solved!.total, 'exercise 1.1 has tests').toBeGreaterThan(0);
    expect(solved!.passed, 'the reference passes every test of 1.1').toBe(solved!.total);
  });
});

describe('npm run grade --timeout', () => {
  const student = studentsFolder();
  // Exercise 1.1 never returns: it blocks its thread for good, as an endless loop would, and no
  // test's own time limit can stop it. (Atomics.wait rather than a busy loop: the grader's kill
  // is the same, and the wait costs no CPU while the rest of the suite runs.)
  const looping = student('loops-forever');
  const schema = join(looping, 'chapters', CH01, 'schema.ts');
  const stub = 'export function validateSchema(schema: TableSchema): void {\n  throw new NotImplementedError(EXERCISE);';
  const source = readFileSync(schema, 'utf8');
  writeFileSync(schema, source.replace(stub, 'export function validateSchema(schema: TableSchema): void {\n  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);'));
  // Chapter 03 solved and graded after the chapter that hangs.
  solve(looping, CH03);
  const out = join(looping, '..', 'out');
  // Chapter 03 against solutions/ takes about 3 s; 10 s leaves room on a busy machine.
  const run = runIn(root, tools.tsx, ['scripts/grade.ts', looping, '--chapters', 'chapter01,chapter03', '--timeout', '10', '--out', out]);
  const rows = () =>
    (JSON.parse(readFileSync(join(out, 'grades.json'), 'utf8')) as { rows: Array<{ chapter: string; exercise: string; passed: number; total: number; status: string }> }).rows;

  it('the fixture student loops forever in exercise 1.1', () => {
    expect(source, 'the starter of exercise 1.1 still has the stub this test replaces').toContain(stub);
  });

  it('marks a chapter that runs over the limit as timed out, 0 of all its tests', () => {
    expect(run.status, run.output).toBe(0);
    const ch01 = rows().filter((r) => r.chapter === CH01);
    expect(ch01.length, 'one row per exercise of chapter 01').toBe(15);
    expect(ch01.every((r) => r.status === 'timeout' && r.passed === 0 && r.total > 0), JSON.stringify(ch01)).toBe(true);
    const total = ch01.reduce((n, r) => n + r.total, 0);
    expect(run.stdout).toContain(`| loops-forever | 0/${total} (timeout) |`);
  });

  it('still grades the chapters after the one that timed out', () => {
    const ch03 = rows().filter((r) => r.chapter === CH03);
    expect(ch03.length, 'rows for chapter 03').toBeGreaterThan(0);
    expect(ch03.every((r) => r.status === 'ok'), JSON.stringify(ch03)).toBe(true);
    // The numbered exercises pass; the cumulative test also needs chapter 02, left unsolved.
    const numbered = ch03.filter((r) => /^3\.\d+$/.test(r.exercise));
    expect(numbered.length, 'rows for exercises 3.1, 3.2, ...').toBeGreaterThan(0);
    expect(numbered.every((r) => r.passed === r.total && r.total > 0), JSON.stringify(numbered)).toBe(true);
    const passed = ch03.reduce((n, r) => n + r.passed, 0);
    const total = ch03.reduce((n, r) => n + r.total, 0);
    const ch01 = rows().filter((r) => r.chapter === CH01).reduce((n, r) => n + r.total, 0);
    expect(run.stdout).toContain(`| loops-forever | 0/${ch01} (timeout) | ${passed}/${total} |`);
  });
});
