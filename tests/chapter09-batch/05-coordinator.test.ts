import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { Coordinator } from '@impl/chapter09-batch/coordinator.js';
import { TaskFailedError } from '@impl/chapter09-batch/errors.js';

const NOTES = 'The coordinator';
const TASKS = ['t0', 't1', 't2'];

function started(c: Coordinator, now: number): string[] {
  return c.assign(now).map((a) => `${a.taskId}#${a.attempt}`);
}

describe('9.1 A MapReduce engine: the coordinator', () => {
  it('hands out pending tasks in order, no more at once than there are slots', () => {
    const c = new Coordinator(TASKS, { slots: 2, timeoutTicks: 100, maxAttempts: 3 });
    expect(started(c, 0), because('two slots: two attempts', NOTES)).toEqual(['t0#1', 't1#1']);
    expect(started(c, 1), because('no slot is free until an attempt ends', NOTES)).toEqual([]);
    expect(c.succeeded('t0', 1, 5)).toBe(true);
    expect(started(c, 5)).toEqual(['t2#1']);
    expect(c.succeeded('t1', 1, 6)).toBe(true);
    expect(c.done).toBe(false);
    expect(c.succeeded('t2', 1, 7)).toBe(true);
    expect(c.done, because('the phase is done when every task has committed', NOTES)).toBe(true);
    expect(c.stats).toMatchObject({ started: 3, committed: 3, discarded: 0 });
  });

  it('a task whose worker died is retried with the next attempt number', () => {
    const c = new Coordinator(['t0'], { slots: 1, timeoutTicks: 100, maxAttempts: 3 });
    c.assign(0);
    c.died('t0', 1, 4);
    expect(started(c, 4), because('a death frees the slot and puts the task back', NOTES)).toEqual(['t0#2']);
    expect(c.succeeded('t0', 2, 9)).toBe(true);
    expect(c.done).toBe(true);
    expect(c.stats).toMatchObject({ started: 2, committed: 1, died: 1 });
  });

  it('an attempt past its deadline is presumed lost and the task retried', () => {
    const c = new Coordinator(['t0', 't1'], { slots: 2, timeoutTicks: 50, maxAttempts: 3 });
    const [a] = c.assign(10);
    expect(a!.deadline, because('the deadline is the start plus timeoutTicks', NOTES)).toBe(60);
    expect(c.nextDeadline()).toBe(60);
    c.succeeded('t1', 1, 20);
    expect(c.expire(59), because('nothing expires before its deadline', NOTES)).toEqual([]);
    expect(c.expire(60).map((x) => x.taskId)).toEqual(['t0']);
    expect(started(c, 60), because('a timed-out task runs again', NOTES)).toEqual(['t0#2']);
    expect(c.stats.timedOut).toBe(1);
  });

  it('a task commits once: whichever attempt succeeds first wins and every later success is discarded', () => {
    const c = new Coordinator(['t0'], { slots: 1, timeoutTicks: 10, maxAttempts: 3 });
    c.assign(0);
    c.expire(10); // attempt 1 presumed lost
    c.assign(10); // attempt 2
    expect(c.succeeded('t0', 1, 12), because('a late success of a timed-out attempt is still good output if nothing committed yet', NOTES)).toBe(true);
    expect(c.succeeded('t0', 2, 15), because('the second success of a committed task must be discarded, or its output counts twice', NOTES)).toBe(false);
    expect(c.stats).toMatchObject({ committed: 1, discarded: 1 });
    expect(c.done).toBe(true);
  });

  it('a straggler that dies after its task committed changes nothing', () => {
    const c = new Coordinator(['t0'], { slots: 1, timeoutTicks: 10, maxAttempts: 2 });
    c.assign(0);
    c.expire(10);
    c.assign(10);
    c.succeeded('t0', 2, 14);
    c.died('t0', 1, 20);
    expect(c.done).toBe(true);
    expect(c.assign(20), because('a committed task is never run again', NOTES)).toEqual([]);
  });

  it('a task that fails maxAttempts times fails the job with a TaskFailedError naming it', () => {
    const c = new Coordinator(['t0', 't1'], { slots: 2, timeoutTicks: 10, maxAttempts: 2 });
    c.assign(0);
    c.died('t1', 1, 1);
    c.assign(1);
    let caught: unknown;
    try {
      c.died('t1', 2, 2);
    } catch (error) {
      caught = error;
    }
    expect(caught, because('retries are bounded: a task that always dies fails the job', NOTES)).toBeInstanceOf(TaskFailedError);
    expect((caught as TaskFailedError).taskId).toBe('t1');
    expect((caught as TaskFailedError).attempts).toBe(2);
  });

  it('a death reported for an attempt that already timed out changes nothing: no second failure, no second retry', () => {
    const c = new Coordinator(['t0'], { slots: 2, timeoutTicks: 10, maxAttempts: 2 });
    c.assign(0);
    c.expire(10); // failure 1: attempt 1 presumed lost, the task retried
    expect(started(c, 10)).toEqual(['t0#2']);
    c.died('t0', 1, 12); // the lost attempt's worker dies after all
    expect(c.stats.died, because('stats.died counts deaths of attempts that held a slot, not of ones already timed out', NOTES)).toBe(0);
    expect(started(c, 12), because('the timeout already retried the task; counting the death too would start a third attempt', NOTES)).toEqual([]);
    expect(c.succeeded('t0', 2, 15)).toBe(true);
    expect(c.done).toBe(true);
  });

  it('a task whose late attempt commits while its retry is still queued is not started again', () => {
    const c = new Coordinator(['t0'], { slots: 1, timeoutTicks: 10, maxAttempts: 3 });
    c.assign(0); // t0#1
    c.expire(10); // t0 queued for a retry, not started yet
    expect(c.succeeded('t0', 1, 12), because('the late attempt is the first success of t0', NOTES)).toBe(true);
    expect(c.assign(13), because('a committed task leaves the queue: it is never started again', NOTES)).toEqual([]);
    expect(c.done).toBe(true);
  });

  it('timeouts count towards maxAttempts too', () => {
    const c = new Coordinator(['t0'], { slots: 1, timeoutTicks: 10, maxAttempts: 2 });
    c.assign(0);
    c.expire(10);
    c.assign(10);
    expect(() => c.expire(20)).toThrow(TaskFailedError);
  });
});
