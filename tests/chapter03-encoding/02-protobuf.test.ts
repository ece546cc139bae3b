import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { EncodeError } from '@impl/chapter03-encoding/errors.js';
import { decodeProto, encodeProto } from '@impl/chapter03-encoding/protobuf.js';
import { UNKNOWN_FIELDS, protoMessage, type ProtoMessage } from '@impl/chapter03-encoding/protobuf-schema.js';
import { Person, martin, protoValue, protoAllTypes } from './fixtures.js';

const NOTES = '3.2 Protocol Buffers';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('3.2 Protocol Buffers', () => {
  it("the book's example record is exactly 33 bytes", () => {
    const bytes = encodeProto(Person, { userName: 'Martin', favoriteNumber: 1337, interests: ['daydreaming', 'hacking'] });
    expect(JSON.stringify(martin).length, because('the same record as JSON is 81 bytes', NOTES)).toBe(81);
    expect(bytes.length, because('tags replace field names: 3 bytes of keys, 3 of lengths, 2 for 1337, 27 of text', NOTES)).toBe(33);
    expect(hex(bytes)).toBe(
      '0a064d617274696e' + // key 1|LEN, length 6, "Martin"
        '10b90a' + // key 2|VARINT, 1337
        '1a0b646179647265616d696e67' + // key 3|LEN, length 11, "daydreaming"
        '1a076861636b696e67', // key 3|LEN, length 7, "hacking"
    );
    expect(decodeProto(Person, bytes)).toEqual({ userName: 'Martin', favoriteNumber: 1337, interests: ['daydreaming', 'hacking'] });
  });

  it('each key is (tag << 3) | wire type', () => {
    const cases: Array<[Parameters<typeof protoMessage>[1][number]['type'], unknown, string]> = [
      ['int32', 1, '0801'],
      ['uint64', 1, '0801'],
      ['bool', true, '0801'],
      ['fixed64', 1, '090100000000000000'],
      ['double', 1, '09000000000000f03f'],
      ['string', 'a', '0a0161'],
      ['fixed32', 1, '0d01000000'],
      ['float', 1, '0d0000803f'],
    ];
    for (const [type, value, expected] of cases) {
      const T = protoMessage('T', [{ name: 'f', tag: 1, type }]);
      expect(hex(encodeProto(T, { f: value as never })), because(`a ${type} field 1 has key ${expected.slice(0, 2)}`, NOTES)).toBe(expected);
    }
    const Big = protoMessage('Big', [{ name: 'f', tag: 150, type: 'int32' }]);
    expect(hex(encodeProto(Big, { f: 1 })), because('tag 150, wire type 0: key 1200 is the varint b0 09', NOTES)).toBe('b00901');
  });

  it('negative int32 takes ten bytes; sint32 zigzags it into one', () => {
    const T = protoMessage('T', [
      { name: 'plain', tag: 1, type: 'int32' },
      { name: 'zigzag', tag: 2, type: 'sint32' },
    ]);
    expect(hex(encodeProto(T, { plain: -1 })), because('int32 -1 is sign-extended to 64 bits', NOTES)).toBe('08ffffffffffffffffff01');
    expect(hex(encodeProto(T, { zigzag: -1 })), because('sint32 -1 zigzags to 1', NOTES)).toBe('1001');
    expect(decodeProto(T, encodeProto(T, { plain: -2147483648, zigzag: -2147483648 }))).toEqual({ plain: -2147483648, zigzag: -2147483648 });
  });

  it('64-bit fields take numbers up to 2^53 and bigints beyond', () => {
    const T = protoMessage('T', [
      { name: 'a', tag: 1, type: 'int64' },
      { name: 'b', tag: 2, type: 'sint64' },
      { name: 'c', tag: 3, type: 'uint64' },
      { name: 'd', tag: 4, type: 'sfixed64' },
    ]);
    const big = { a: -(2n ** 63n), b: 2n ** 63n - 1n, c: 2n ** 64n - 1n, d: -(2n ** 63n) };
    expect(decodeProto(T, encodeProto(T, big)), because('64-bit values beyond 2^53 come back as bigints', NOTES)).toEqual(big);
    const small = { a: -5, b: -(2 ** 53), c: 2 ** 53, d: 7 };
    expect(decodeProto(T, encodeProto(T, small)), because('values with |v| <= 2^53 come back as numbers', NOTES)).toEqual(small);
  });

  it('a packed repeated field is one length-delimited record; unpacked repeats the key', () => {
    const Packed = protoMessage('P', [{ name: 'xs', tag: 4, type: 'int32', repeated: true, packed: true }]);
    const Unpacked = protoMessage('U', [{ name: 'xs', tag: 4, type: 'int32', repeated: true }]);
    expect(hex(encodeProto(Packed, { xs: [3, 270, 86942] })), because('packed: key 4|LEN, byte length 6, then the varints', NOTES)).toBe('2206038e029ea705');
    expect(hex(encodeProto(Unpacked, { xs: [3, 270] }))).toBe('2003208e02');
    expect(decodeProto(Unpacked, encodeProto(Packed, { xs: [1, 2] })), because('a decoder accepts the packed form for any repeated number field', NOTES)).toEqual({ xs: [1, 2] });
    expect(decodeProto(Packed, encodeProto(Unpacked, { xs: [1, 2] })), because('and the unpacked form too', NOTES)).toEqual({ xs: [1, 2] });
    expect(encodeProto(Packed, { xs: [] }).length, because('an empty packed field is not written', NOTES)).toBe(0);
    expect(decodeProto(Packed, new Uint8Array(0)), because('an absent repeated field decodes as an empty array', NOTES)).toEqual({ xs: [] });
  });

  it('a nested message is written as a length-delimited field, even past 127 bytes', () => {
    const Inner = protoMessage('Inner', [{ name: 'text', tag: 1, type: 'string' }]);
    const Outer = protoMessage('Outer', [
      { name: 'inner', tag: 1, type: Inner },
      { name: 'n', tag: 2, type: 'int32' },
    ]);
    expect(hex(encodeProto(Outer, { inner: { text: 'hi' }, n: 1 }))).toBe('0a040a0268691001');
    const long = { inner: { text: 'x'.repeat(200) }, n: 1 };
    const bytes = encodeProto(Outer, long);
    expect(bytes.length, because('a 203-byte nested message needs a 2-byte length', NOTES)).toBe(1 + 2 + 203 + 2);
    expect(decodeProto(Outer, bytes)).toEqual(long);
  });

  it('fields a reader does not know are kept and written back on re-encode', () => {
    const V2 = protoMessage('Person', [
      { name: 'userName', tag: 1, type: 'string' },
      { name: 'favoriteNumber', tag: 2, type: 'int64' },
      { name: 'email', tag: 4, type: 'string' },
      { name: 'scores', tag: 5, type: 'fixed32', repeated: true, packed: true },
      { name: 'ratio', tag: 6, type: 'double' },
      { name: 'rank', tag: 7, type: 'float' },
    ]);
    const V1 = protoMessage('Person', [
      { name: 'userName', tag: 1, type: 'string' },
      { name: 'favoriteNumber', tag: 2, type: 'int64' },
    ]);
    const original = { userName: 'Ada', favoriteNumber: 7, email: 'ada@example.org', scores: [1, 2], ratio: 0.5, rank: 2 };
    const old = decodeProto(V1, encodeProto(V2, original));
    expect(old.userName).toBe('Ada');
    expect(old[UNKNOWN_FIELDS], because('an old reader keeps new fields as raw bytes', NOTES)).toBeInstanceOf(Uint8Array);
    const edited: ProtoMessage = { ...old, favoriteNumber: 8 };
    expect(decodeProto(V2, encodeProto(V1, edited)), because('an old program that edits a record must not drop the fields it does not know', NOTES)).toEqual({ ...original, favoriteNumber: 8 });
  });

  it('any value of every supported type round-trips', () => {
    checkProperty(
      fc.property(protoValue(protoAllTypes), (value) => {
        expect(decodeProto(protoAllTypes, encodeProto(protoAllTypes, value))).toEqual(value);
      }),
    );
  });

  it('a value of the wrong type is an EncodeError naming the field', () => {
    expect(() => encodeProto(Person, { userName: 5 })).toThrow(EncodeError);
    try {
      encodeProto(Person, { userName: 'a', interests: ['ok', 3] });
    } catch (error) {
      expect(error).toBeInstanceOf(EncodeError);
      expect((error as EncodeError).path, because('the error says where in the value', NOTES)).toBe('Person.interests[1]');
    }
    expect(() => encodeProto(Person, { favoriteNumber: 1.5 })).toThrow(EncodeError);
  });

  it('a known field with the wrong wire type is a DecodeError at its key', () => {
    // field 2 (favoriteNumber, a varint) written as a length-delimited field
    const bytes = Uint8Array.of(0x0a, 0x01, 0x41, 0x12, 0x01, 0x00);
    expect(() => decodeProto(Person, bytes)).toThrow(DecodeError);
    try {
      decodeProto(Person, bytes);
    } catch (error) {
      expect((error as DecodeError).offset, because('the offset points at the key of the bad field', NOTES)).toBe(3);
    }
  });
});
