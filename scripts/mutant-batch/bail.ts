/**
 * Set-up file of a `check:mutants` batch: once a test of this project (this mutant) has failed,
 * the project's remaining tests are skipped. One failing test is all a mutant needs, and test
 * files of one project may run in several workers, so the mark is a file, not a variable.
 */

import { existsSync, writeFileSync } from 'node:fs';
import { beforeEach } from 'vitest';

const flag = process.env['DDIA_MUTANT_FAILED_FLAG'];

beforeEach(({ skip, onTestFailed }) => {
  if (flag === undefined) return;
  if (existsSync(flag)) skip();
  onTestFailed(() => writeFileSync(flag, ''));
});
