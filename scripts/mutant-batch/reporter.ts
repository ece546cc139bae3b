/**
 * Reporter of a `check:mutants` batch: per project (per mutant), the counts of each test file
 * and the files that failed to load, written as JSON to the file named in `DDIA_MUTANT_REPORT`.
 */

import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

/** What one test file of one project reported. */
export interface BatchFileResult {
  readonly file: string;
  readonly passed: string[];
  readonly failed: string[];
  readonly skipped: number;
  /** Set when the file failed to load: vitest's first error message. */
  readonly loadError?: string;
}

export default class MutantBatchReporter implements Reporter {
  private root = process.cwd();

  onInit(vitest: Vitest): void {
    this.root = vitest.config.root;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const out = process.env['DDIA_MUTANT_REPORT'];
    if (out === undefined) return;
    const byProject: Record<string, BatchFileResult[]> = {};
    for (const module of modules) {
      const passed: string[] = [];
      const failed: string[] = [];
      let skipped = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed.push(test.fullName);
        else if (state === 'failed') failed.push(test.fullName);
        else skipped++;
      }
      const errors = module.errors();
      const loadError = passed.length + failed.length + skipped === 0 && module.state() === 'failed' ? (errors[0]?.message ?? 'the file failed to load') : undefined;
      const file = relative(this.root, module.moduleId).replace(/\\/g, '/');
      (byProject[module.project.name] ??= []).push({ file, passed, failed, skipped, ...(loadError !== undefined ? { loadError } : {}) });
    }
    writeFileSync(out, JSON.stringify(byProject));
  }
}
