/**
 * Known-buggy versions ("mutants") of the reference solutions.
 *
 * Each chapter keeps a `tests/chapterNN-topic/mutants.ts` that exports `mutants: Mutant[]`.
 * `npm run check:mutants` copies `solutions/`, applies one mutant's text replacement, runs that
 * chapter's tests against the copy, and fails unless at least one test fails. A classic mistake
 * that the tests let through is a defect in the tests.
 * @module
 */

/** One deliberate bug, written as an exact text replacement in one solution file. */
export interface Mutant {
  /** Short kebab-case name, e.g. `hash-join-drops-duplicate-keys`. */
  readonly name: string;
  /** The mistake, in words a learner would recognise. */
  readonly description: string;
  /** File relative to `solutions/`, e.g. `chapter01-data-models/joins.ts`. */
  readonly file: string;
  /** Text that occurs exactly once in the file. */
  readonly find: string;
  /** What it becomes. */
  readonly replace: string;
  /** Optional test files (relative to the chapter's test folder) to run; default: all of them. */
  readonly tests?: readonly string[];
}
