import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, tools } from '../../scripts/lib.js';

const WHY = 'every replay command the project shows must name a test file and a test that exist';

/** Every text file a learner reads: the READMEs, CONTRIBUTING, and the shared code and scripts. */
function documents(): string[] {
  const out = ['README.md', 'CONTRIBUTING.md'];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(root, dir))) {
      const path = `${dir}/${name}`;
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (/\.(md|ts)$/.test(name)) out.push(path);
    }
  };
  for (const dir of ['chapters', 'shared', 'scripts']) walk(dir);
  return out;
}

interface Example {
  readonly where: string;
  readonly file: string;
  readonly test: string | undefined;
}

/** The concrete replay commands in a text (placeholders such as `<file>` are not examples). */
function examples(where: string, text: string): Example[] {
  const found: Example[] = [];
  for (const match of text.matchAll(/npm run replay -- (\S+\.test\.ts) --seed -?\d+(?: --test "((?:[^"\\]|\\.)*)")?/g)) {
    found.push({ where, file: match[1]!, test: match[2] === undefined ? undefined : (JSON.parse(`"${match[2]}"`) as string) });
  }
  return found;
}

function replay(args: string[]): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [tools.tsx, 'scripts/replay.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

const readmeExample = examples('README.md', readFileSync(join(root, 'README.md'), 'utf8'))[0];

describe('npm run replay replays', () => {
  it('every replay command in the notes, READMEs and code names an existing file and test', () => {
    const all = documents().flatMap((doc) => examples(doc, readFileSync(join(root, doc), 'utf8')));
    expect(all.length, 'the README shows at least one replay command').toBeGreaterThan(0);
    for (const example of all) {
      expect(existsSync(join(root, example.file)), `${example.where}: ${example.file}: ${WHY}`).toBe(true);
      if (example.test === undefined) continue;
      const source = readFileSync(join(root, example.file), 'utf8');
      const quoted = [`'${example.test}'`, `"${example.test}"`, `\`${example.test}\``];
      expect(quoted.some((q) => source.includes(q)), `${example.where}: no test ${JSON.stringify(example.test)} in ${example.file}: ${WHY}`).toBe(true);
    }
  });

  it("the README's example, a test whose name holds regular-expression characters, runs exactly one test", () => {
    expect(readmeExample?.test, 'the README example names a "(property)" test').toMatch(/\(property\)$/);
    const { status, output } = replay([readmeExample!.file, '--seed', '17', '--test', readmeExample!.test!, '--solutions']);
    expect(output, 'replay reports how many tests ran').toContain('replay: 1 test(s) ran with seed 17: 1 passed, 0 failed');
    expect(status, output).toBe(0);
  });

  it('a replay whose test name matches no test fails loudly instead of passing', () => {
    const { status, output } = replay([readmeExample!.file, '--seed', '17', '--test', 'no such test (property)', '--solutions']);
    expect(status, `a replay that ran nothing must fail; it printed:\n${output}`).toBe(1);
    expect(output).toContain('no test named "no such test (property)" ran');
  });
});
