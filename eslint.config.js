// ESLint: the project's linter (`npm run lint`). A small, deliberate rule set: the determinism
// rules that keep every test replayable, and a few rules against mistakes the type checker does
// not catch. Each rule says why it is here. tests/scripts/lint-rules.test.ts proves that each
// determinism rule flags what it must, with fixtures in tests/scripts/fixtures/determinism/.
import tseslint from 'typescript-eslint';

const use = (instead) => `Not deterministic: ${instead}. See CONTRIBUTING.md, "Code".`;
const VIRTUAL_TIME = use('take time from the simulator clock, ticks or an injected clock');
const SEEDED = use('draw randomness from a seeded Random (shared/random.ts) or checkProperty');
const TIMING = use('timing belongs in bench/, never in tests or algorithm code');
const TIMERS = use('schedule with virtual time (the simulator or ticks), never a real timer');

/** Globals that read the wall clock, time real work, or schedule real timers. */
const restrictedGlobals = [
  { name: 'Date', message: VIRTUAL_TIME },
  { name: 'performance', message: TIMING },
  ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate'].map((name) => ({
    name,
    message: TIMERS,
  })),
];

/** The same, reached as properties (of `globalThis`, `Math`, `process`, `crypto`). */
const restrictedProperties = [
  { object: 'Math', property: 'random', message: SEEDED },
  { object: 'Date', property: 'now', message: VIRTUAL_TIME },
  { object: 'performance', property: 'now', message: TIMING },
  { object: 'process', property: 'hrtime', message: TIMING },
  { object: 'process', property: 'uptime', message: TIMING },
  ...['randomBytes', 'randomUUID', 'getRandomValues', 'randomInt', 'randomFillSync', 'randomFill'].map((property) => ({
    object: 'crypto',
    property,
    message: SEEDED,
  })),
  ...['Date', 'performance', 'setTimeout', 'setInterval', 'setImmediate'].map((property) => ({
    object: 'globalThis',
    property,
    message: property === 'Date' ? VIRTUAL_TIME : property === 'performance' ? TIMING : TIMERS,
  })),
];

/** Modules whose randomness or timers would bypass the rules above. */
const restrictedImports = {
  paths: [
    {
      // createHash is deterministic and allowed; the random generators are not.
      name: 'node:crypto',
      importNames: ['default', 'randomBytes', 'randomUUID', 'getRandomValues', 'randomInt', 'randomFill', 'randomFillSync', 'webcrypto'],
      message: SEEDED,
    },
    {
      name: 'crypto',
      importNames: ['default', 'randomBytes', 'randomUUID', 'getRandomValues', 'randomInt', 'randomFill', 'randomFillSync', 'webcrypto'],
      message: SEEDED,
    },
    ...['node:timers', 'timers', 'node:timers/promises', 'timers/promises'].map((name) => ({ name, message: TIMERS })),
    ...['node:perf_hooks', 'perf_hooks'].map((name) => ({ name, message: TIMING })),
  ],
};

export default [
  {
    ignores: ['node_modules/', 'docs-site/', '.mutant-work*/', '.bench-data/', '.vitest-results/', 'tests/scripts/fixtures/'],
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The style guide: no `any`; use `unknown` and narrow.
      '@typescript-eslint/no-explicit-any': 'error',
      // `var` leaks out of blocks; `let` never reassigned hides which bindings change.
      'no-var': 'error',
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `==` converts types; `== null` is the one idiom allowed (null or undefined).
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Mistakes TypeScript lets through.
      'no-self-compare': 'error',
      'no-constant-binary-expression': 'error',
      'no-debugger': 'error',
    },
  },
  {
    // Deterministic code: everything a test runs. Benchmarks (bench/) and the project's scripts
    // (scripts/) measure and spawn, and are left out on purpose.
    files: ['chapters/**/*.ts', 'solutions/**/*.ts', 'shared/**/*.ts', 'tests/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...restrictedGlobals],
      'no-restricted-properties': ['error', ...restrictedProperties],
      'no-restricted-imports': ['error', restrictedImports],
    },
  },
];
