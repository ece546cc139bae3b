/**
 * The ordered key-value contract of `shared/kv.ts` on the key-range partitioned store. A tiny
 * split threshold makes it split and merge while the suite runs, so every scan, batch and
 * write-during-scan check crosses partition boundaries.
 */

import { describeKVContract, sameSections } from '../../shared/testing/kv-contract.js';
import { RangePartitionedKV } from '@impl/chapter05-partitioning/range-partitioned-kv.js';

describeKVContract(
  '5.1 RangePartitionedKV: the ordered key-value contract',
  { durable: false, open: () => new RangePartitionedKV({ splitAboveKeys: 3, mergeAtMostKeys: 2 }) },
  { sections: sameSections('5.1 Key-range partitioning') },
);
