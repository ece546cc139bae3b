/**
 * For the end-to-end ("cumulative") tests that assemble the database from the learner's own
 * chapters: when an earlier chapter is unfinished, the failure says which, and how to run that
 * chapter's own tests, instead of showing another chapter's stub error out of context.
 * @module
 */

import { NotImplementedError } from '../errors.js';

/**
 * Runs `step`. If it meets a stub of one of `earlier` chapters (folder name prefixes such as
 * `chapter01`), rethrows with a message that names that chapter; `current` is the chapter whose
 * test this is, for the reassurance that its other tests do not need the earlier one.
 */
export function fromEarlierChapters<T>(current: string, earlier: readonly string[], step: () => T): T {
  try {
    return step();
  } catch (error) {
    const chapter = error instanceof NotImplementedError ? earlier.find((c) => error.file.startsWith(c)) : undefined;
    if (chapter !== undefined && error instanceof NotImplementedError) {
      throw new Error(
        `This test builds the database from your own chapters, and ${spaced(chapter)} is unfinished:\n` +
          `${error.message}\nFinish it first (its own tests: npm test -- ${chapter}); ${spaced(current)}'s other tests do not need it.`,
      );
    }
    throw error;
  }
}

function spaced(chapter: string): string {
  return chapter.replace(/^chapter/, 'chapter ');
}
