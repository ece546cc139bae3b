import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The implementation switch.
 *
 * Every test imports the code under test through the `@impl` alias:
 *
 *   import { hashJoin } from '@impl/chapter01-data-models/joins.js';
 *
 * - `vitest run` (what `npm test` runs) resolves `@impl` to `chapters/`: the learner's code.
 * - `vitest run --mode solutions` (what `npm run test:solutions` runs) resolves it to `solutions/`.
 * - The project's own scripts may set `DDIA_IMPL_ROOT` to a folder that mirrors `solutions/`
 *   (the mutant checker does this). Learners never need it.
 *
 * A `--mode` flag is used rather than an environment variable because `VAR=x npm test` does not
 * work in the Windows command prompt, and this command must work everywhere.
 */
export default defineConfig(({ mode }) => {
  const override = process.env['DDIA_IMPL_ROOT'];
  const tree = mode === 'solutions' ? 'solutions' : 'chapters';
  const implRoot = override ?? fileURLToPath(new URL(`./${tree}/`, import.meta.url));
  return {
    resolve: {
      alias: [{ find: /^@impl\/(.*)$/, replacement: `${implRoot.replace(/[\\/]$/, '')}/$1` }],
    },
    test: {
      include: ['tests/**/*.test.ts'],
      // Speed: test files share one module graph per worker instead of a fresh one each (about
      // three times faster on two cores; see CONTRIBUTING, "How fast the tests run"). This is
      // safe only because no test depends on another's module state; `npm run verify` proves it
      // with one run of the whole suite isolated (`check:isolation`).
      isolate: false,
      // Child processes, not threads: code that runs away (an endless loop filling an array)
      // kills only its worker, and vitest still reports which file it was. In a thread it takes
      // the whole run down with a V8 fatal error and no test name.
      pool: 'forks',
      // Lets a failing randomized test print a replay command for the same tree.
      env: { DDIA_TREE: override === undefined ? tree : 'mutant' },
      // Property tests and simulations are deterministic; a long one is a bug, not a slow disk.
      testTimeout: 20_000,
      // The learner's reporter: one line per exercise, then the first failure of the first
      // unfinished one (scripts/learner-reporter.ts). `--reporter=default` shows every failure.
      reporters: ['./scripts/learner-reporter.ts'],
      // Keep stack traces pointing at the learner's file, not at vitest internals.
      printConsoleTrace: false,
      // Transformed files are kept in node_modules/.experimental-vitest-cache, keyed by their
      // content, so a second run (or the next of `check:mutants`' many short runs) does not
      // compile unchanged files again. `npx vitest --clearCache` empties it.
      experimental: { fsModuleCache: true },
    },
  };
});
