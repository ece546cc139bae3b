/**
 * The ordered key-value contract (`shared/testing/kv-contract.ts`) on the in-memory reference
 * store. Chapter 02's engines run the same suite in `tests/chapter02-storage-engines/`.
 */

import { MemoryKV } from '../../shared/memory-kv.js';
import { describeKVContract, sameSections } from '../../shared/testing/kv-contract.js';

describeKVContract('MemoryKV: the ordered key-value contract', { durable: false, open: () => new MemoryKV() }, { sections: sameSections('shared/kv.ts') });
