/**
 * Session guarantees: what a client remembers between requests so that reads from lagging
 * followers still make sense to it.
 *
 * - **Read your writes**: after a write acknowledged at offset `o`, read only from a replica
 *   that has applied `o`.
 * - **Monotonic reads**: after reading a state at offset `o`, never read an older one.
 * - **Consistent prefix** across replication groups: after seeing a value that was written by
 *   someone who had seen offset `o` of another group, read that group only at `o` or later, so
 *   an answer is never seen without its question.
 *
 * All three reduce to one record, the highest offset of each group this session depends on,
 * and one rule: a read of group `g` needs a replica at or past that offset. Writes carry the
 * record as their dependencies, so that readers of the write inherit it.
 * @module
 */

import { NotImplementedError } from '../../shared/errors.js';
import type { Dependencies } from './log-entry.js';

const exercise = {
  exercise: '2.1 Session guarantees',
  file: 'chapter04-replication/session-guarantees.ts',
  section: '2.1 Session guarantees',
};

/** What a client tracks to decide which replicas may serve its reads. */
export interface ReadPolicy {
  /** The offset a replica of `group` must have applied to serve this session's read. */
  minOffset(group: string): number;
  /** The dependencies to attach to this session's next write. */
  dependencies(): Dependencies;
  /** This session's write to `group` was acknowledged at `offset`. */
  wrote(group: string, offset: number): void;
  /** A replica of `group` at `offset` served this session a value written with `deps`. */
  read(group: string, offset: number, deps: Dependencies): void;
}

/** No guarantees: any replica may serve any read. The naive client, showing every anomaly. */
export class NoGuarantees implements ReadPolicy {
  minOffset(): number {
    return 0;
  }

  dependencies(): Dependencies {
    return {};
  }

  wrote(): void {}

  read(): void {}
}

/**
 * Read-your-writes, monotonic reads and consistent prefix, for one client session: remember, per
 * group, the highest offset this session depends on (its own writes, the states it read, and the
 * dependencies of the values it read), and require it of every replica that serves a read. That
 * offset never goes down: an acknowledgement or a dependency older than what the session already
 * depends on changes nothing. `dependencies()` is exactly this record.
 */
export class SessionGuarantees implements ReadPolicy {
  minOffset(group: string): number {
    void group;
    throw new NotImplementedError(exercise);
  }

  dependencies(): Dependencies {
    throw new NotImplementedError(exercise);
  }

  wrote(group: string, offset: number): void {
    void group;
    void offset;
    throw new NotImplementedError(exercise);
  }

  read(group: string, offset: number, deps: Dependencies): void {
    void group;
    void offset;
    void deps;
    throw new NotImplementedError(exercise);
  }
}
