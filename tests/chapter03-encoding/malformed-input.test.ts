import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { checkProperty } from '../../shared/testing/property.js';
import { decodeAvro, encodeAvro } from '@impl/chapter03-encoding/avro-binary.js';
import { createResolver } from '@impl/chapter03-encoding/avro-resolution.js';
import { parseAvroSchema, type AvroSchemaJson } from '@impl/chapter03-encoding/avro-schema.js';
import { ResolutionError } from '@impl/chapter03-encoding/errors.js';
import { decodeProto, encodeProto } from '@impl/chapter03-encoding/protobuf.js';
import { Person, PersonAvro, avroAllTypesJson, martin, protoAllTypes } from './fixtures.js';

const NOTES = 'Malformed input';
const fromHex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

/** Runs `decode` and returns the DecodeError it must throw. */
function decodeError(decode: () => unknown, what: string): DecodeError {
  try {
    decode();
  } catch (error) {
    expect(error, because(`${what} must raise a DecodeError, not ${String(error)}`, NOTES)).toBeInstanceOf(DecodeError);
    return error as DecodeError;
  }
  throw new Error(`${what}: decoding succeeded but must fail`);
}

const avro = (json: AvroSchemaJson) => parseAvroSchema(json);

describe('malformed Protocol Buffers input', () => {
  it('a buffer cut inside a field is a DecodeError, at every cut', () => {
    const good = encodeProto(Person, martin);
    // Cuts that fall between two fields leave a valid, shorter message; every other cut must fail.
    const boundaries = new Set([0, 8, 11, 24, 33]);
    for (let cut = 1; cut < good.length; cut++) {
      if (boundaries.has(cut)) continue;
      decodeError(() => decodeProto(Person, good.subarray(0, cut)), `the record cut to ${cut} bytes`);
    }
  });

  it('a string whose length runs past the end names the offset of the length', () => {
    const e = decodeError(() => decodeProto(Person, fromHex('0a 7f 41 42')), 'a length of 127 with 2 bytes left');
    expect(e.offset, because('the error points at the length that cannot be right', NOTES)).toBe(1);
  });

  it('a varint longer than 10 bytes is a DecodeError', () => {
    const e = decodeError(() => decodeProto(Person, fromHex('10 ff ff ff ff ff ff ff ff ff ff 01')), 'an 11-byte varint');
    expect(e.offset).toBe(1);
  });

  it('a huge length is refused before anything is allocated', () => {
    // field 1, length 2^35: far more than the input, and more than a typed array may hold
    decodeError(() => decodeProto(Person, fromHex('0a 80 80 80 80 80 01 41')), 'a length of 2^35');
    decodeError(() => decodeProto(protoAllTypes, fromHex('7a ff ff ff ff 07 41')), 'a string field of length 2^31 - 1');
  });

  it('invalid UTF-8 in a string field is a DecodeError at the string', () => {
    const e = decodeError(() => decodeProto(Person, fromHex('0a 02 c3 28')), 'invalid UTF-8');
    expect(e.offset).toBe(2);
  });

  it('tag 0, and wire types 3, 4, 6 and 7, are DecodeErrors', () => {
    for (const key of ['00', '0b', '0c', '0e', '0f']) decodeError(() => decodeProto(Person, fromHex(`${key} 00`)), `key 0x${key}`);
  });

  it('a nested message whose last field runs past its length is a DecodeError', () => {
    // AllTypes.inner (tag 20) with length 2, holding label (tag 1) of length 5
    decodeError(() => decodeProto(protoAllTypes, fromHex('a2 01 02 0a 05 41 42 43 44 45')), 'a field running past its message');
  });
});

describe('malformed Avro input', () => {
  it('a buffer cut anywhere is a DecodeError', () => {
    const Person = avro(PersonAvro);
    const good = encodeAvro(Person, martin);
    for (let cut = 0; cut < good.length; cut++) {
      decodeError(() => decodeAvro(Person, good.subarray(0, cut)), `the record cut to ${cut} bytes`);
    }
  });

  it('a negative length is a DecodeError at the length', () => {
    const e = decodeError(() => decodeAvro(avro('string'), fromHex('01 41')), 'string length -1');
    expect(e.offset).toBe(0);
    expect(e.expected, because('the error says a length was expected there', NOTES)).toMatch(/length/);
    decodeError(() => decodeAvro(avro('bytes'), fromHex('03 41')), 'bytes length -2');
  });

  it('a huge length or block count is refused before anything is allocated or looped over', () => {
    decodeError(() => decodeAvro(avro('bytes'), fromHex('80 80 80 80 80 80 80 80 40 41')), 'a length of 2^62');
    decodeError(() => decodeAvro(avro('string'), fromHex('fe ff ff ff 0f 41')), 'a length of 2^31 - 1');
    decodeError(() => decodeAvro(avro({ type: 'array', items: 'int' }), fromHex('fe ff ff ff ff ff ff ff 7f 02')), 'a block count of 2^62');
    decodeError(() => decodeAvro(avro({ type: 'array', items: 'null' }), fromHex('fe ff ff ff ff ff ff ff 7f')), 'a count of 2^62 nulls, which take no bytes');
    decodeError(() => decodeAvro(avro({ type: 'array', items: 'int' }), fromHex('01 fe ff ff ff 0f 02 00')), 'a block byte size past the end');
  });

  it('a union index out of range is a DecodeError at the index', () => {
    const e = decodeError(() => decodeAvro(avro(['null', 'string']), fromHex('04')), 'union index 2 of 2');
    expect(e.offset).toBe(0);
    decodeError(() => decodeAvro(avro(['null', 'string']), fromHex('01')), 'union index -1');
  });

  it('an enum index out of range, a boolean other than 0 or 1 and an int beyond 32 bits are DecodeErrors', () => {
    decodeError(() => decodeAvro(avro({ type: 'enum', name: 'E', symbols: ['A'] }), fromHex('02')), 'enum index 1 of 1');
    decodeError(() => decodeAvro(avro('boolean'), fromHex('02')), 'boolean byte 2');
    decodeError(() => decodeAvro(avro('int'), fromHex('80 80 80 80 80 01')), 'an int of 36 bits');
  });

  it('invalid UTF-8 where a string is required is a DecodeError at the string', () => {
    const e = decodeError(() => decodeAvro(avro('string'), fromHex('04 c3 28')), 'invalid UTF-8');
    expect(e.offset).toBe(1);
    const bytesAsString = createResolver(avro('bytes'), avro('string'));
    decodeError(() => bytesAsString.decode(fromHex('04 c3 28')), 'bytes that are not UTF-8 read as a string');
  });
});

describe('fuzzing the decoders', () => {
  const allTypes = avro(avroAllTypesJson);
  const nulls = avro({ type: 'array', items: 'null' });
  const maps = avro({ type: 'map', values: { type: 'array', items: ['null', 'double', 'string'] } });
  const evolved = avro({
    type: 'record',
    name: 'AllTypes',
    namespace: 'org.example',
    fields: [
      { name: 'aLong', type: 'double' },
      { name: 'aString', type: 'bytes' },
      { name: 'extra', type: 'string', default: 'x' },
      { name: 'maybeText', type: ['null', 'string', 'int'] },
    ],
  });
  let resolver: ReturnType<typeof createResolver> | undefined;

  /** Each decoder either returns or throws a DecodeError (a resolver may also throw a ResolutionError). */
  function survives(bytes: Uint8Array): void {
    const decoders: Array<[string, () => unknown, boolean]> = [
      ['decodeProto(AllTypes)', () => decodeProto(protoAllTypes, bytes), false],
      ['decodeProto(Person)', () => decodeProto(Person, bytes), false],
      ['decodeAvro(AllTypes)', () => decodeAvro(allTypes, bytes), false],
      ['decodeAvro(array<null>)', () => decodeAvro(nulls, bytes), false],
      ['decodeAvro(map<array<union>>)', () => decodeAvro(maps, bytes), false],
      ['resolver(AllTypes to evolved)', () => (resolver ??= createResolver(allTypes, evolved)).decode(bytes), true],
    ];
    for (const [name, decode, mayResolve] of decoders) {
      try {
        decode();
      } catch (error) {
        const allowed = error instanceof DecodeError || (mayResolve && error instanceof ResolutionError);
        expect(allowed, because(`${name} threw ${String(error)}; decoders may only throw DecodeError`, NOTES)).toBe(true);
      }
    }
  }

  it('random bytes: decoders return or throw a DecodeError, nothing else, and never hang', () => {
    checkProperty(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        survives(bytes);
      }),
      { numRuns: 250 },
    );
  });

  it('valid encodings with bytes changed, inserted or cut: the same', () => {
    const seeds = [encodeProto(Person, martin), encodeAvro(avro(PersonAvro), martin)];
    checkProperty(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(40), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'cut')), { minLength: 1, maxLength: 4 }),
        (seed, edits) => {
          const bytes = [...seed];
          for (const [at, value, kind] of edits) {
            const i = at % (bytes.length + 1);
            if (kind === 'set' && i < bytes.length) bytes[i] = value;
            else if (kind === 'insert') bytes.splice(i, 0, value);
            else bytes.length = Math.min(bytes.length, i);
          }
          survives(Uint8Array.from(bytes));
        },
      ),
      { numRuns: 250 },
    );
  });
});
