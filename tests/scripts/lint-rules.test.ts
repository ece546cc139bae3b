import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { root } from '../../scripts/lib.js';

const FIXTURES = join(root, 'tests', 'scripts', 'fixtures', 'determinism');
const RULES = ['no-restricted-globals', 'no-restricted-properties', 'no-restricted-imports'];

/** What each fixture must be flagged for; `clean.ts` must not be flagged at all. */
const expected: Record<string, string> = {
  'crypto-named-import.ts': 'no-restricted-imports',
  'crypto-namespace-import.ts': 'no-restricted-imports',
  'crypto-default-import.ts': 'no-restricted-imports',
  'crypto-global.ts': 'no-restricted-properties',
  'date-without-new.ts': 'no-restricted-globals',
  'new-date.ts': 'no-restricted-globals',
  'date-now-alias.ts': 'no-restricted-properties',
  'date-alias.ts': 'no-restricted-globals',
  'optional-timer.ts': 'no-restricted-globals',
  'global-this-timer.ts': 'no-restricted-properties',
  'timers-promises.ts': 'no-restricted-imports',
  'performance-now.ts': 'no-restricted-globals',
  'perf-hooks-import.ts': 'no-restricted-imports',
  'hrtime.ts': 'no-restricted-properties',
  'comment-opener-in-string.ts': 'no-restricted-properties',
};

describe('npm run lint keeps code deterministic', async () => {
  const eslint = new ESLint({ cwd: root });
  const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.ts')).sort();
  // Each fixture is linted as if it were a file of solutions/, where the rules apply.
  const results = new Map<string, string[]>();
  for (const fixture of fixtures) {
    const [result] = await eslint.lintText(readFileSync(join(FIXTURES, fixture), 'utf8'), {
      filePath: join(root, 'solutions', 'lint-fixture', fixture),
    });
    results.set(fixture, (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`));
  }

  it('every fixture has an expected verdict, and every verdict a fixture', () => {
    expect(fixtures.filter((f) => f !== 'clean.ts').sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(Object.entries(expected))('%s is flagged by %s', (fixture, rule) => {
    const fired = results.get(fixture) ?? [];
    expect(fired, `the determinism rules must flag ${fixture} (CONTRIBUTING.md, "Code"); ESLint reported ${JSON.stringify(fired)}`).toContain(rule);
  });

  it('clean code that names the forbidden calls only in strings and comments passes', () => {
    expect(results.get('clean.ts')?.filter((r) => RULES.includes(r) || r.startsWith('fatal'))).toEqual([]);
  });

  it('benchmarks and scripts may time things: the rules do not apply there', async () => {
    const [result] = await eslint.lintText(readFileSync(join(FIXTURES, 'performance-now.ts'), 'utf8'), {
      filePath: join(root, 'bench', 'lint-fixture.ts'),
    });
    expect(result?.messages.map((m) => m.ruleId)).toEqual([]);
  });
});
