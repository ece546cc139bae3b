import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLinearizability } from '../../shared/checkers/linearizability.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { HistoryError } from '@impl/chapter08-consensus/errors.js';
import { describeRegisterOp, type RegisterOp } from '@impl/chapter08-consensus/register.js';
import { checkRegister, stepRegister } from '@impl/chapter08-consensus/register-checker.js';
import { cas, historyOf, linearizableHistory, orderProblem, Random, read, registerModel, withOneReadChanged, write } from './register-histories.js';

const SPEC = 'Linearizability';
const CHECKER = '8.1 A linearizability checker';
const UNCERTAIN = 'Failed and unknown outcomes';

const show = (history: readonly RegisterOp[]) => history.map((op) => `  ${describeRegisterOp(op)}`).join('\n');

/** Asserts the checker finds the history linearizable, with an order the test checks itself. */
function expectLinearizable(history: readonly RegisterOp[], why: string, section = CHECKER): void {
  const verdict = checkRegister(history);
  expect(verdict.verdict, because(`${why}\n${show(history)}\n${verdict.verdict === 'ok' ? '' : verdict.explanation}`, section)).toBe('ok');
  if (verdict.verdict !== 'ok') return;
  expect(orderProblem(history, verdict.order), because(`the order [${verdict.order.join(', ')}] must explain the history: ok operations once, info ones at most once, real time kept, every result right\n${show(history)}`, CHECKER)).toBeUndefined();
}

function expectIllegal(history: readonly RegisterOp[], why: string, section = CHECKER, maxSteps?: number): void {
  const verdict = checkRegister(history, maxSteps === undefined ? {} : { maxSteps });
  const shown = verdict.verdict === 'ok' ? `order found: [${verdict.order.join(', ')}]` : verdict.explanation;
  expect(verdict.verdict, because(`${why}\n${show(history)}\n${shown}`, section)).toBe('illegal');
  if (verdict.verdict !== 'illegal') return;
  expect(verdict.explanation.length, because('a "no" comes with an explanation a person can read', CHECKER)).toBeGreaterThan(20);
}

describe('8.1 a linearizability checker: the register', () => {
  it('a read returns the value and changes nothing; a write replaces it; a cas swaps exactly when the value matches, and says so', () => {
    expect(stepRegister(null, read, null), because('a read of a register never written returns null', SPEC)).toBe(null);
    expect(stepRegister(3, read, 3), because('a read returning the value leaves it', SPEC)).toBe(3);
    expect(stepRegister(3, read, 4), because('a read cannot return a value the register does not hold', SPEC)).toBeUndefined();
    expect(stepRegister(null, read, 0), because('null (never written) is not 0', SPEC)).toBeUndefined();
    expect(stepRegister(3, write(5), undefined), because('a write replaces the value', SPEC)).toBe(5);
    expect(stepRegister(3, cas(3, 7), true), because('a cas whose expected value matches swaps and returns true', SPEC)).toBe(7);
    expect(stepRegister(3, cas(2, 7), false), because('a cas whose expected value does not match changes nothing and returns false', SPEC)).toBe(3);
    expect(stepRegister(3, cas(3, 7), false), because('a matching cas cannot return false', SPEC)).toBeUndefined();
    expect(stepRegister(3, cas(2, 7), true), because('a cas that does not match cannot return true', SPEC)).toBeUndefined();
    expect(stepRegister(null, cas(0, 1), undefined), because('null never matches a number', SPEC)).toBe(null);
  });

  it('with the outcome unknown (output undefined) any result is possible: a read changes nothing, a cas swaps exactly when it matches', () => {
    expect(stepRegister(3, read, undefined), because('an unknown read is possible in any state and changes nothing', UNCERTAIN)).toBe(3);
    expect(stepRegister(3, cas(3, 9), undefined), because('a cas with unknown outcome that matches, if it took effect, swapped', UNCERTAIN)).toBe(9);
    expect(stepRegister(3, cas(4, 9), undefined), because('a cas with unknown outcome that does not match changed nothing', UNCERTAIN)).toBe(3);
  });
});

describe('8.1 a linearizability checker: histories by hand', () => {
  it('a sequential history is linearizable in its own order', () => {
    const h = historyOf(['p1', write(1), undefined, 0, 1], ['p1', read, 1, 2, 3], ['p2', cas(1, 2), true, 4, 5], ['p2', read, 2, 6, 7]);
    expectLinearizable(h, 'one operation at a time, each result right: the order is the only one');
    const verdict = checkRegister(h);
    expect(verdict.verdict === 'ok' && verdict.order, because('with no overlap, real time allows only the order of the calls', CHECKER)).toEqual([1, 2, 3, 4]);
  });

  it('a read that returns a value overwritten before the read began is a stale read: not linearizable', () => {
    const h = historyOf(['p1', write(1), undefined, 0, 1], ['p1', write(2), undefined, 2, 3], ['p2', read, 1, 4, 5]);
    expectIllegal(h, 'write(2) finished before the read was called, so the read must see 2 or later', SPEC);
  });

  it('a read before any write completed sees null; one after sees the write', () => {
    expectIllegal(historyOf(['p1', write(1), undefined, 0, 1], ['p2', read, null, 2, 3]), 'the write returned before the read was called: null is stale', SPEC);
    expectLinearizable(historyOf(['p2', read, null, 0, 1], ['p1', write(1), undefined, 2, 3]), 'the read finished before the write began: it sees null', SPEC);
  });

  it('a read concurrent with a write may see the old value or the new one', () => {
    expectLinearizable(historyOf(['p1', write(1), undefined, 0, 1], ['p1', write(2), undefined, 2, 6], ['p2', read, 1, 3, 4]), 'the read overlaps write(2): it may come first', SPEC);
    expectLinearizable(historyOf(['p1', write(1), undefined, 0, 1], ['p1', write(2), undefined, 2, 6], ['p2', read, 2, 3, 4]), 'the read overlaps write(2): it may come after', SPEC);
  });

  it('once one read has seen the new value, a later read may not see the old one (no going back)', () => {
    const h = historyOf(['p1', write(1), undefined, 0, 1], ['p1', write(2), undefined, 2, 10], ['p2', read, 2, 3, 4], ['p3', read, 1, 5, 6]);
    expectIllegal(h, 'p2 saw 2 and returned before p3 was called; p3 seeing 1 would put write(2) both before and after it', SPEC);
  });

  it('operations whose intervals touch (a return equal to a call) overlap, so either may come first', () => {
    const h = historyOf(['p1', write(1), undefined, 0, 1], ['p1', write(2), undefined, 2, 4], ['p2', read, 1, 4, 5]);
    expectLinearizable(h, 'write(2) returned at 4 and the read was called at 4: they overlap, and the read may come first', CHECKER);
  });

  it('a cas must be explained too: two cas from the same value cannot both succeed', () => {
    const base = [['p1', write(1), undefined, 0, 1]] as const;
    expectIllegal(historyOf(...base, ['p2', cas(1, 2), true, 2, 5], ['p3', cas(1, 3), true, 3, 6]), 'after one cas(1→·) succeeded the value is no longer 1', SPEC);
    expectLinearizable(historyOf(...base, ['p2', cas(1, 2), true, 2, 5], ['p3', cas(1, 3), false, 3, 6]), 'the second cas came after the first and failed', SPEC);
    expectIllegal(historyOf(...base, ['p2', cas(1, 2), false, 2, 3]), 'the value was 1, so cas(1→2) must have succeeded', SPEC);
  });

  it('a failed operation never took effect: no read may see its value, and it is left out of the order', () => {
    expectIllegal(historyOf(['p1', write(1), undefined, 0, 1], ['p2', write(7), undefined, 2, 3, 'fail'], ['p3', read, 7, 4, 5]), 'write(7) failed, so nobody can read 7', UNCERTAIN);
    expectLinearizable(historyOf(['p1', write(1), undefined, 0, 1], ['p2', write(7), undefined, 2, 3, 'fail'], ['p3', read, 1, 4, 5]), 'the failed write changed nothing', UNCERTAIN);
  });

  it('an operation with an unknown outcome may have taken effect at any time after its call, or never', () => {
    const maybe = ['p2', write(7), undefined, 2, 0, 'info'] as const;
    expectLinearizable(historyOf(['p1', write(1), undefined, 0, 1], maybe, ['p3', read, 7, 10, 11]), 'write(7) timed out, yet may have happened: the read can see it', UNCERTAIN);
    expectLinearizable(historyOf(['p1', write(1), undefined, 0, 1], maybe, ['p3', read, 1, 10, 11]), 'or it never happened: the read can miss it', UNCERTAIN);
    expectLinearizable(historyOf(['p1', write(1), undefined, 0, 1], maybe, ['p3', read, 1, 10, 11], ['p3', read, 7, 12, 13]), 'or it happened late, long after its client gave up', UNCERTAIN);
    expectIllegal(historyOf(['p1', write(1), undefined, 0, 1], maybe, ['p3', read, 7, 10, 11], ['p3', read, 1, 12, 13]), 'it takes effect at most once: once 7 was read, 1 cannot come back', UNCERTAIN);
    expectIllegal(historyOf(['p3', read, 7, 0, 1], ['p2', write(7), undefined, 2, 0, 'info']), 'it cannot take effect before its call', UNCERTAIN);
  });

  it('a cas with an unknown outcome swapped only if it matched when it took effect', () => {
    const h = (seen: number) => historyOf(['p1', write(1), undefined, 0, 1], ['p2', cas(1, 5), undefined, 2, 0, 'info'], ['p1', write(2), undefined, 3, 4], ['p3', read, seen, 5, 6]);
    expectLinearizable(h(2), 'the cas may never have happened, or happened after write(2) and failed', UNCERTAIN);
    expectIllegal(h(5), 'write(2) returned before the read began: the cas could have swapped only before write(2), which overwrote its 5', UNCERTAIN);
  });

  it('the order names an unknown-outcome operation exactly when a result needs it', () => {
    const h = historyOf(['p1', write(1), undefined, 0, 1], ['p2', write(7), undefined, 2, 0, 'info'], ['p3', read, 7, 10, 11]);
    const verdict = checkRegister(h);
    expect(verdict.verdict === 'ok' && verdict.order.includes(2), because('the read of 7 is explained only by the timed-out write(7), so the order must place it', UNCERTAIN)).toBe(true);
  });

  it('an illegal history of 50 operations over 5 clients is decided within 100,000 steps (remember the configurations already explored)', () => {
    const ops: Array<[string, ReturnType<typeof write> | typeof read, number | undefined, number, number]> = [];
    // Ten rounds of four overlapping writes (1, 1, 2, 2), each round followed by a read of 1 or
    // 2: 12 orders of each round explain its read, and all of them end in the same configuration.
    for (let round = 0; round < 10; round++) {
      const t = round * 10;
      for (let p = 0; p < 4; p++) ops.push([`p${p + 1}`, write(p < 2 ? 1 : 2), undefined, t, t + 5]);
      ops.push(['p5', read, round === 9 ? 9 : (round % 2) + 1, t + 6, t + 7]);
    }
    expectIllegal(
      historyOf(...ops),
      'the last read returns 9, which nobody wrote. Every earlier round has 12 orders that explain it; a search that tries them all again for every order of the rounds before needs about 12^9 steps, one that remembers (placed operations, value) pairs a few hundred',
      CHECKER,
      100_000,
    );
  });
});

describe('8.1 a linearizability checker: agrees with an independent checker', () => {
  it('random histories of a real register are linearizable, with an order that explains them (property)', () => {
    checkProperty(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 4, max: 14 }), (seed, processes, operations) => {
        const h = linearizableHistory(new Random(seed), { processes, operations, uncertain: 0.2 });
        expectLinearizable(h, `a history recorded from a real register (seed ${seed}) is linearizable`);
      }),
      { numRuns: 150 },
    );
  });

  it('histories with one read changed get the same verdict as the shared checker (property)', () => {
    let illegal = 0;
    checkProperty(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 2, max: 4 }), fc.integer({ min: 4, max: 12 }), (seed, processes, operations) => {
        const random = new Random(seed);
        const h = withOneReadChanged(random, linearizableHistory(random, { processes, operations, uncertain: 0.2 }));
        const oracle = checkLinearizability(h, registerModel);
        expect(oracle.verdict, 'the shared checker decides every history this small').not.toBe('unknown');
        if (oracle.verdict === 'ok') expectLinearizable(h, `the shared checker finds an order (seed ${seed})`);
        else {
          illegal++;
          expectIllegal(h, `the shared checker proves no order exists (seed ${seed}): ${oracle.explanation}`);
        }
      }),
      { numRuns: 200 },
    );
    expect(illegal, 'the generator must produce illegal histories too, or this test proves half of what it says').toBeGreaterThan(20);
  });
});

describe('8.1 a linearizability checker: bad input', () => {
  const ok = (id: number, call: number, ret: number) => ({ id, process: 'p1', input: read, output: null, status: 'ok' as const, call, return: ret });
  it('a history it cannot read is a HistoryError naming the operation: an id twice, a return before its call, a completed op without a return', () => {
    expect(() => checkRegister([ok(1, 0, 1), ok(1, 2, 3)]), because('two operations with id 1', CHECKER)).toThrow(HistoryError);
    expect(() => checkRegister([ok(1, 0, 1), ok(1, 2, 3)]), because('the message names the operation', CHECKER)).toThrow(/#1/);
    expect(() => checkRegister([ok(4, 5, 2)]), because('returns at 2, called at 5', CHECKER)).toThrow(/#4.*before/);
    expect(() => checkRegister([ok(2, 0, Infinity)]), because('an ok operation has a finite return', CHECKER)).toThrow(HistoryError);
    expect(() => checkRegister([ok(3, Number.NaN, 1)]), because('a call must be a number', CHECKER)).toThrow(HistoryError);
  });

  it('a completed read must return a number or null, a completed cas true or false, and the operation must be read, write or cas', () => {
    expect(() => checkRegister([{ ...ok(1, 0, 1), output: true }]), because('a read returning true', CHECKER)).toThrow(HistoryError);
    expect(() => checkRegister([{ ...ok(1, 0, 1), input: cas(1, 2), output: 1 }]), because('a cas returning 1', CHECKER)).toThrow(HistoryError);
    expect(() => checkRegister([{ ...ok(1, 0, 1), input: { f: 'increment' } as never }]), because('an increment is not a register operation', CHECKER)).toThrow(HistoryError);
  });

  it('an empty history is linearizable, with an empty order', () => {
    expect(checkRegister([]), because('nothing happened, which is consistent', CHECKER)).toEqual({ verdict: 'ok', order: [] });
  });
});
