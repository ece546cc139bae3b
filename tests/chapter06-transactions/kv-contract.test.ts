/**
 * The ordered key-value contract of `shared/kv.ts` (`shared/testing/kv-contract.ts`), run on the
 * chapter's durable store, whose every batch is a transaction.
 */

import { describeKVContract, sameSections } from '../../shared/testing/kv-contract.js';
import { AtomicStore } from '@impl/chapter06-transactions/atomic-store.js';

describeKVContract(
  '6.1 AtomicStore: the ordered key-value contract',
  { durable: true, open: (disk) => new AtomicStore(disk, { dir: 'db' }) },
  { sections: sameSections('6.1 Atomic commits') },
);
