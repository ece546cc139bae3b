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

/** One exact text replacement in one solution file. */
export interface Edit {
  /** File relative to `solutions/`, e.g. `chapter04-replication/leader-follower-replica.ts`. */
  readonly file: string;
  /** Text that occurs exactly once in the file. */
  readonly find: string;
  /** What it becomes. */
  readonly replace: string;
}

/**
 * A correct variant: right, but unlike the reference, in a way a learner's code often is
 * (another send order, other batching, no optimisation the reference happens to make).
 *
 * Each chapter may keep a `tests/chapterNN-topic/variants.ts` that exports `variants: Variant[]`.
 * `npm run check:mutants` applies each variant's edits to a copy of `solutions/` and fails unless
 * every test of the chapter passes: a test that a correct learner could fail is a defect too.
 */
export interface Variant {
  /** Short kebab-case name, e.g. `followers-in-reverse-order`. */
  readonly name: string;
  /** How it differs from the reference, and why that is still correct. */
  readonly description: string;
  /** The replacements that make the variant, applied in order. */
  readonly edits: readonly Edit[];
  /** Optional test files (relative to the chapter's test folder) to run; default: all of them. */
  readonly tests?: readonly string[];
}
