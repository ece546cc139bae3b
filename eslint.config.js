// ESLint for the whole project: `npm run lint` (`eslint .`, with the ignores below).
//
// Two groups of rules, kept small on purpose:
// - correctness rules for every TypeScript file, each for a mistake that tsc lets through;
// - determinism rules for chapter code, solutions, shared code and tests: no wall clock, no real
//   timers or sleeps, no unseeded randomness. Benchmarks (bench/) and the project's scripts
//   (scripts/) may time things and are not held to them.
//
// Only the typescript-eslint parser is used, without type information: linting stays a few
// seconds, and tsc already checks types. tests/scripts/lint-rules.test.ts proves that each
// determinism rule flags what it should (fixtures in tests/scripts/fixtures/determinism/) and
// that legitimate code passes.

import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// What to use instead, shared by several rules below.
// ESLint puts its own sentence first ("'Date.now' is restricted from being used."), so these
// say why and what to do.
const useRandom =
  'Use a seeded Random (shared/random.ts; ctx.random in a simulated node) or checkProperty / forEachSeed, so a seed replays the run.';
const useVirtualTime = 'Use virtual time: ctx.now() in a simulated node, or a clock passed in as a parameter.';
const useVirtualTimers =
  'A real timer makes a run depend on the machine: use ctx.setTimer in a simulated node, or sim.at / sim.after in a test (virtual time).';
const timingInBench = 'Timing belongs in bench/, never in code or tests.';

/** Node modules that schedule real time, and the one that reads a high-resolution clock. */
const timerModules = ['timers', 'timers/promises'];
const clockModules = ['perf_hooks'];

/**
 * `node:crypto` is allowed for its deterministic functions only (hashing), so a namespace or
 * default import, which would reach `randomBytes` too, is flagged as well.
 */
const cryptoAllowed = ['createHash', 'createHmac', 'hash', 'getHashes', 'timingSafeEqual'];

/**
 * Methods of `crypto`, `webcrypto` and `crypto.subtle` that draw unseeded randomness. They are
 * restricted on any object, so `globalThis.crypto.randomUUID()` and an alias of `crypto` are caught.
 */
const randomCryptoProperties = [
  'randomBytes',
  'randomFill',
  'randomFillSync',
  'randomInt',
  'randomUUID',
  'getRandomValues',
  'generateKey',
  'generateKeySync',
  'generateKeyPair',
  'generateKeyPairSync',
  'generatePrime',
  'generatePrimeSync',
];

/**
 * Where an identifier called `Date` is not a use of the `Date` value that could read the clock:
 * a property name, a type, the deterministic statics `Date.UTC` and `Date.parse`, `instanceof
 * Date`, and the places the other determinism rules already report (`new Date`, `Date()`,
 * `Date.now`, `const { now } = Date`). Selectors see names, not scopes: a local binding called
 * `Date` counts as the global one (name it something else).
 */
const dateNotAValue = [
  'MemberExpression[computed=false] > .property',
  'Property[computed=false] > .key',
  'PropertyDefinition[computed=false] > .key',
  'MethodDefinition[computed=false] > .key',
  'TSPropertySignature[computed=false] > .key',
  'TSMethodSignature[computed=false] > .key',
  'TSTypeReference > .typeName',
  'TSQualifiedName > *',
  'TSTypeQuery > .exprName',
  'TSInterfaceHeritage > .expression',
  'TSClassImplements > .expression',
  'TSInterfaceDeclaration > .id',
  'MemberExpression[computed=false][property.name=/^(UTC|parse|now)$/] > .object',
  'MemberExpression[computed=true][property.value=/^(UTC|parse|now)$/] > .object',
  "BinaryExpression[operator='instanceof'] > .right",
  'NewExpression > .callee',
  'CallExpression > .callee',
  "VariableDeclarator[id.type='ObjectPattern'] > .init",
  "AssignmentExpression[left.type='ObjectPattern'] > .right",
].join(', ');

const moduleNames = (names) => names.flatMap((name) => [name, `node:${name}`]);

/** The determinism rules; each message says what to use instead. */
const determinismRules = {
  // Globals that read the clock or schedule real time. Any reference counts, not only a call:
  // `setTimeout?.(f)`, `const t = setTimeout` and `globalThis.setTimeout` are all flagged.
  // `queueMicrotask` and `process.nextTick` are allowed: microtasks run in a fixed order after
  // the current task and read no clock.
  'no-restricted-globals': [
    'error',
    {
      checkGlobalObject: true,
      globalObjects: ['global'],
      globals: [
        { name: 'setTimeout', message: useVirtualTimers },
        { name: 'setInterval', message: useVirtualTimers },
        { name: 'setImmediate', message: useVirtualTimers },
        { name: 'performance', message: `It reads the wall clock. ${timingInBench}` },
      ],
    },
  ],

  // Members that read the clock, draw unseeded randomness or sleep. Any access counts, so an
  // alias (`const now = Date.now`) or a destructuring (`const { random } = Math`) is flagged.
  'no-restricted-properties': [
    'error',
    { object: 'Math', property: 'random', message: `It is unseeded. ${useRandom}` },
    { object: 'Date', property: 'now', message: `It reads the wall clock. ${useVirtualTime}` },
    { object: 'globalThis', property: 'Date', message: `Date reads the wall clock. ${useVirtualTime}` },
    { object: 'global', property: 'Date', message: `Date reads the wall clock. ${useVirtualTime}` },
    { object: 'process', property: 'hrtime', message: `It reads the clock. ${timingInBench}` },
    { object: 'process', property: 'uptime', message: `It reads the clock. ${timingInBench}` },
    {
      object: 'process',
      property: 'getBuiltinModule',
      message: 'Import the module instead, so the import rules can check what is used.',
    },
    { object: 'Atomics', property: 'wait', message: `It is a real sleep. ${useVirtualTimers}` },
    { object: 'Temporal', property: 'Now', message: `It reads the wall clock. ${useVirtualTime}` },
    ...randomCryptoProperties.map((property) => ({ property, message: `It draws unseeded randomness. ${useRandom}` })),
  ],

  // Modules of time and randomness. Type-only imports are allowed: they run nothing.
  'no-restricted-imports': [
    'error',
    {
      paths: [
        ...moduleNames(['crypto']).map((name) => ({
          name,
          allowImportNames: cryptoAllowed,
          allowTypeImports: true,
          message: `Hashing is deterministic; the module's randomness is not. ${useRandom}`,
        })),
        ...moduleNames(timerModules).map((name) => ({ name, allowTypeImports: true, message: useVirtualTimers })),
        ...moduleNames(clockModules).map((name) => ({
          name,
          allowTypeImports: true,
          message: `It reads the wall clock. ${timingInBench}`,
        })),
        ...moduleNames(['process']).map((name) => ({
          name,
          importNames: ['hrtime', 'uptime'],
          allowTypeImports: true,
          message: `It reads the clock. ${timingInBench}`,
        })),
      ],
    },
  ],

  // What the rules above cannot express: how Date is used, and dynamic imports.
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date']",
      message: `new Date() reads the wall clock (and new Date(x) invites it). ${useVirtualTime}`,
    },
    {
      selector: "CallExpression[callee.name='Date']",
      message: `Date() without new returns the current time as a string. ${useVirtualTime}`,
    },
    {
      selector: `Identifier[name='Date']:not(${dateNotAValue})`,
      message: `Passing Date around or aliasing it lets code read the wall clock (only Date.UTC, Date.parse and instanceof Date are allowed). ${useVirtualTime}`,
    },
    {
      selector: `ImportExpression[source.value=/^(node:)?(crypto|timers|timers\\u002Fpromises|perf_hooks)$/]`,
      message:
        'A dynamic import of a module of time or randomness escapes the import rules: import it statically, so they can check which of its functions is used.',
    },
  ],
};

export default defineConfig(
  {
    // Fixtures break the rules on purpose; tests/scripts/lint-rules.test.ts lints them itself.
    ignores: ['node_modules/', 'docs-site/', '.mutant-work*/', '.bench-data/', '.vitest-results/', 'tests/scripts/fixtures/'],
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      // Node's own name for the global object, so `global.setTimeout` is recognised too.
      globals: { global: 'readonly' },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // An unused import, variable or parameter is usually a half-finished edit. A name that
      // starts with `_` is unused on purpose (a loop that only counts, a callback's first
      // parameter). Starters are exempt (see below).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // `==` converts types before comparing ('' == 0); the project compares exactly.
      eqeqeq: ['error', 'always'],
      // `var` is function-scoped and hoisted; `let` and `const` say where a name lives.
      'no-var': 'error',
      // A binding never reassigned is a `const`, so a reader knows it stays put. A `let` that a
      // closure reads before its one assignment (a forwarder to a recursive definition) stays.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Strict TypeScript, no `any` (a project rule): `unknown` plus a check instead.
      '@typescript-eslint/no-explicit-any': 'error',
      // An expression statement that does nothing, such as `expect(x).toBe` without the call,
      // asserts nothing.
      '@typescript-eslint/no-unused-expressions': 'error',
      // A focused test (`test.only`) silently skips the rest of its file.
      'no-restricted-properties': ['error', ...focusedTests()],
    },
  },
  {
    // Starters are scaffolding: a stub throws NotImplementedError and keeps its solution's
    // parameters, and a starter imports and defines the helpers the learner's code will use.
    // The same files in solutions/ use every one of those names and are checked.
    files: ['chapters/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-vars': 'off' },
  },
  {
    files: ['chapters/**/*.ts', 'solutions/**/*.ts', 'shared/**/*.ts', 'tests/**/*.ts'],
    rules: {
      ...determinismRules,
      // One rule id holds both the focused-test check and the determinism properties.
      'no-restricted-properties': [...determinismRules['no-restricted-properties'], ...focusedTests()],
    },
  },
);

/** `test.only`, `it.only`, `describe.only`: a test file with one of these runs nothing else. */
function focusedTests() {
  return ['test', 'it', 'describe'].map((object) => ({
    object,
    property: 'only',
    message: 'A focused test skips every other test in the file; remove .only before committing.',
  }));
}
