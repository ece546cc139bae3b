/**
 * Known-buggy versions of the chapter's solutions. `npm run check:mutants -- chapter03` proves the
 * tests catch each one.
 */

import type { Mutant } from '../../shared/testing/mutant.js';

export const mutants: Mutant[] = [
  {
    name: 'zigzag-wrong-shift',
    description: 'zigzag smears the sign with n >> 1 instead of n >> 31, so negative numbers encode wrongly',
    file: 'chapter03-encoding/varint.ts',
    find: '((n << 1) ^ (n >> 31)) >>> 0',
    replace: '((n << 1) ^ (n >> 1)) >>> 0',
    tests: ['01-varint.test.ts'],
  },
  {
    name: 'zigzag-big-wrong-shift',
    description: 'the 64-bit zigzag shifts by 1 instead of 63',
    file: 'chapter03-encoding/varint.ts',
    find: '(n << 1n) ^ (n >> 63n)',
    replace: '(n << 1n) ^ (n >> 1n)',
    tests: ['01-varint.test.ts'],
  },
  {
    name: 'varint-shift-above-2^32',
    description: 'the varint writer uses >>> 7 for every value, which wraps above 2^32',
    file: 'chapter03-encoding/varint.ts',
    find: 'while (value > 0xffffffff) {',
    replace: 'while (value > 0xffffffff && false) {',
    tests: ['01-varint.test.ts'],
  },
  {
    name: 'varint-no-length-limit',
    description: 'the varint reader accepts a 10th byte above 1, silently overflowing 64 bits',
    file: 'chapter03-encoding/varint.ts',
    find: 'if (i === MAX_VARINT_BYTES - 1 && b > 1) {\n      throw new DecodeError(start, \'a varint of at most 64 bits\', `its 10th byte is 0x${b.toString(16)}`);\n    }\n    result |= BigInt',
    replace: 'result |= BigInt',
    tests: ['01-varint.test.ts'],
  },
  {
    name: 'protobuf-drops-unknown-fields',
    description: 'the decoder skips fields it does not know without keeping them',
    file: 'chapter03-encoding/protobuf.ts',
    find: 'unknown.bytes(r.buf.subarray(keyAt, r.pos));',
    replace: '',
    tests: ['02-protobuf.test.ts'],
  },
  {
    name: 'protobuf-packed-only-when-declared',
    description: 'the decoder accepts the packed form only for fields declared packed',
    file: 'chapter03-encoding/protobuf.ts',
    find: 'if (field.repeated && wire === WireType.len && isPackable(field.type)) {',
    replace: 'if (field.packed === true && wire === WireType.len) {',
    tests: ['02-protobuf.test.ts'],
  },
];
