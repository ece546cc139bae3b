import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkLinearizability,
  kvModel,
  parseKvHistory,
  type KvInput,
  type KvOutput,
  type Model,
  type Operation,
} from '../../shared/checkers/index.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { atomicKvHistory } from '../../shared/testing/kv-histories.js';
import { checkProperty } from '../../shared/testing/property.js';
import { forEachSeed } from '../../shared/testing/replay.js';

type Op = Operation<KvInput, KvOutput>;

/**
 * The definition, by brute force: try every order of the operations that respects real time;
 * `info` operations may also be left out. Exponential, so only for tiny histories.
 */
function bruteForce<S>(ops: readonly Op[], model: Model<S, KvInput, KvOutput>): boolean {
  const live = ops.filter((op) => op.status !== 'fail');
  const used = new Array<boolean>(live.length).fill(false);
  const go = (state: S, left: number): boolean => {
    if (live.every((op, i) => used[i] || op.status === 'info')) return true;
    if (left === 0) return false;
    for (let i = 0; i < live.length; i++) {
      if (used[i]) continue;
      const op = live[i]!;
      // op can go next only if no unused ok operation returned before op was called.
      if (live.some((other, j) => !used[j] && j !== i && other.return < op.call)) continue;
      const after = model.step(state, op.input, op.status === 'ok' ? op.output : undefined);
      if (after === undefined) continue;
      used[i] = true;
      const ok = go(after, left - 1);
      used[i] = false;
      if (ok) return true;
    }
    return false;
  };
  return go(model.init(), live.length);
}

/** A tiny random history, not necessarily linearizable: random intervals, inputs and outputs. */
const tinyHistory = fc
  .array(
    fc.record({
      f: fc.constantFrom('get', 'put', 'cas'),
      a: fc.constantFrom('1', '2', '3'),
      b: fc.constantFrom('1', '2', null),
      out: fc.constantFrom('1', '2', null, true, false),
      start: fc.integer({ min: 0, max: 8 }),
      length: fc.integer({ min: 0, max: 4 }),
      status: fc.constantFrom('ok', 'ok', 'ok', 'info', 'fail'),
    }),
    { maxLength: 6 },
  )
  .map((rows) =>
    rows.map((r, i): Op => {
      const input: KvInput =
        r.f === 'get' ? { f: 'get', key: 'x' } : r.f === 'put' ? { f: 'put', key: 'x', value: r.a } : { f: 'cas', key: 'x', expected: r.b, value: r.a };
      const output: KvOutput | undefined =
        r.status !== 'ok' ? undefined : r.f === 'cas' ? r.out === true : r.f === 'get' ? (typeof r.out === 'boolean' ? null : r.out) : null;
      return {
        id: i + 1,
        process: `c${i}`,
        input,
        output,
        status: r.status as Op['status'],
        call: r.start,
        return: r.status === 'info' ? Infinity : r.start + r.length,
      };
    }),
  );

describe('linearizability checker: properties', () => {
  it('histories produced by a single atomic register are always accepted', () => {
    checkProperty(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 6 }), (seed, clients) => {
        const history = atomicKvHistory(new Random(seed), { operations: 60, clients, values: 3 });
        const result = checkLinearizability(history, kvModel);
        expect(result.verdict, because(`an atomic register is linearizable: ${result.explanation}`, 'Linearizability')).toBe('ok');
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with the brute-force definition on tiny random histories, legal or not', () => {
    checkProperty(
      fc.property(tinyHistory, (history) => {
        const expected = bruteForce(history, kvModel);
        const verdict = checkLinearizability(history, kvModel).verdict;
        expect(verdict, because('the search decides exactly the definition', 'Linearizability')).toBe(expected ? 'ok' : 'illegal');
      }),
      { numRuns: 1000 },
    );
  });

  it('a read of a value never written is always rejected, and named as the culprit', () => {
    forEachSeed(15, (seed) => {
      const history = atomicKvHistory(new Random(seed), { operations: 80, keys: 3, clients: 4 });
      const target = history.filter((op) => op.input.f === 'get' && op.status === 'ok').pop();
      if (target === undefined) return;
      const broken = history.map((op) => (op === target ? { ...op, output: 'never-written' } : op));
      const result = checkLinearizability(broken, kvModel);
      expect(result.verdict).toBe('illegal');
      if (result.verdict === 'illegal') {
        expect(result.culprit.id).toBe(target.id);
        expect(result.operations.map((op) => op.id)).toContain(target.id);
      }
    });
  });

  it('the reported operations are illegal on their own terms: re-checked alone they are rejected', () => {
    forEachSeed(15, (seed) => {
      const random = new Random(seed);
      const history = atomicKvHistory(random, { operations: 40, clients: 3, values: 3, infoRate: 0, failRate: 0 });
      // Make one read stale: return the value the register held two writes earlier.
      const reads = history.filter((op) => op.input.f === 'get' && op.status === 'ok');
      const target = reads[reads.length - 1];
      if (target === undefined) return;
      const broken = history.map((op) => (op === target ? { ...op, output: target.output === '1' ? '2' : '1' } : op));
      const result = checkLinearizability(broken, kvModel);
      if (result.verdict === 'ok') return; // the changed value happened to be possible
      expect(result.verdict).toBe('illegal');
      if (result.verdict === 'illegal') {
        const alone = checkLinearizability(result.operations, kvModel);
        expect(alone.verdict, because('the core is itself a counterexample', 'Linearizability')).toBe('illegal');
      }
    });
  });

  it('a put and k timed-out puts that no read saw, then reads of the first value, are decided at once for k up to 64', () => {
    for (const k of [1, 16, 64]) {
      const lines = ['c0 put(x, first) ok 0..1'];
      for (let i = 1; i <= k; i++) lines.push(`c${i} put(x, lost${i}) info ${i + 1}..`);
      for (let r = 0; r < 10; r++) lines.push(`r${r} get(x) → first ok ${k + 2 + 2 * r}..${k + 3 + 2 * r}`);
      const result = checkLinearizability(parseKvHistory(lines.join('\n')), kvModel, { maxSteps: 1000 });
      expect(
        result.verdict,
        because(`${k} unknown puts whose values nobody read may never have happened, so the search can leave them out instead of trying 2^${k} subsets: ${result.explanation}`, 'Linearizability'),
      ).toBe('ok');
    }
  });

  it('leaving out unknown puts that nobody saw neither hides a violation nor invents one', () => {
    const stale = [
      'c0 put(x, 1) ok 0..1',
      'c1 put(x, 2) ok 2..3',
      'c2 put(x, 3) info 4..',
      'c3 get(x) → 1 ok 5..6',
    ].join('\n');
    const result = checkLinearizability(parseKvHistory(stale), kvModel);
    expect(result.verdict, because('a read of a value overwritten before it began is stale, whatever the unknown put did', 'Linearizability')).toBe('illegal');
    const needed = ['c0 put(x, 1) ok 0..1', 'c1 put(x, 2) info 2..', 'c2 cas(x, 1, 3) → false ok 4..5'].join('\n');
    const kept = checkLinearizability(parseKvHistory(needed), kvModel);
    expect(
      kept.verdict,
      because(`a cas that failed saw a value other than 1, which only the unknown put can explain: a put a failed cas may have seen must be kept: ${kept.explanation}`, 'Linearizability'),
    ).toBe('ok');
  });
});
