/**
 * The end-to-end test of chapter 04: a leader–follower group whose replicas keep their log and
 * data in the learner's own chapter 02 LSM-tree, on each node's simulated disk. Replicas crash
 * and restart (recovering from what the disk kept), the leader fails over, and no acknowledged
 * write may be lost.
 */
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../../shared/bytes.js';
import { checkLinearizability, kvModel } from '../../shared/checkers/index.js';
import { NotImplementedError } from '../../shared/errors.js';
import type { FileSystem } from '../../shared/fs/file-system.js';
import type { DurableKV } from '../../shared/kv.js';
import { because } from '../../shared/testing/explain.js';
import { forEachSeed } from '../../shared/testing/replay.js';
import { LsmTree } from '@impl/chapter02-storage-engines/lsm-tree.js';
import { NoGuarantees } from '@impl/chapter04-replication/session-guarantees.js';
import { clientHistory, withFinalReads } from './support/history.js';
import { LeaderFollowerCluster } from './support/leader-follower-cluster.js';

const REPLICAS = ['n1', 'n2', 'n3'];
const WRITES = 40;

/** Opens (and recovers) a replica's store: the learner's chapter 02 LSM-tree on the node's disk. */
function openLsm(disk: FileSystem): DurableKV {
  return new LsmTree(disk, { dir: 'replica', syncPolicy: 'none', memtableBytes: 2048 });
}

/** Runs `scenario`, turning "chapter 02 is not finished" into a message that says so. */
function onChapter02<T>(scenario: () => T): T {
  try {
    return scenario();
  } catch (error) {
    if (error instanceof NotImplementedError && error.file.startsWith('chapter02')) {
      throw new Error(
        'This end-to-end test stores every replica in your chapter 02 LSM-tree, and chapter 02 is not ' +
          `finished yet:\n${error.message}\nFinish chapter 02 first (npm test -- chapter02), then run this test again.`,
        { cause: error },
      );
    }
    throw error;
  }
}

describe('end to end: replication over your chapter 02 LSM-tree, with crashes and a failover', () => {
  it('replicas recover from their disks after crashes and no acknowledged write is lost', () => {
    onChapter02(() => {
      forEachSeed(3, (seed) => {
        const cluster = new LeaderFollowerCluster({
          seed,
          acks: 'sync',
          clients: { writer: { policy: () => new NoGuarantees() } },
          openStore: openLsm,
          clientTimeoutMs: 100,
        });
        const { sim } = cluster;
        const writer = cluster.client('writer');
        for (let i = 0; i < WRITES; i++) sim.after(i * 3, () => writer.write(utf8(`key-${i % 25}`), utf8(`value-${i}`)));
        let beforeCrash = 0;
        sim.after(20, () => {
          beforeCrash = cluster.replica('n3').lastOffset;
          sim.crash('n3');
        });
        sim.after(60, () => sim.restart('n3'));
        let recovered = 0;
        sim.after(61, () => {
          recovered = cluster.replica('n3').lastOffset;
        });
        sim.after(90, () => sim.crash('n1'));
        sim.after(400, () => sim.restart('n1'));
        sim.runFor(410);
        cluster.settleClients('writer');
        const leader = () => cluster.controller().assignment.leader;
        sim.runUntil(
          () => REPLICAS.every((r) => sim.isUp(r) && cluster.replica(r).lastOffset === cluster.replica(leader()).lastOffset),
          { withinMs: 20_000 },
        );
        expect(recovered, because('a restarted replica reopens its log from the disk: synced entries survive', 'The replication log')).toBeGreaterThanOrEqual(beforeCrash);
        // Every replica holds the same data…
        const keys = Array.from({ length: 25 }, (_, i) => `key-${i}`);
        const held = (replica: string) => keys.map((key) => cluster.replica(replica).valueOf(utf8(key))).map((v) => v && fromUtf8(v));
        for (const replica of REPLICAS) {
          expect(held(replica), because(`${replica} applied the same log as the leader ${leader()}`, 'Leaders and followers')).toEqual(held(leader()));
        }
        // …and it shows every acknowledged write, unless a write that may have come later replaced it.
        const history = withFinalReads(cluster, clientHistory(cluster, ['writer']), leader(), keys);
        const result = checkLinearizability(history, kvModel);
        expect(
          result.verdict,
          because(`synchronous replication keeps every acknowledged write through crashes and a failover: ${result.explanation}`, 'Failover'),
        ).toBe('ok');
      });
    });
  });
});
