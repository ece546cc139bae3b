/**
 * Client operations of a leader–follower cluster as a history for the linearizability checker.
 */
import { fromUtf8, utf8 } from '../../../shared/bytes.js';
import type { KvInput, KvOutput, Operation } from '../../../shared/checkers/index.js';
import type { NodeId } from '../../../shared/sim/index.js';
import type { LeaderFollowerCluster } from './leader-follower-cluster.js';

export type KvOperation = Operation<KvInput, KvOutput>;

/**
 * Every operation of `clients`, in the checker's terms. A read that failed certainly did not
 * happen (`fail`); a write that failed or is still pending may have happened (`info`): its retries
 * may have reached a leader.
 */
export function clientHistory(cluster: LeaderFollowerCluster, clients: readonly string[]): KvOperation[] {
  const ops: KvOperation[] = [];
  for (const client of clients) {
    for (const op of cluster.client(client).operations.values()) {
      const key = fromUtf8(op.key);
      const input: KvInput = op.kind === 'write' ? { f: 'put', key, value: fromUtf8(op.value!) } : { f: 'get', key };
      const done = op.status === 'ok';
      const output: KvOutput | undefined = op.kind === 'read' && done ? (op.value === null ? null : fromUtf8(op.value)) : undefined;
      ops.push({
        id: ops.length + 1,
        process: client,
        input,
        output,
        status: done ? 'ok' : op.kind === 'read' ? 'fail' : 'info',
        call: op.invokedAt,
        return: done ? op.completedAt! : Infinity,
        callTime: op.invokedAt,
        ...(op.completedAt !== null && { returnTime: op.completedAt }),
      });
    }
  }
  return ops;
}

/**
 * Appends to `ops` one read per key, after every operation, returning what `replica` holds now:
 * a history in which every acknowledged write must show in the final state, unless a write
 * that may have happened later replaced it. (Compare replicas with each other separately: a
 * write of unknown outcome could explain two final reads that disagree.)
 */
export function withFinalReads(cluster: LeaderFollowerCluster, ops: readonly KvOperation[], replica: NodeId, keys: readonly string[]): KvOperation[] {
  const out = [...ops];
  let at = cluster.sim.now + 1;
  for (const key of keys) {
    const held = cluster.replica(replica).valueOf(utf8(key));
    const call = at++;
    out.push({
      id: out.length + 1,
      process: `final-${replica}`,
      input: { f: 'get', key },
      output: held === undefined ? null : fromUtf8(held),
      status: 'ok',
      call,
      return: at++,
    });
  }
  return out;
}
