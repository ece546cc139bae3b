/**
 * Exercise 6.5: the anomaly lab. First the scheduler's contract, on a small scripted engine of
 * this file; then the verdict table, one test per case and level, on the chapter's engines.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Entry, KeyRange } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { because } from '../../shared/testing/explain.js';
import { formatTable, interleavings, judge, runSchedule, type AnomalyTable, type CaseVerdict } from '@impl/chapter06-transactions/anomaly-lab.js';
import { LockWait, ScheduleStuck, TransactionAborted, TransactionStateError } from '@impl/chapter06-transactions/errors.js';
import { describeOrder, DOCTORS, HERMITAGE_CASES, rowId, rowKey, type AnomalyName, type HermitageCase, type Step, type TxnName } from '@impl/chapter06-transactions/hermitage.js';
import type { IsolationLevel, Transaction, TransactionEngine, TxnStatus } from '@impl/chapter06-transactions/transaction.js';
import { ENGINES } from './engines.js';

const NOTES = '6.5 The anomaly lab';
const LEVELS: readonly IsolationLevel[] = [...ENGINES.keys()];

/**
 * A small engine for the scheduler's contract: writes take an exclusive row lock held to the end
 * and are applied at commit; reads take no lock; it never detects a deadlock; a write listed in
 * `abortAt` (as `T<id> writes row <n>`) is aborted by "the database" once its lock is free. Every
 * call that did something is logged, in order.
 */
class ScriptedEngine implements TransactionEngine {
  readonly level: IsolationLevel = 'read-committed';
  readonly log: string[] = [];
  readonly store = new MemoryKV();
  readonly locks = new Map<number, number>();
  private nextId = 1;

  constructor(private readonly abortAt: ReadonlySet<string> = new Set()) {}

  begin(): Transaction {
    const id = this.nextId++;
    this.log.push(`T${id} begins`);
    return new ScriptedTransaction(this, id);
  }

  shouldAbort(what: string): boolean {
    return this.abortAt.has(what);
  }
}

class ScriptedTransaction implements Transaction {
  status: TxnStatus = 'active';
  private readonly writes = new Map<number, Uint8Array>();

  constructor(private readonly engine: ScriptedEngine, readonly id: number) {}

  get(key: Uint8Array): Uint8Array | undefined {
    this.active('get');
    this.engine.log.push(`T${this.id} reads row ${rowId(key)}`);
    return this.writes.get(rowId(key)) ?? this.engine.store.get(key);
  }

  put(key: Uint8Array, value: Uint8Array): void {
    this.active('put');
    const row = rowId(key);
    const what = `T${this.id} writes row ${row}`;
    const holder = this.engine.locks.get(row);
    if (holder !== undefined && holder !== this.id) throw new LockWait(this.id, `row ${row}`, [holder]);
    if (this.engine.shouldAbort(what)) {
      this.end('aborted');
      throw new TransactionAborted(this.id, 'write-conflict', `the test aborts "${what}"`);
    }
    this.engine.locks.set(row, this.id);
    this.writes.set(row, value);
    this.engine.log.push(what);
  }

  delete(): void {
    throw new Error('the scripted engine has no deletes');
  }

  scan(range: KeyRange = {}): Entry[] {
    this.active('scan');
    return [...this.engine.store.scan(range)];
  }

  commit(): void {
    this.active('commit');
    for (const [row, value] of this.writes) this.engine.store.put(rowKey(row), value);
    this.engine.log.push(`T${this.id} commits`);
    this.end('committed');
  }

  abort(): void {
    if (this.status === 'aborted') return;
    this.active('abort');
    this.engine.log.push(`T${this.id} aborts`);
    this.end('aborted');
  }

  private active(operation: string): void {
    if (this.status !== 'active') throw new TransactionStateError(this.id, operation, `T${this.id} has already ended (${this.status})`);
  }

  private end(status: TxnStatus): void {
    this.status = status;
    for (const [row, holder] of this.engine.locks) if (holder === this.id) this.engine.locks.delete(row);
  }
}

const w = (txn: TxnName, id: number, value: number): Step => ({ txn, op: 'write', id, value });
const r = (txn: TxnName, id: number, as: string): Step => ({ txn, op: 'read', id, as });
const c = (txn: TxnName): Step => ({ txn, op: 'commit' });
const a = (txn: TxnName): Step => ({ txn, op: 'abort' });

/** Runs `order` on `engine`, returning the outcome or the error the scheduler threw. */
function run(engine: TransactionEngine, order: readonly Step[]): ReturnType<typeof runSchedule> | { error: unknown } {
  try {
    return runSchedule(engine, order);
  } catch (error) {
    return { error };
  }
}

describe('6.5 the anomaly lab: the scheduler', () => {
  it('interleavings yields every order that keeps each transaction\'s steps in order, each exactly once', () => {
    const script = [w('T1', 1, 1), w('T2', 1, 2), w('T1', 2, 1), w('T3', 2, 3), c('T1'), c('T2'), c('T3')];
    const orders = [...interleavings(script)];
    expect(orders.length, because('3 + 2 + 2 steps interleave in 7! / (3! 2! 2!) = 210 ways', NOTES)).toBe(210);
    const seen = new Set(orders.map((order) => order.map((step) => script.indexOf(step)).join(',')));
    expect(seen.size, because('no interleaving is yielded twice', NOTES)).toBe(210);
    for (const order of orders) {
      expect(order.length, because('an interleaving holds every step once', NOTES)).toBe(script.length);
      for (const txn of ['T1', 'T2', 'T3'] as const) {
        expect(order.filter((s) => s.txn === txn), because(`${txn}'s steps keep their order: a transaction runs its statements one after another`, NOTES)).toEqual(script.filter((s) => s.txn === txn));
      }
    }
  });

  it('a transaction begins when its first step is released, not before', () => {
    const engine = new ScriptedEngine();
    run(engine, [w('T1', 1, 11), w('T2', 2, 22), c('T1'), c('T2')]);
    expect(engine.log.slice(0, 6), because('T2 begins at its first step, after T1\'s write: under snapshot isolation that decides what it sees', NOTES)).toEqual([
      'T1 begins',
      'T1 writes row 1',
      'T2 begins',
      'T2 writes row 2',
      'T1 commits',
      'T2 commits',
    ]);
  });

  it('a step that waits stays at the head of its queue: its transaction\'s later steps wait behind it, and it runs once the lock is free', () => {
    const engine = new ScriptedEngine();
    const outcome = run(engine, [w('T1', 1, 11), w('T2', 1, 12), w('T2', 2, 22), c('T2'), r('T1', 2, 'y'), c('T1')]);
    expect(outcome, because('the schedule completes', NOTES)).not.toHaveProperty('error');
    expect(engine.log.slice(0, 8), because('T2 waits for T1\'s lock on row 1; its write of row 2 and its commit wait behind, in order, until T1 commits', NOTES)).toEqual([
      'T1 begins',
      'T1 writes row 1',
      'T2 begins',
      'T1 reads row 2',
      'T1 commits',
      'T2 writes row 1',
      'T2 writes row 2',
      'T2 commits',
    ]);
    expect(outcome, because('commit order is T1 then T2, and the table holds T2\'s values', NOTES)).toMatchObject({
      committed: ['T1', 'T2'],
      final: new Map([[1, 12], [2, 22]]),
    });
  });

  it('a transaction the database aborts is over: the steps queued behind the aborted one are dropped, the others go on', () => {
    // T2 waits for row 1 with its write of row 2 queued behind; its retry, once T1 commits, is aborted.
    const engine = new ScriptedEngine(new Set(['T2 writes row 1']));
    const order = [w('T1', 1, 11), w('T2', 1, 12), w('T2', 2, 22), w('T3', 2, 33), c('T1'), c('T2'), c('T3')];
    const outcome = run(engine, order);
    expect(outcome, because('no step of T2 may run after the database aborted it (the engine refuses them with TransactionStateError)', NOTES)).not.toHaveProperty('error');
    expect(engine.log.filter((line) => line.startsWith('T2')), because('after the abort, T2\'s queued write and its commit are dropped', NOTES)).toEqual(['T2 begins']);
    expect(outcome, because('T1 and T3 commit', NOTES)).toMatchObject({ committed: ['T1', 'T3'], final: new Map([[1, 11], [2, 33]]) });
    const aborted = (outcome as ReturnType<typeof runSchedule>).aborted;
    expect([...aborted.keys()], because('the outcome lists the aborted transaction', NOTES)).toEqual(['T2']);
    expect(aborted.get('T2'), because('with the reason the engine gave', NOTES)).toMatch(/write-conflict/);
  });

  it('a step released after the database aborted its transaction is dropped, not run', () => {
    const engine = new ScriptedEngine(new Set(['T2 writes row 1']));
    const outcome = run(engine, [w('T1', 2, 21), w('T2', 1, 12), w('T2', 2, 22), c('T1'), c('T2')]);
    expect(outcome, because('T2\'s write of row 2 and its commit come after T2 was aborted: the scheduler drops them', NOTES)).not.toHaveProperty('error');
    expect(outcome, because('T1 commits alone', NOTES)).toMatchObject({ committed: ['T1'], final: new Map([[2, 21]]) });
  });

  it('an abort step of the script ends its transaction and is reported as an abort', () => {
    const engine = new ScriptedEngine();
    const outcome = run(engine, [w('T1', 1, 11), w('T2', 1, 12), a('T1'), c('T2')]);
    expect(outcome, because('after T1 aborts, its lock is free and T2\'s waiting write runs', NOTES)).toMatchObject({ committed: ['T2'], final: new Map([[1, 12]]) });
    expect([...(outcome as ReturnType<typeof runSchedule>).aborted.keys()], because('T1 is listed as aborted', NOTES)).toEqual(['T1']);
  });

  it('reads are recorded under their names: the value as text, or "none" for a missing row', () => {
    const engine = new ScriptedEngine();
    const outcome = run(engine, [w('T1', 1, 11), c('T1'), r('T2', 1, 'x'), r('T2', 7, 'missing'), c('T2')]);
    expect((outcome as ReturnType<typeof runSchedule>).reads, because('each read is remembered as its `as` name', NOTES)).toEqual(new Map([['x', '11'], ['missing', 'none']]));
  });

  it('a deadlock the engine misses is a ScheduleStuck error naming each waiting transaction and the step it waits at', () => {
    const engine = new ScriptedEngine(); // it never detects deadlocks
    const outcome = run(engine, [w('T1', 1, 11), w('T2', 2, 22), w('T1', 2, 21), w('T2', 1, 12), c('T1'), c('T2')]);
    const error = 'error' in outcome ? outcome.error : undefined;
    expect(error, because('T1 waits for T2 and T2 for T1 forever: the scheduler must say so, not drop the waiting steps or return', NOTES)).toBeInstanceOf(ScheduleStuck);
    const waiting = (error as ScheduleStuck).waiting;
    expect(waiting.map((x) => x.txn), because('both transactions are named', NOTES)).toEqual(['T1', 'T2']);
    expect(waiting.map((x) => x.step), because('with the step each waits at', NOTES)).toEqual(['T1 writes row 2 = 21', 'T2 writes row 1 = 12']);
    expect(waiting[0]!.waitsFor, because('and what the engine said it waits for', NOTES)).toMatch(/row 2/);
    expect(engine.log, because('no transaction went past a waiting step: the commits never ran', NOTES)).not.toContain('T1 commits');
  });
});

/** Why each level lets each anomaly happen or not, for the assertion messages. */
const WHY: Readonly<Record<AnomalyName, Readonly<Record<IsolationLevel, string>>>> = {
  G0: {
    'read-committed': 'a write takes an exclusive row lock held to the end, so a second writer waits',
    snapshot: 'first committer wins: the second writer of row 1 or row 2 is aborted',
    'serializable-2pl': 'exclusive locks held to the end order the writers',
    'serializable-ssi': 'first committer wins, as under snapshot isolation',
  },
  G1a: {
    'read-committed': 'writes stay in the write set until commit, so an aborted write is never read',
    snapshot: 'a snapshot never sees an uncommitted version, and an aborted one is removed',
    'serializable-2pl': 'the reader waits for the writer\'s exclusive lock, and then the write is gone',
    'serializable-ssi': 'a snapshot never sees an uncommitted version',
  },
  G1b: {
    'read-committed': 'only the final, committed value of a transaction is ever visible',
    snapshot: 'only committed versions are visible to others',
    'serializable-2pl': 'the reader waits until the writer ends',
    'serializable-ssi': 'only committed versions are visible to others',
  },
  G1c: {
    'read-committed': 'neither sees the other\'s uncommitted write, so information cannot flow both ways',
    snapshot: 'neither sees the other\'s uncommitted version',
    'serializable-2pl': 'each read waits for the other\'s write lock: a deadlock, one victim',
    'serializable-ssi': 'neither sees the other\'s uncommitted version',
  },
  OTV: {
    'read-committed': 'T2 cannot write row 1 until T1 ends, so a reader that saw T1 sees it or newer everywhere',
    snapshot: 'T3 reads one snapshot, and T2 loses to T1 by first committer wins',
    'serializable-2pl': 'locks order the three transactions',
    'serializable-ssi': 'T3 reads one snapshot',
  },
  PMP: {
    'read-committed': 'each select sees what has committed by then, so a row inserted in between shows up the second time',
    snapshot: 'both selects read the same snapshot',
    'serializable-2pl': 'the select\'s range lock makes the insert wait',
    'serializable-ssi': 'both selects read the same snapshot',
  },
  P4: {
    'read-committed': 'reads take no lock, so both read 10 and the second write overwrites the first',
    snapshot: 'first committer wins aborts the second writer',
    'serializable-2pl': 'both hold shared locks and both want to upgrade: a deadlock, one victim',
    'serializable-ssi': 'first committer wins aborts the second writer',
  },
  'G-single': {
    'read-committed': 'T1\'s second read sees T2\'s commit and its first did not: read skew',
    snapshot: 'T1 reads one snapshot, taken before T2 committed',
    'serializable-2pl': 'T1\'s shared lock on row 1 makes T2 wait',
    'serializable-ssi': 'T1 reads one snapshot',
  },
  'G2-item': {
    'read-committed': 'nobody locks what it read, and the writes touch different rows',
    snapshot: 'the writes touch different rows, so first committer wins sees no conflict: write skew',
    'serializable-2pl': 'each holds a shared lock the other needs: a deadlock, one victim',
    'serializable-ssi': 'the two rw-antidependencies make a dangerous structure, and one transaction is aborted',
  },
  G2: {
    'read-committed': 'the inserted rows are new keys, so no lock is in the way',
    snapshot: 'new rows conflict with nobody, so both commit: write skew over a predicate',
    'serializable-2pl': 'each select holds a range lock the other\'s insert needs: a deadlock, one victim',
    'serializable-ssi': 'a scan is remembered as a read of its range, so the inserts make rw-antidependencies',
  },
  'read-only': {
    'read-committed': 'each read sees the latest commit, whatever the others saw',
    snapshot: 'each snapshot is consistent on its own, but the three do not fit one serial order',
    'serializable-2pl': 'locks order the three transactions',
    'serializable-ssi': 'T2 is a pivot with an edge in from T3 and out to T1, and is aborted',
  },
};

/** The verdicts theory predicts; the notes state the same table. */
const EXPECTED: Readonly<Record<AnomalyName, Readonly<Record<IsolationLevel, 'prevented' | 'allowed'>>>> = (() => {
  const all = (v: 'prevented' | 'allowed', rc: 'prevented' | 'allowed' = v, si: 'prevented' | 'allowed' = v) => ({ 'read-committed': rc, snapshot: si, 'serializable-2pl': 'prevented', 'serializable-ssi': 'prevented' }) as const;
  return {
    G0: all('prevented'),
    G1a: all('prevented'),
    G1b: all('prevented'),
    G1c: all('prevented'),
    OTV: all('prevented'),
    PMP: all('prevented', 'allowed', 'prevented'),
    P4: all('prevented', 'allowed', 'prevented'),
    'G-single': all('prevented', 'allowed', 'prevented'),
    'G2-item': all('prevented', 'allowed', 'allowed'),
    G2: all('prevented', 'allowed', 'allowed'),
    'read-only': all('prevented', 'allowed', 'allowed'),
  };
})();

/** (a + b + c)! / (a! b! c!) for transactions of a, b and c steps. */
function interleavingCount(script: readonly Step[]): number {
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const sizes = (['T1', 'T2', 'T3'] as const).map((t) => script.filter((s) => s.txn === t).length);
  return sizes.reduce((count, size) => count / factorial(size), factorial(script.length));
}

/** Verdicts by case and level, each judged once per test run of this file. */
const judged = new Map<string, CaseVerdict>();
function verdictOf(level: IsolationLevel, testCase: HermitageCase): CaseVerdict {
  const id = `${level} ${testCase.title}`;
  let verdict = judged.get(id);
  if (verdict === undefined) judged.set(id, (verdict = judge(ENGINES.get(level)!, testCase)));
  return verdict;
}

/** The assertion message for one cell: why the level behaves so, and what the lab saw. */
function explain(level: IsolationLevel, testCase: HermitageCase, expected: string, why: string, got: CaseVerdict): string {
  const seen = got.witness
    ? `this interleaving showed it: ${describeOrder(got.witness.order)}; ${got.witness.anomaly}${got.witness.outcome.aborted.size > 0 ? ` (aborted: ${[...got.witness.outcome.aborted].map(([t, reason]) => `${t}, ${reason}`).join('; ')})` : ''}`
    : `none of the ${got.runs} interleavings showed it`;
  return because(`${level} should leave ${testCase.name} (${testCase.title}) ${expected}: ${why}. The lab found: ${seen}. If the scheduler's tests pass, look at the engine (notes: "${LEVEL_SECTION[level]}")`, NOTES);
}

const LEVEL_SECTION: Readonly<Record<IsolationLevel, string>> = {
  'read-committed': '6.2 Read committed',
  snapshot: '6.3 Snapshot isolation',
  'serializable-2pl': '6.4 Serializability',
  'serializable-ssi': '6.4 Serializability',
};

describe('6.5 the anomaly lab: the verdict table', () => {
  for (const testCase of HERMITAGE_CASES) {
    for (const level of LEVELS) {
      const expected = EXPECTED[testCase.name][level];
      it(`${level} ${expected === 'allowed' ? 'allows' : 'prevents'} ${testCase.name}, ${testCase.title}, in ${expected === 'allowed' ? 'some' : 'every'} interleaving`, () => {
        const got = verdictOf(level, testCase);
        expect(got.verdict, explain(level, testCase, expected, WHY[testCase.name][level], got)).toBe(expected);
        if (expected === 'prevented') {
          expect(got.runs, because(`"prevented" means no interleaving shows it, so all ${interleavingCount(testCase.script)} must run, not only Hermitage's own order`, NOTES)).toBe(interleavingCount(testCase.script));
        }
      });
    }
  }

  for (const level of LEVELS) {
    const expected = level === 'read-committed' || level === 'snapshot' ? 'allowed' : 'prevented';
    it(`the on-call doctors' write skew: ${level} ${expected === 'allowed' ? 'lets both go off call in some interleaving' : 'keeps a doctor on call in every interleaving'}`, () => {
      const got = verdictOf(level, DOCTORS);
      expect(got.verdict, explain(level, DOCTORS, expected, WHY['G2-item'][level], got)).toBe(expected);
    });
  }

  it('the table the lab prints is the one in the notes, and differs from PostgreSQL\'s nowhere', () => {
    const table: AnomalyTable = new Map(HERMITAGE_CASES.map((testCase) => [testCase.name, new Map(LEVELS.map((level) => [level, verdictOf(level, testCase).verdict]))]));
    const printed = formatTable(table, LEVELS);
    console.log(`The anomaly lab's table:\n${printed}`);
    const notes = readFileSync(new URL('../../chapters/chapter06-transactions/README.md', import.meta.url), 'utf8');
    expect(notes.includes(printed), because(`the notes show the table the lab prints:\n${printed}`, NOTES)).toBe(true);
    expect(printed.includes('*'), because('each level of this chapter gives the verdicts PostgreSQL gives at the corresponding level', NOTES)).toBe(false);
  });
});
