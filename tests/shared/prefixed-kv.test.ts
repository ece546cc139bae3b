/**
 * `PrefixedKV` is itself an ordered store, so it runs the whole contract. Its inner store holds
 * keys just below, inside the edges of and just above the prefix, so a view that leaks its
 * neighbours' keys, or strips the prefix wrongly, fails the contract's scans.
 */

import { MemoryKV } from '../../shared/memory-kv.js';
import { PrefixedKV } from '../../shared/prefixed-kv.js';
import { describeKVContract, sameSections } from '../../shared/testing/kv-contract.js';

const PREFIX = Uint8Array.of(0x61, 0xff);

function prefixedView(): PrefixedKV {
  const inner = new MemoryKV();
  // Neighbours: a shorter key, the prefix's predecessor and successor, and a longer prefix.
  for (const key of [[0x61], [0x61, 0xfe, 0xff], [0x62], [0x62, 0x00]]) {
    inner.put(Uint8Array.from(key), Uint8Array.of(0xee));
  }
  return new PrefixedKV(inner, PREFIX);
}

describeKVContract('PrefixedKV: the ordered key-value contract', { durable: false, open: prefixedView }, { sections: sameSections('shared/prefixed-kv.ts') });
