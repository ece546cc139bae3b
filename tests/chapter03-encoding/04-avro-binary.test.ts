import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { decodeAvro, encodeAvro } from '@impl/chapter03-encoding/avro-binary.js';
import { parseAvroSchema, type AvroSchemaJson, type AvroValue } from '@impl/chapter03-encoding/avro-schema.js';
import { EncodeError } from '@impl/chapter03-encoding/errors.js';
import { PersonAvro, avroAllTypesJson, avroAllTypesValue, martin } from './fixtures.js';

const NOTES = '3.3 Avro binary encoding';
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const schema = (json: AvroSchemaJson) => parseAvroSchema(json);

describe('3.3 Avro binary encoding', () => {
  it("the book's example record is exactly 32 bytes", () => {
    const Person = schema(PersonAvro);
    const bytes = encodeAvro(Person, martin);
    expect(bytes.length, because('no tags at all: only lengths, a union index and the values', NOTES)).toBe(32);
    expect(hex(bytes)).toBe(
      '0c4d617274696e' + // userName: length 6 (zigzag 12), "Martin"
        '02f214' + // favoriteNumber: union branch 1 (long), 1337 zigzagged to 2674
        '04' + // interests: a block of 2 items
        '16646179647265616d696e67' + // length 11, "daydreaming"
        '0e6861636b696e67' + // length 7, "hacking"
        '00', // the empty block that ends the array
    );
    expect(decodeAvro(Person, bytes)).toEqual(martin);
  });

  const primitives: Array<[string, AvroValue, string]> = [
    ['null', null, ''],
    ['boolean', true, '01'],
    ['boolean', false, '00'],
    ['int', 0, '00'],
    ['int', -1, '01'],
    ['int', 1, '02'],
    ['int', -64, '7f'],
    ['int', 64, '8001'],
    ['int', 2 ** 31 - 1, 'feffffff0f'],
    ['int', -(2 ** 31), 'ffffffff0f'],
    ['long', 2 ** 53, '8080808080808020'],
    ['long', -(2n ** 63n), 'ffffffffffffffffff01'],
    ['long', 2n ** 63n - 1n, 'feffffffffffffffff01'],
    ['float', 1, '0000803f'],
    ['double', -2, '00000000000000c0'],
    ['string', 'foo', '06666f6f'],
    ['string', '', '00'],
    ['bytes', Uint8Array.of(0xde, 0xad), '04dead'],
  ];

  it.each(primitives)('%s %s is written as the spec says', (type, value, expected) => {
    const t = schema(type);
    const bytes = encodeAvro(t, value);
    expect(hex(bytes), because(`the spec's encoding of ${type}`, NOTES)).toBe(expected);
    expect(decodeAvro(t, bytes), because('decoding gives the value back', NOTES)).toEqual(value);
  });

  it('longs round-trip at every boundary: numbers up to 2^53, bigints beyond', () => {
    const t = schema('long');
    for (const v of [0, 1, -1, 127, 128, 2 ** 31 - 1, -(2 ** 31), 2 ** 52, -(2 ** 52), 2 ** 53, -(2 ** 53)]) {
      expect(decodeAvro(t, encodeAvro(t, v)), because(`${v} is exact in a double and comes back as a number`, NOTES)).toBe(v);
    }
    for (const v of [2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 63n - 1n, -(2n ** 63n)]) {
      expect(decodeAvro(t, encodeAvro(t, v)), because(`${v} is beyond 2^53 and comes back as a bigint`, NOTES)).toBe(v);
    }
    expect(decodeAvro(t, encodeAvro(t, 5n)), because('a small bigint comes back as a number', NOTES)).toBe(5);
  });

  it('records are their fields in order; enums an index; fixed the raw bytes', () => {
    const t = schema({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B', 'C'] } },
        { name: 'f', type: { type: 'fixed', name: 'F', size: 2 } },
        { name: 'n', type: 'int' },
      ],
    });
    const bytes = encodeAvro(t, { e: 'C', f: Uint8Array.of(1, 2), n: 3 });
    expect(hex(bytes), because('enum C is index 2 (zigzag 04), fixed is two raw bytes, int 3 is 06', NOTES)).toBe('04010206');
  });

  it('maps are blocks of key/value pairs; unions a branch index then the value', () => {
    const m = schema({ type: 'map', values: 'int' });
    expect(hex(encodeAvro(m, new Map([['a', 1]]))), because('block of 1, key "a", value 1, end', NOTES)).toBe('0202610200');
    expect(hex(encodeAvro(m, new Map()))).toBe('00');
    const u = schema(['null', 'string', 'int']);
    expect(hex(encodeAvro(u, null))).toBe('00');
    expect(hex(encodeAvro(u, 'x')), because('branch 1 (zigzag 02), then the string', NOTES)).toBe('020278');
    expect(hex(encodeAvro(u, 7))).toBe('040e');
    expect(decodeAvro(u, fromHex('040e'))).toBe(7);
  });

  it('arrays in several blocks, and blocks with a negative count and a byte size, decode alike', () => {
    const t = schema({ type: 'array', items: 'long' });
    const expected = [1, 2, 3];
    expect(decodeAvro(t, fromHex('06 02 04 06 00')), because('one block of 3', NOTES)).toEqual(expected);
    expect(decodeAvro(t, fromHex('02 02 04 04 06 00')), because('a block of 1 then a block of 2', NOTES)).toEqual(expected);
    expect(decodeAvro(t, fromHex('05 06 02 04 06 00')), because('count -3 (zigzag 05) means 3 items, then their size: 3 bytes (zigzag 06)', NOTES)).toEqual(expected);
    const m = schema({ type: 'map', values: 'string' });
    expect(decodeAvro(m, fromHex('01 0a 02 6b 04 76 76 00')), because('maps use the same block forms', NOTES)).toEqual(new Map([['k', 'vv']]));
  });

  it('a record that contains itself (a linked list) round-trips', () => {
    const t = schema({
      type: 'record',
      name: 'Node',
      fields: [
        { name: 'value', type: 'int' },
        { name: 'next', type: ['null', 'Node'] },
      ],
    });
    const list = { value: 1, next: { value: 2, next: { value: 3, next: null } } };
    expect(hex(encodeAvro(t, list)), because('value 1, branch 1, value 2, branch 1, value 3, branch 0 (null)', NOTES)).toBe('020204020600');
    expect(decodeAvro(t, encodeAvro(t, list))).toEqual(list);
    expect(encodeAvro(t, list).length, because('three ints and three union indexes', NOTES)).toBe(6);
  });

  it('any value of every supported type round-trips', () => {
    const t = schema(avroAllTypesJson);
    checkProperty(
      fc.property(avroAllTypesValue, (value) => {
        expect(decodeAvro(t, encodeAvro(t, value))).toEqual(value);
      }),
    );
  });

  it('a missing field with a default is written as the default', () => {
    const t = schema({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'int' },
        { name: 'b', type: 'string', default: 'none' },
      ],
    });
    expect(decodeAvro(t, encodeAvro(t, { a: 1 }))).toEqual({ a: 1, b: 'none' });
  });

  it('a value that does not fit is an EncodeError whose path names it', () => {
    const Person = schema(PersonAvro);
    const cases: Array<[AvroValue, string]> = [
      [{ userName: 5, interests: [] }, 'Person.userName'],
      [{ userName: 'a', interests: ['x', 3] }, 'Person.interests[1]'],
      [{ userName: 'a', favoriteNumber: 'many', interests: [] }, 'Person.favoriteNumber'],
      [{ interests: [] }, 'Person.userName'],
    ];
    for (const [value, path] of cases) {
      try {
        encodeAvro(Person, value);
        expect.unreachable('encoding should have failed');
      } catch (error) {
        expect(error, because('a value that does not fit its schema is an EncodeError', NOTES)).toBeInstanceOf(EncodeError);
        expect((error as EncodeError).path, because('the error says where in the value', NOTES)).toBe(path);
      }
    }
    expect(() => encodeAvro(schema('int'), 2 ** 31)).toThrow(EncodeError);
    expect(() => encodeAvro(schema('long'), 2n ** 63n)).toThrow(EncodeError);
    expect(() => encodeAvro(schema({ type: 'enum', name: 'E', symbols: ['A'] }), 'B')).toThrow(EncodeError);
  });

  it('bytes left over after the value are a DecodeError', () => {
    expect(() => decodeAvro(schema('int'), fromHex('0202'))).toThrow(DecodeError);
  });
});
