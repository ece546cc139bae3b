/**
 * The errors of chapter 07. Given code: identical in `chapters/` and `solutions/`.
 * @module
 */

/**
 * A hybrid logical clock refused a remote timestamp whose physical part is further ahead of the
 * local physical clock than the cluster's maximum offset allows. Accepting it would drag this
 * node's clock (and every clock it talks to) into the future; the remote clock is broken, or the
 * maximum offset is wrong, and an operator must look. Nothing changed on the local clock.
 */
export class ClockOffsetError extends Error {
  override readonly name = 'ClockOffsetError';
  /** The physical part of the refused remote timestamp (ms). */
  readonly remoteWallMs: number;
  /** What the local physical clock read when it refused (ms). */
  readonly localWallMs: number;
  /** The largest offset the cluster tolerates (ms). */
  readonly maxOffsetMs: number;

  constructor(remoteWallMs: number, localWallMs: number, maxOffsetMs: number) {
    super(
      `remote timestamp at wall ${remoteWallMs} ms is ${remoteWallMs - localWallMs} ms ahead of the local ` +
        `physical clock (${localWallMs} ms), more than the maximum offset of ${maxOffsetMs} ms: refused, the local clock is unchanged`,
    );
    this.remoteWallMs = remoteWallMs;
    this.localWallMs = localWallMs;
    this.maxOffsetMs = maxOffsetMs;
  }
}
