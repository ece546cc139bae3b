import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, tools } from '../../scripts/lib.js';
import { runIn } from './support/temp-repo.js';

const CH01 = 'chapter01-data-models';

describe('npm run grade', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ddia-grade-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const student = (name: string) => {
    cpSync(join(root, 'chapters'), join(dir, name, 'chapters'), { recursive: true });
    return join(dir, name);
  };
  const untouched = student('untouched');
  const solved = student('solved');
  for (const file of readdirSync(join(root, 'solutions', CH01))) cpSync(join(root, 'solutions', CH01, file), join(solved, 'chapters', CH01, file));
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
