/**
 * The determinism rules of `eslint.config.js`, proved on fixtures.
 *
 * Each file in `fixtures/determinism/` breaks one rule on purpose (`clean.ts` breaks none). The
 * project's own lint run ignores that folder; here each fixture is linted with the project's
 * configuration as if it were a file in `solutions/`, where the determinism rules apply.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(root, 'tests', 'scripts', 'fixtures', 'determinism');
const SECTION = 'CONTRIBUTING.md, Code';

// What each message must point to instead of the forbidden thing.
const random = /seeded Random \(shared\/random\.ts/;
const virtualTime = /virtual time: ctx\.now\(\)/;
const virtualTimers = /ctx\.setTimer .* sim\.at \/ sim\.after/;
const bench = /Timing belongs in bench\//;
const importStatically = /import it statically/;

/** Fixture file name: the one rule it must trip, and what the message must teach. */
const expected: Record<string, { readonly rule: string; readonly teaches: RegExp }> = {
  'crypto-named-import.ts': { rule: 'no-restricted-imports', teaches: random },
  'crypto-default-import.ts': { rule: 'no-restricted-imports', teaches: random },
  'crypto-namespace-import.ts': { rule: 'no-restricted-imports', teaches: random },
  'crypto-reexport.ts': { rule: 'no-restricted-imports', teaches: random },
  'crypto-global-random.ts': { rule: 'no-restricted-properties', teaches: random },
  'math-random.ts': { rule: 'no-restricted-properties', teaches: random },
  'comment-opener-in-string.ts': { rule: 'no-restricted-properties', teaches: random },
  'date-now-call.ts': { rule: 'no-restricted-properties', teaches: virtualTime },
  'date-now-alias.ts': { rule: 'no-restricted-properties', teaches: virtualTime },
  'date-now-destructured.ts': { rule: 'no-restricted-properties', teaches: virtualTime },
  'global-this-date.ts': { rule: 'no-restricted-properties', teaches: virtualTime },
  'date-call-without-new.ts': { rule: 'no-restricted-syntax', teaches: virtualTime },
  'new-date.ts': { rule: 'no-restricted-syntax', teaches: virtualTime },
  'date-as-value.ts': { rule: 'no-restricted-syntax', teaches: virtualTime },
  'set-timeout-optional-call.ts': { rule: 'no-restricted-globals', teaches: virtualTimers },
  'set-timeout-global-this.ts': { rule: 'no-restricted-globals', teaches: virtualTimers },
  'set-timeout-alias.ts': { rule: 'no-restricted-globals', teaches: virtualTimers },
  'set-interval.ts': { rule: 'no-restricted-globals', teaches: virtualTimers },
  'set-immediate.ts': { rule: 'no-restricted-globals', teaches: virtualTimers },
  'timers-import.ts': { rule: 'no-restricted-imports', teaches: virtualTimers },
  'timers-promises-import.ts': { rule: 'no-restricted-imports', teaches: virtualTimers },
  'atomics-wait.ts': { rule: 'no-restricted-properties', teaches: virtualTimers },
  'performance-now.ts': { rule: 'no-restricted-globals', teaches: bench },
  'perf-hooks-import.ts': { rule: 'no-restricted-imports', teaches: bench },
  'process-hrtime.ts': { rule: 'no-restricted-properties', teaches: bench },
  'process-hrtime-import.ts': { rule: 'no-restricted-imports', teaches: bench },
  'dynamic-import.ts': { rule: 'no-restricted-syntax', teaches: importStatically },
  'builtin-module.ts': { rule: 'no-restricted-properties', teaches: /Import the module instead/ },
};

// One ESLint instance for every fixture: loading the configuration is most of the cost.
const eslint = new ESLint({ cwd: root });

function source(fixture: string): string {
  return readFileSync(join(fixtures, fixture), 'utf8');
}

/** Lints `fixture`'s text as if it were the file `path` (relative to the repository root). */
async function lintAs(fixture: string, path: string): Promise<ESLint.LintResult> {
  const [result] = await eslint.lintText(source(fixture), { filePath: join(root, path) });
  if (result === undefined) throw new Error(`ESLint returned no result for ${path}`);
  return result;
}

const describeMessages = (result: ESLint.LintResult): string =>
  result.messages.map((m) => `${m.line}:${m.column} ${m.ruleId ?? '(no rule)'}: ${m.message}`).join('\n') || 'no messages';

describe('determinism lint rules', () => {
  it('every fixture has an expectation and every expectation a fixture', () => {
    const files = readdirSync(fixtures)
      .filter((name) => name.endsWith('.ts'))
      .sort();
    expect(files, because('each fixture in the folder is checked by this test', SECTION)).toEqual(
      [...Object.keys(expected), 'clean.ts'].sort(),
    );
  });

  it.each(Object.entries(expected))('%s is flagged, with a message saying what to use instead', async (fixture, { rule, teaches }) => {
    const result = await lintAs(fixture, `solutions/${fixture}`);
    expect(result.messages.length, because(`${fixture} breaks ${rule}; ESLint said: ${describeMessages(result)}`, SECTION)).toBeGreaterThan(0);
    for (const message of result.messages) {
      expect(message.ruleId, because(`${fixture} trips ${rule} and nothing else: ${describeMessages(result)}`, SECTION)).toBe(rule);
      expect(message.message, because(`the message for ${fixture} says what to use instead`, SECTION)).toMatch(teaches);
    }
  });

  it("a '/*' inside a string does not hide the lines after it", async () => {
    const result = await lintAs('comment-opener-in-string.ts', 'solutions/comment-opener-in-string.ts');
    const randomLine = source('comment-opener-in-string.ts').split('\n').findIndex((line) => line.includes('Math.random')) + 1;
    expect(result.messages.map((m) => m.line), because('Math.random on the line after the string is reported', SECTION)).toEqual([randomLine]);
  });

  it('legitimate code passes every rule: hashing, seeded Random, Date types and statics, property names, microtasks', async () => {
    const result = await lintAs('clean.ts', 'solutions/clean.ts');
    expect(describeMessages(result), because('clean.ts breaks no rule', SECTION)).toBe('no messages');
  });

  it('the rules apply to chapters/, solutions/, shared/ and tests/, and not to scripts/ or bench/', async () => {
    const flagged: Record<string, boolean> = {};
    for (const tree of ['chapters', 'solutions', 'shared', 'tests', 'scripts', 'bench']) {
      flagged[tree] = (await lintAs('math-random.ts', `${tree}/math-random.ts`)).messages.length > 0;
    }
    expect(flagged, because('only code and tests are held to determinism; scripts and benchmarks may time things', SECTION)).toEqual({
      chapters: true,
      solutions: true,
      shared: true,
      tests: true,
      scripts: false,
      bench: false,
    });
  });

  it("the project's lint run skips the fixtures", async () => {
    expect(await eslint.isPathIgnored(join(fixtures, 'math-random.ts')), because('npm run lint ignores tests/scripts/fixtures/', SECTION)).toBe(true);
  });
});
