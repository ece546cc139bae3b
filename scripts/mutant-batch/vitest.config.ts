/**
 * The vitest configuration of one batch of `check:mutants`: several mutants (or variants) in one
 * vitest run, each a project of its own whose `@impl` points at its own mutated copy of `solutions/`.
 *
 * One run per mutant spends most of its time starting vitest; a batch pays for that once. Each
 * project stops at its own first failing test (`bail.ts`), which a run-wide `--bail` cannot do.
 * The batch is described by the JSON file named in `DDIA_MUTANT_BATCH` (written by
 * `scripts/check-mutants.ts`); its results go to the file named in `DDIA_MUTANT_REPORT`.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** One mutant of the batch. */
export interface BatchProject {
  /** The project's name: the key of its results in the report. */
  readonly name: string;
  /** The mutated copy of `solutions/` that `@impl` resolves to. */
  readonly implRoot: string;
  /** Its test files, relative to the repository root. */
  readonly include: readonly string[];
  /**
   * A file the project's first failing test creates; later tests of the project are skipped.
   * A variant's project has none: it runs every test.
   */
  readonly failedFlag?: string;
}

const batchFile = process.env['DDIA_MUTANT_BATCH'];
if (batchFile === undefined) throw new Error('DDIA_MUTANT_BATCH must name a batch file: this configuration is for scripts/check-mutants.ts');
const batch = JSON.parse(readFileSync(batchFile, 'utf8')) as BatchProject[];
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  test: {
    reporters: [here('./reporter.ts')],
    experimental: { fsModuleCache: true },
    projects: batch.map((p) => ({
      resolve: { alias: [{ find: /^@impl\/(.*)$/, replacement: `${p.implRoot.replace(/[\\/]$/, '')}/$1` }] },
      test: {
        name: p.name,
        root: fileURLToPath(new URL('../..', import.meta.url)),
        include: [...p.include],
        // The same choices as vitest.config.ts, for the same reasons; threads start faster.
        isolate: false,
        pool: 'threads' as const,
        testTimeout: 20_000,
        printConsoleTrace: false,
        env: { DDIA_TREE: 'mutant', ...(p.failedFlag !== undefined ? { DDIA_MUTANT_FAILED_FLAG: p.failedFlag } : {}) },
        setupFiles: [here('./bail.ts')],
      },
    })),
  },
});
