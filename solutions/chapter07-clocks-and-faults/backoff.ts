/**
 * Exercise 7.1: exponential backoff with full jitter.
 *
 * After the `retry`-th failed attempt a client waits a random time drawn uniformly from
 * `[0, ceiling)`, where the ceiling doubles with each retry up to a cap:
 * `ceiling = min(capMs, baseMs × 2^(retry − 1))`. Doubling keeps a struggling server from being
 * hammered; the random draw ("full jitter") keeps clients that failed together from retrying
 * together.
 * @module
 */

import { UsageError } from '../../shared/errors.js';
import type { Random } from '../../shared/random.js';

/** How long to wait between attempts. */
export interface BackoffPolicy {
  /** The ceiling of the first retry's wait (ms), > 0. */
  readonly baseMs: number;
  /** No wait is ever drawn from a ceiling above this (ms), >= baseMs. */
  readonly capMs: number;
}

/**
 * The upper bound of the wait before retry number `retry` (1 for the first retry):
 * `min(capMs, baseMs × 2^(retry − 1))`. Throws a `UsageError` (from `shared/errors.ts`) unless
 * `0 < baseMs <= capMs`, both finite, and `retry` is an integer >= 1.
 */
export function backoffCeilingMs(policy: BackoffPolicy, retry: number): number {
  checkRetry(policy, retry);
  return Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1));
}

/**
 * The wait before retry number `retry` (1 for the first retry): uniform in
 * `[0, backoffCeilingMs(policy, retry))`, drawn from `random` (the node's own seeded generator,
 * so that two clients draw different waits and a seed replays them).
 */
export function backoffDelayMs(policy: BackoffPolicy, retry: number, random: Random): number {
  const ceiling = backoffCeilingMs(policy, retry);
  return random.float() * ceiling;
}

function checkRetry(policy: BackoffPolicy, retry: number): void {
  if (!(policy.baseMs > 0) || !(policy.capMs >= policy.baseMs) || !Number.isFinite(policy.capMs)) {
    throw new UsageError(`backoff policy needs 0 < baseMs <= capMs, both finite; got baseMs ${policy.baseMs}, capMs ${policy.capMs}`);
  }
  if (!Number.isInteger(retry) || retry < 1) throw new UsageError(`retry must be an integer >= 1 (1 is the first retry), got ${retry}`);
}
