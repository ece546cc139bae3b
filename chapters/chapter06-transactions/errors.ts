/**
 * The chapter's error classes. Given code, identical in `chapters/` and `solutions/`.
 *
 * Three things can stop a transaction's operation, and each has its own class, because the caller
 * does something different for each: wait and call again ({@link LockWait}), give up and maybe
 * retry the whole transaction ({@link TransactionAborted}), or fix the calling code
 * ({@link TransactionStateError}). A fourth, {@link ScheduleStuck}, is the anomaly lab's: its
 * scheduler reports an engine that let transactions wait for each other forever.
 * @module
 */

/** Why the database aborted a transaction. */
export type AbortReason =
  /** Another transaction committed a write to a key this one also wrote (first-committer-wins). */
  | 'write-conflict'
  /** Waiting for a lock would close a cycle in the wait-for graph; this transaction was the victim. */
  | 'deadlock'
  /** Committing could make the history non-serializable (a dangerous structure of rw-dependencies). */
  | 'serialization-failure';

/**
 * The database aborted transaction `txn`: every write it made is undone and its locks are
 * released. Any later operation on it throws a {@link TransactionStateError}. The caller may run
 * the whole transaction again.
 */
export class TransactionAborted extends Error {
  override readonly name = 'TransactionAborted';
  readonly txn: number;
  readonly reason: AbortReason;
  /** Why, in words: the key, the other transactions involved, the cycle. */
  readonly detail: string;

  constructor(txn: number, reason: AbortReason, detail: string) {
    super(`transaction T${txn} aborted (${reason}): ${detail}`);
    this.txn = txn;
    this.reason = reason;
    this.detail = detail;
  }
}

/**
 * The operation of transaction `txn` must wait for a lock that `holders` hold. It changed
 * nothing: call the same operation again once one of them has committed or aborted.
 */
export class LockWait extends Error {
  override readonly name = 'LockWait';
  readonly txn: number;
  /** The lock asked for, as text (a key or a range). */
  readonly lock: string;
  /** The transactions holding conflicting locks. */
  readonly holders: readonly number[];

  constructor(txn: number, lock: string, holders: readonly number[]) {
    super(`transaction T${txn} waits for ${lock}, held by ${holders.map((h) => `T${h}`).join(', ')}`);
    this.txn = txn;
    this.lock = lock;
    this.holders = holders;
  }
}

/**
 * A transaction was used wrongly: an operation after it committed or aborted, or a `begin` while
 * a session already has one open. Nothing was changed.
 */
export class TransactionStateError extends Error {
  override readonly name = 'TransactionStateError';
  /** The transaction, or `undefined` when there was none (an operation outside any transaction). */
  readonly txn: number | undefined;
  /** The operation that was refused, e.g. `put` or `begin`. */
  readonly operation: string;

  constructor(txn: number | undefined, operation: string, detail: string) {
    super(`${operation} refused${txn === undefined ? '' : ` on T${txn}`}: ${detail}`);
    this.txn = txn;
    this.operation = operation;
  }
}

/** One transaction that a stuck schedule left waiting. */
export interface StuckTransaction {
  /** The transaction's name in the schedule, e.g. `T1`. */
  readonly txn: string;
  /** The step it waits at, in words. */
  readonly step: string;
  /** What the engine's last `LockWait` for that step said. */
  readonly waitsFor: string;
}

/**
 * The anomaly lab's scheduler released every step of a schedule, and transactions still wait,
 * none able to go on. Locks are released only when a transaction ends, so nothing will ever
 * change: the engine missed a deadlock (or kept the locks of a transaction that ended).
 */
export class ScheduleStuck extends Error {
  override readonly name = 'ScheduleStuck';
  readonly waiting: readonly StuckTransaction[];

  constructor(waiting: readonly StuckTransaction[]) {
    const lines = waiting.map((w) => `${w.txn} waits at "${w.step}" (${w.waitsFor})`);
    super(`the schedule is stuck: ${lines.join('; ')}; no transaction can go on, and the engine reported no deadlock`);
    this.waiting = waiting;
  }
}
