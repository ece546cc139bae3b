/**
 * Assertion messages that teach. Pass the result as vitest's message argument:
 *
 *     expect(rows, because('a hash join returns one row per matching pair', 'Joins')).toEqual(expected);
 *
 * vitest prints it above the expected/actual diff, so a red test says what was expected, what
 * happened, which invariant broke and which section of the notes explains it.
 * @module
 */

/** Builds the message: the invariant, then where to read about it. */
export function because(invariant: string, section: string): string {
  return `${invariant}  [notes: "${section}"]`;
}
