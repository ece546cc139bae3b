/**
 * The chapter's errors.
 *
 * Given code: identical in `chapters/` and `solutions/`.
 * @module
 */

/** A history the checker cannot read, with the operation and what is wrong with it. */
export class HistoryError extends Error {
  override readonly name = 'HistoryError';
  /** The id of the operation at fault. */
  readonly operation: number;

  constructor(operation: number, problem: string) {
    super(`operation #${operation}: ${problem}`);
    this.operation = operation;
  }
}
