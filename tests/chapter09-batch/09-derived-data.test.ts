import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/bytes.js';
import { DurableMemoryKV } from '../../shared/durable-memory-kv.js';
import { UsageError } from '../../shared/errors.js';
import { SimDisk, SimulatedCrash } from '../../shared/fs/sim-disk.js';
import type { OrderedKV } from '../../shared/kv.js';
import { MemoryKV } from '../../shared/memory-kv.js';
import { Random } from '../../shared/random.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { encodeKey } from '../../shared/tuple-key.js';
import {
  DerivedDataJob,
  MalformedDocumentError,
  ManifestError,
  buildIndex,
  lookupGroup,
  lookupTerm,
  manifestKey,
  readIndex,
  runDerivedDataJob,
  type BuiltIndex,
  type DerivedJobOptions,
  type JobPhase,
} from '@impl/chapter09-batch/derived-data.js';
import {
  AUTHORS,
  COLLECTION,
  IDS,
  NAME,
  SPEC,
  WORDS,
  applyChanges,
  changed,
  putDoc,
  randomDocs,
  referenceIndex,
  storeDocs,
  storedVersions,
  visible,
  type Doc,
} from './derived-docs.js';

const SNAPSHOT = 'Building the index from a snapshot';
const SWAP = 'Swapping in a new version atomically';
const CRASH = 'Crashes and old versions';

/** A crash-faulty disk and a way to (re)open the database on it, every write synced. */
function durableDatabase(seed: number): { disk: SimDisk; open: () => DurableMemoryKV } {
  const disk = new SimDisk(new Random(seed));
  return { disk, open: () => new DurableMemoryKV(disk, { dir: 'db', syncPolicy: 'every-write', compactBytes: 1 << 16 }) };
}

const docArb: fc.Arbitrary<Doc> = fc.record(
  {
    title: fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }).chain((ws) => fc.constantFrom(' ', ', ', '—', '\t').map((sep) => ws.join(sep))),
    body: fc.option(fc.array(fc.constantFrom(...WORDS), { maxLength: 8 }).map((ws) => ws.join(' ')), { nil: null }),
    author: fc.constantFrom(...AUTHORS),
    stars: fc.integer({ min: 0, max: 5 }),
  },
  { requiredKeys: ['stars'] },
);
const docsArb: fc.Arbitrary<Map<string, Doc>> = fc.array(fc.tuple(fc.constantFrom(...IDS), docArb), { maxLength: 14 }).map((pairs) => new Map(pairs));

describe('9.4 Derived data: the index a batch job builds', () => {
  it('a small index, by hand: terms are lowercased runs of letters and digits; groups count documents and terms', () => {
    const kv = new MemoryKV();
    putDoc(kv, 'p1', { title: 'The LOG', body: 'log-structured, the log', author: 'ada' });
    putDoc(kv, 'p2', { title: 'Naïve data', author: 'bob' });
    putDoc(kv, 'p3', { title: 'data, DATA', body: null });
    putDoc(kv, 'x1', { title: 'ignored: another collection' }, 'drafts');
    runDerivedDataJob({ ...SPEC, source: kv, target: kv });
    expect(visible(kv), because('the index maps each term to its sorted document ids; the aggregate table counts each author\'s documents and terms', SNAPSHOT)).toEqual({
      postings: [
        { term: 'data', ids: ['p2', 'p3'] },
        { term: 'log', ids: ['p1'] },
        { term: 'naïve', ids: ['p2'] },
        { term: 'structured', ids: ['p1'] },
        { term: 'the', ids: ['p1'] },
      ],
      groups: [
        { group: 'ada', documents: 1, terms: 6 },
        { group: 'bob', documents: 1, terms: 2 },
      ],
    });
    expect(lookupTerm(kv, NAME, 'log'), because('a lookup reads the version the manifest names', SWAP)).toEqual(['p1']);
    expect(lookupTerm(kv, NAME, 'missing')).toEqual([]);
    expect(lookupGroup(kv, NAME, 'ada')).toEqual({ group: 'ada', documents: 1, terms: 6 });
    expect(lookupGroup(kv, NAME, 'nobody')).toBeUndefined();
  });

  it('the stored index equals a plain in-memory reference on random documents, rebuilt over an old index, for any batch size (property)', () => {
    checkProperty(
      fc.property(docsArb, docsArb, fc.integer({ min: 1, max: 7 }), fc.boolean(), (first, second, batchSize, sameStore) => {
        const source = new MemoryKV();
        const target = sameStore ? source : new MemoryKV();
        putDoc(source, 'n1', { title: 'noise in another collection' }, 'drafts');
        storeDocs(source, first);
        runDerivedDataJob({ ...SPEC, source, target, batchSize });
        expect(visible(target), because('the first build indexes exactly the collection\'s documents', SNAPSHOT)).toEqual(referenceIndex(first));
        applyChanges(source, first, second);
        runDerivedDataJob({ ...SPEC, source, target, batchSize });
        expect(visible(target), because('a rebuild indexes the documents as they are now: nothing of the old version shows through', SWAP)).toEqual(referenceIndex(second));
        expect(buildIndex([...second].map(([id, doc]) => ({ id, doc })), SPEC), because('buildIndex computes the same index in memory', SNAPSHOT)).toEqual(referenceIndex(second));
        expect(storedVersions(target).length, because('after the flip every older version is garbage-collected: one version stays', CRASH)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 60 },
    );
  });

  it('writes to the source after the snapshot step do not leak into the index', () => {
    forEachSeed(10, (seed) => {
      const random = new Random(seed);
      const kv = new MemoryKV();
      const docs = randomDocs(random, 8);
      storeDocs(kv, docs);
      const job = new DerivedDataJob({ ...SPEC, source: kv, target: kv, batchSize: 2 });
      expect(job.step(), because('a job starts by taking its snapshot', SNAPSHOT)).toBe('snapshot');
      applyChanges(kv, docs, changed(random, docs));
      putDoc(kv, 'late', { title: 'written after the snapshot', author: 'zed' });
      job.run();
      expect(visible(kv), because('the job indexes the snapshot it took first, not the live store', SNAPSHOT)).toEqual(referenceIndex(docs));
    });
  });
});

describe('9.4 Derived data: the atomic swap', () => {
  it('a reader between any two steps of a rebuild sees the whole old index or the whole new one, never a mix, and never the old one again after the new', () => {
    forEachSeed(12, (seed) => {
      const random = new Random(seed);
      const source = new MemoryKV();
      const target = random.chance(0.5) ? source : new MemoryKV();
      const before = randomDocs(random, 8);
      storeDocs(source, before);
      runDerivedDataJob({ ...SPEC, source, target, batchSize: random.int(1, 3) });
      const after = changed(random, before);
      applyChanges(source, before, after);
      const oldIndex = referenceIndex(before);
      const newIndex = referenceIndex(after);
      const job = new DerivedDataJob({ ...SPEC, source, target, batchSize: random.int(1, 3) });
      let seenNew = false;
      const steps: JobPhase[] = [];
      const check = (): void => {
        const seen = visible(target);
        const isNew = JSON.stringify(seen) === JSON.stringify(newIndex);
        const isOld = JSON.stringify(seen) === JSON.stringify(oldIndex);
        expect(isOld || isNew, because(`after steps [${steps.join(', ')}], a reader must see the old index or the new one, whole`, SWAP)).toBe(true);
        if (!isNew) expect(seenNew, because(`after steps [${steps.join(', ')}], the old index came back after the new one was visible`, SWAP)).toBe(false);
        if (isNew && !isOld) seenNew = true;
        const shown = isNew ? newIndex : oldIndex;
        for (const { term, ids } of shown.postings) {
          expect(lookupTerm(target, NAME, term), because(`after steps [${steps.join(', ')}], a lookup reads the version the manifest names`, SWAP)).toEqual(ids);
        }
      };
      check();
      while (job.phase !== 'done') {
        steps.push(job.step());
        check();
      }
      expect(visible(target), because('once the job is done, readers see the new index', SWAP)).toEqual(newIndex);
    });
  });

  it('a job stopped at any step before the flip, on a store that then crashes, leaves the old index readable; a rerun builds the new one and collects the leftovers', () => {
    const random = new Random(7);
    const before = randomDocs(random, 8);
    const middle = changed(random, before);
    middle.set('d98', { title: 'zebra: only in the run that dies', author: 'dan' });
    const after = changed(random, middle);
    after.delete('d98');
    after.set('d99', { title: 'only in the rerun', author: 'cy' });
    let stepsBeforeFlip = 0;
    for (let stop = 0; stepsBeforeFlip === 0; stop++) {
      const { disk, open } = durableDatabase(stop + 1);
      let kv = open();
      storeDocs(kv, before);
      runDerivedDataJob({ ...SPEC, source: kv, target: kv, batchSize: 2 });
      applyChanges(kv, before, middle);
      const job = new DerivedDataJob({ ...SPEC, source: kv, target: kv, batchSize: 2 });
      const steps: JobPhase[] = [];
      while (steps.length < stop && job.phase !== 'flip') steps.push(job.step());
      if (job.phase === 'flip') stepsBeforeFlip = steps.length;
      disk.crash();
      kv = open();
      expect(visible(kv), because(`a job that died after steps [${steps.join(', ')}] (before the flip) leaves the old index in place`, CRASH)).toEqual(referenceIndex(before));
      applyChanges(kv, middle, after);
      runDerivedDataJob({ ...SPEC, source: kv, target: kv, batchSize: 2 });
      expect(visible(kv), because(`the rerun after a job that died after steps [${steps.join(', ')}] shows exactly the new documents: no leftover of the dead job mixes in`, CRASH)).toEqual(referenceIndex(after));
      expect(storedVersions(kv), because('after the rerun\'s flip, older versions and the dead job\'s leftovers are collected', CRASH)).toEqual([readIndex(kv, NAME)!.version]);
      kv.close();
    }
    expect(stepsBeforeFlip, because('the job writes the new version in several steps before the flip', SWAP)).toBeGreaterThan(2);
  });

  it('a disk crash at any write of a rebuild leaves the old index before the flip, the new one after it, and one of the two during it', () => {
    const random = new Random(11);
    const before = randomDocs(random, 8);
    const after = changed(random, before);
    let completed = false;
    const crashedPhases = new Set<JobPhase>();
    for (let calls = 1; !completed; calls++) {
      const { disk, open } = durableDatabase(calls);
      let kv = open();
      storeDocs(kv, before);
      runDerivedDataJob({ ...SPEC, source: kv, target: kv, batchSize: 3 });
      applyChanges(kv, before, after);
      const job = new DerivedDataJob({ ...SPEC, source: kv, target: kv, batchSize: 3 });
      disk.scheduleCrash(calls, { unsyncedWrites: 'tear-last' });
      let crashedIn: JobPhase | undefined;
      try {
        job.run();
        completed = true;
        disk.cancelScheduledCrash();
      } catch (error) {
        if (!(error instanceof SimulatedCrash)) throw error;
        crashedIn = job.phase;
        crashedPhases.add(crashedIn);
      }
      if (completed) {
        expect(visible(kv), because('a job that ran to the end shows the new index', SWAP)).toEqual(referenceIndex(after));
        break;
      }
      kv = open();
      const seen = visible(kv);
      const where = `a crash at disk call ${calls}, in the ${crashedIn} step`;
      if (crashedIn === 'flip') {
        expect([referenceIndex(before), referenceIndex(after)], because(`${where}: the flip is one batch, so the old index or the new one survives`, CRASH)).toContainEqual(seen);
      } else if (crashedIn === 'gc' || crashedIn === 'done') {
        expect(seen, because(`${where}: the flip was durable, so the new index stays`, CRASH)).toEqual(referenceIndex(after));
      } else {
        expect(seen, because(`${where}: before the flip, the old index stays`, CRASH)).toEqual(referenceIndex(before));
      }
    }
    expect([...crashedPhases].sort(), because('the sweep crashes the disk in every step that writes: the new version, the flip and the garbage collection', CRASH)).toEqual(['flip', 'gc', 'write']);
  });
});

describe('9.4 Derived data: bad input', () => {
  const base = (kv: OrderedKV): DerivedJobOptions => ({ ...SPEC, source: kv, target: kv });

  /** A store with a finished index, for checking that a failed job leaves it alone. */
  function indexed(): { kv: MemoryKV; old: BuiltIndex } {
    const kv = new MemoryKV();
    const docs = new Map<string, Doc>([['d01', { title: 'old data', author: 'ada' }]]);
    storeDocs(kv, docs);
    runDerivedDataJob(base(kv));
    return { kv, old: referenceIndex(docs) };
  }

  it('a document that is not JSON, not an object, or has a non-string text or group field is a MalformedDocumentError naming it; the old index stays', () => {
    const cases: [string, Uint8Array, string][] = [
      ['not JSON', utf8('{"title": '), 'bad1'],
      ['an array', utf8('["a"]'), 'bad2'],
      ['a number title', utf8('{"title": 42}'), 'bad3'],
      ['an object author', utf8('{"title": "ok", "author": {"n": 1}}'), 'bad4'],
    ];
    for (const [what, value, id] of cases) {
      const { kv, old } = indexed();
      kv.put(encodeKey(['doc', COLLECTION, id]), value);
      let error: unknown;
      try {
        runDerivedDataJob(base(kv));
      } catch (e) {
        error = e;
      }
      expect(error, because(`a document that is ${what} is a MalformedDocumentError`, SNAPSHOT)).toBeInstanceOf(MalformedDocumentError);
      expect((error as MalformedDocumentError).id, because('the error names the document', SNAPSHOT)).toBe(id);
      expect((error as MalformedDocumentError).collection).toBe(COLLECTION);
      expect((error as Error).message).toContain(id);
      expect(visible(kv), because('a job that fails on its input leaves the old index in place', CRASH)).toEqual(old);
      expect(storedVersions(kv).length, because('a job that fails before writing leaves no new version behind', CRASH)).toBe(1);
    }
  });

  it('a manifest that does not hold {"version": n} is a ManifestError, for readers and for the job', () => {
    for (const bad of ['not json', '{"version": 0}', '{"version": "2"}', '[]']) {
      const kv = new MemoryKV();
      kv.put(manifestKey(NAME), utf8(bad));
      expect(() => readIndex(kv, NAME), because(`a manifest holding ${bad} cannot name a version`, SWAP)).toThrow(ManifestError);
      expect(() => lookupTerm(kv, NAME, 'x')).toThrow(ManifestError);
      expect(() => runDerivedDataJob(base(kv)), because('the job reads the manifest to choose its version, and refuses a broken one', SWAP)).toThrow(ManifestError);
    }
  });

  it('bad options are UsageErrors, and so is stepping a job that is done', () => {
    const kv = new MemoryKV();
    expect(() => new DerivedDataJob({ ...base(kv), name: '' })).toThrow(UsageError);
    expect(() => new DerivedDataJob({ ...base(kv), collection: '' })).toThrow(UsageError);
    expect(() => new DerivedDataJob({ ...base(kv), textFields: [] })).toThrow(UsageError);
    expect(() => new DerivedDataJob({ ...base(kv), batchSize: 0 })).toThrow(UsageError);
    expect(() => new DerivedDataJob({ ...base(kv), batchSize: 1.5 })).toThrow(UsageError);
    const job = new DerivedDataJob(base(kv));
    job.run();
    expect(job.phase).toBe('done');
    expect(() => job.step(), because('a finished job does not run again; start a new one', SWAP)).toThrow(UsageError);
    expect(readIndex(new MemoryKV(), NAME), because('an index no job has flipped in does not exist yet', SWAP)).toBeUndefined();
  });
});
