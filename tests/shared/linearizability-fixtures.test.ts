import { describe, expect, it } from 'vitest';
import { UsageError } from '../../shared/errors.js';
import {
  assertLinearizable,
  checkLinearizability,
  kvModel,
  LinearizabilityError,
  parseKvHistory,
} from '../../shared/checkers/index.js';
import { because } from '../../shared/testing/explain.js';

interface Fixture {
  readonly name: string;
  readonly history: string;
  readonly linearizable: boolean;
}

// Hand-made histories, each with the verdict a correct checker must give. Times are positions
// on one real-time axis; `a..b` is an operation invoked at a and completed at b.
const fixtures: Fixture[] = [
  { name: 'an empty history', history: '', linearizable: true },
  {
    name: 'a read after a completed write sees it',
    history: `c1 put(x, 1) ok 0..1
              c2 get(x) → 1 ok 2..3`,
    linearizable: true,
  },
  { name: 'a key never written reads as absent', history: 'c1 get(x) → nil ok 0..1', linearizable: true },
  {
    name: 'a stale read after a completed write',
    history: `c1 put(x, 1) ok 0..1
              c1 put(x, 2) ok 2..3
              c2 get(x) → 1 ok 4..5`,
    linearizable: false,
  },
  { name: 'a read of a value nobody wrote', history: 'c1 put(x, 1) ok 0..1\nc2 get(x) → 7 ok 2..3', linearizable: false },
  {
    name: 'concurrent writes: later reads agree on one winner',
    history: `c1 put(x, 1) ok 0..10
              c2 put(x, 2) ok 1..9
              c3 get(x) → 1 ok 11..12
              c4 get(x) → 1 ok 13..14`,
    linearizable: true,
  },
  {
    name: 'concurrent writes: reads after both flip-flop between the two values',
    history: `c1 put(x, 1) ok 0..10
              c2 put(x, 2) ok 1..9
              c3 get(x) → 1 ok 11..12
              c3 get(x) → 2 ok 13..14
              c3 get(x) → 1 ok 15..16`,
    linearizable: false,
  },
  {
    name: 'a read overlapping a write may see the old value, then the new one',
    history: `c1 put(x, 1) ok 0..10
              c2 get(x) → nil ok 1..2
              c2 get(x) → 1 ok 3..4`,
    linearizable: true,
  },
  {
    name: 'a read overlapping a write cannot see the new value and then the old one',
    history: `c1 put(x, 1) ok 0..10
              c2 get(x) → 1 ok 1..2
              c2 get(x) → nil ok 3..4`,
    linearizable: false,
  },
  {
    name: 'a read of a value whose write is still pending (unknown outcome)',
    history: `c1 put(x, 1) info 0..
              c2 get(x) → 1 ok 5..6`,
    linearizable: true,
  },
  {
    name: 'a pending write, once seen, cannot be unseen',
    history: `c1 put(x, 1) info 0..
              c2 get(x) → 1 ok 5..6
              c2 get(x) → nil ok 7..8`,
    linearizable: false,
  },
  {
    name: 'a read cannot see a write invoked after the read returned',
    history: `c1 get(x) → 1 ok 0..1
              c2 put(x, 1) ok 2..3`,
    linearizable: false,
  },
  {
    name: 'a write that may or may not have happened: it did not',
    history: `c1 put(x, 1) info 0..
              c2 get(x) → nil ok 2..3
              c2 get(x) → nil ok 4..5`,
    linearizable: true,
  },
  {
    name: 'a write that may or may not have happened: it did, late',
    history: `c1 put(x, 1) info 0..
              c2 get(x) → nil ok 2..3
              c2 get(x) → 1 ok 40..41`,
    linearizable: true,
  },
  { name: 'a failed write must never be seen', history: 'c1 put(x, 1) fail 0..1\nc2 get(x) → 1 ok 2..3', linearizable: false },
  { name: 'a failed write leaves the old value', history: 'c1 put(x, 1) fail 0..1\nc2 get(x) → nil ok 2..3', linearizable: true },
  {
    name: 'a successful compare-and-set',
    history: `c1 put(x, 1) ok 0..1
              c2 cas(x, 1, 2) → true ok 2..3
              c3 get(x) → 2 ok 4..5`,
    linearizable: true,
  },
  {
    name: 'two concurrent compare-and-sets from the same value cannot both succeed (lost update)',
    history: `c1 put(x, 0) ok 0..1
              c2 cas(x, 0, 1) → true ok 2..5
              c3 cas(x, 0, 2) → true ok 3..6`,
    linearizable: false,
  },
  {
    name: 'a compare-and-set that failed although the value matched',
    history: `c1 put(x, 1) ok 0..1
              c2 cas(x, 1, 2) → false ok 2..3`,
    linearizable: false,
  },
  {
    name: 'a compare-and-set with unknown outcome whose effect a later read sees',
    history: `c1 put(x, 1) ok 0..1
              c2 cas(x, 1, 2) info 2..
              c3 get(x) → 2 ok 10..11`,
    linearizable: true,
  },
  {
    name: 'keys are independent: each key alone is fine',
    history: `c1 put(x, 1) ok 0..10
              c2 put(y, 1) ok 0..10
              c3 get(y) → nil ok 1..2
              c3 get(x) → 1 ok 3..4`,
    linearizable: true,
  },
  {
    name: 'a stale read on one key among several',
    history: `c1 put(x, 1) ok 0..1
              c1 put(y, 1) ok 2..3
              c2 get(x) → 1 ok 4..5
              c2 get(y) → nil ok 6..7`,
    linearizable: false,
  },
  {
    name: 'two readers see two concurrent writes in opposite orders',
    history: `c1 put(x, a) ok 0..10
              c2 put(x, b) ok 0..10
              c3 get(x) → a ok 1..2
              c4 get(x) → b ok 1..2
              c3 get(x) → b ok 3..4
              c4 get(x) → a ok 3..4`,
    linearizable: false,
  },
  {
    name: 'operations that only touch (one returns as the other is called) count as concurrent',
    history: `c1 put(x, 1) ok 0..2
              c2 get(x) → nil ok 2..3`,
    linearizable: true,
  },
  {
    name: 'a compare-and-set on an absent key',
    history: `c1 cas(x, nil, 1) → true ok 0..1
              c2 cas(x, nil, 2) → false ok 2..3
              c2 get(x) → 1 ok 4..5`,
    linearizable: true,
  },
];

describe('linearizability checker: hand-made histories', () => {
  for (const f of fixtures) {
    it(`${f.linearizable ? 'accepts' : 'rejects'} ${f.name}`, () => {
      const result = checkLinearizability(parseKvHistory(f.history), kvModel);
      expect(result.verdict, because(`${f.name}: ${result.explanation}`, 'Linearizability')).toBe(
        f.linearizable ? 'ok' : 'illegal',
      );
    });
  }
});

describe('linearizability checker: explanations', () => {
  it('names the smallest set of operations it cannot linearize, in the history format, with a timeline', () => {
    const history = parseKvHistory(`
      c1 put(x, 1) ok 0..1
      c9 get(x) → 1 ok 1..2
      c2 put(x, 2) ok 3..4
      c4 put(y, 5) ok 3..4
      c3 get(x) → 1 ok 5..6
      c5 get(x) → 2 ok 7..8`);
    const result = checkLinearizability(history, kvModel);
    if (result.verdict !== 'illegal') throw new Error(`expected illegal, got ${result.verdict}`);
    expect(result.partition).toBe('x');
    expect(result.operations.map((op) => op.process)).toEqual(['c1', 'c2', 'c3']);
    expect(result.culprit.process).toBe('c3');
    const lines = result.explanation.split('\n');
    expect(lines[0]).toMatch(/not linearizable on key "x": the history is fine until c3 completes/);
    expect(result.explanation).toMatch(/leave "x" as one of: 2\./);
    expect(result.explanation).toMatch(/These 3 operation\(s\) cannot be put in any order/);
    expect(result.explanation).toContain('c2 put(x, 2) ok 3..4');
    expect(result.explanation).toContain('c3 get(x) → 1 ok 5..6');
    expect(result.explanation).toMatch(/\|---\|/);
    // The printed operations parse back into a history that is still illegal on its own.
    const core = lines.filter((l) => /^ {2}c\d /.test(l)).map((l) => l.replace(/\s{2,}[ |-]*\|[ |-]*$/, ''));
    expect(checkLinearizability(parseKvHistory(core.join('\n')), kvModel).verdict).toBe('illegal');
  });

  it('an operation with unknown outcome is part of the explanation when taking effect only once matters', () => {
    const result = checkLinearizability(
      parseKvHistory(`
        c1 put(x, 1) info 0..
        c2 get(x) → 1 ok 1..2
        c3 put(x, 2) ok 3..4
        c4 put(x, 3) ok 3..4
        c2 get(x) → 1 ok 5..6`),
      kvModel,
    );
    if (result.verdict !== 'illegal') throw new Error(`expected illegal, got ${result.verdict}`);
    // One of the two overwriting puts is enough to make the second read stale.
    const core = result.operations.map((op) => `${op.process} ${op.status}`);
    expect([core[0], core[1], core[3]]).toEqual(['c1 info', 'c2 ok', 'c2 ok']);
    expect(['c3 ok', 'c4 ok']).toContain(core[2]);
    expect(result.explanation).toContain('c1 put(x, 1) info 0..');
  });

  it('answers unknown when the step budget runs out, and assertLinearizable counts that as a failure', () => {
    const lines: string[] = [];
    for (let i = 0; i < 10; i++) lines.push(`c${i} put(x, ${i}) ok 0..100`);
    lines.push('r get(x) → 99 ok 101..102');
    const history = parseKvHistory(lines.join('\n'));
    const result = checkLinearizability(history, kvModel, { maxSteps: 30 });
    expect(result.verdict).toBe('unknown');
    expect(() => assertLinearizable(history, kvModel, { maxSteps: 30 })).toThrow(LinearizabilityError);
    expect(() => assertLinearizable(history, kvModel)).toThrow(/not linearizable/);
  });

  it('rejects malformed history lines with a usage error naming the line', () => {
    expect(() => parseKvHistory('c1 put(x) ok 0..1')).toThrow(UsageError);
    expect(() => parseKvHistory('c1 get(x) ok 0..1')).toThrow(/line 1.*needs its output/);
    expect(() => parseKvHistory('\nc1 put(x, 1) info 0..3')).toThrow(/line 2.*no return time/);
    expect(() => parseKvHistory('c1 put(x, 1) ok 5..3')).toThrow(/returns before/);
  });
});
