import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../shared/errors.js';
import { because } from '../../shared/testing/explain.js';
import { decodeProto, encodeProto } from '@impl/chapter03-encoding/protobuf.js';
import { checkProtoEvolution } from '@impl/chapter03-encoding/protobuf-compatibility.js';
import { UNKNOWN_FIELDS, protoMessage, type ProtoField } from '@impl/chapter03-encoding/protobuf-schema.js';

const NOTES = '3.5 Compatibility checking';
const msg = (...fields: ProtoField[]) => protoMessage('Person', fields);
const name: ProtoField = { name: 'userName', tag: 1, type: 'string' };
const kinds = (history: ReturnType<typeof msg>[], candidate: ReturnType<typeof msg>) =>
  checkProtoEvolution(history, candidate).map((i) => `${i.kind} ${i.tag} ${i.path}`);

describe('3.5 Protocol Buffers evolution: old and new readers x old and new writers', () => {
  it('adding a field: old readers keep it as unknown, new readers find it absent in old data', () => {
    const v1 = msg(name);
    const v2 = msg(name, { name: 'email', tag: 2, type: 'string' });
    expect(kinds([v1], v2)).toEqual([]);
    const oldReadsNew = decodeProto(v1, encodeProto(v2, { userName: 'Ada', email: 'a@b.c' }));
    expect(oldReadsNew.userName).toBe('Ada');
    expect(oldReadsNew[UNKNOWN_FIELDS], because('the old reader skips tag 2 and keeps it', NOTES)).toBeInstanceOf(Uint8Array);
    expect(decodeProto(v2, encodeProto(v1, { userName: 'Ada' })), because('a new reader of old data sees no email', NOTES)).toEqual({ userName: 'Ada' });
  });

  it('renaming a field changes nothing on the wire', () => {
    const v1 = msg(name, { name: 'favoriteNumber', tag: 2, type: 'int64' });
    const v2 = msg(name, { name: 'luckyNumber', tag: 2, type: 'int64' });
    expect(kinds([v1], v2)).toEqual([]);
    expect(decodeProto(v2, encodeProto(v1, { userName: 'Ada', favoriteNumber: 7 }))).toEqual({ userName: 'Ada', luckyNumber: 7 });
  });

  it('widening int32 to int64 is safe both ways for values that fit, negatives included', () => {
    const v1 = msg(name, { name: 'n', tag: 2, type: 'int32' });
    const v2 = msg(name, { name: 'n', tag: 2, type: 'int64' });
    expect(kinds([v1], v2)).toEqual([]);
    expect(decodeProto(v2, encodeProto(v1, { n: -5 })).n, because('int32 -5 is sign-extended to 64 bits, exactly like int64 -5', NOTES)).toBe(-5);
    expect(decodeProto(v1, encodeProto(v2, { n: -5 })).n).toBe(-5);
  });

  it('int32 to sint32 keeps the wire type but silently changes the numbers, and is rejected', () => {
    const v1 = msg(name, { name: 'n', tag: 2, type: 'int32' });
    const v2 = msg(name, { name: 'n', tag: 2, type: 'sint32' });
    expect(decodeProto(v2, encodeProto(v1, { n: 1 })).n, because('the varint 1 read as zigzag is -1: no error, wrong data', NOTES)).toBe(-1);
    expect(kinds([v1], v2)).toEqual(['ENCODING_CHANGED 2 Person.n']);
  });

  it('a field changed to another wire type is rejected; old data fails to decode', () => {
    const v1 = msg(name, { name: 'zip', tag: 2, type: 'string' });
    const v2 = msg(name, { name: 'zip', tag: 2, type: 'int32' });
    expect(() => decodeProto(v2, encodeProto(v1, { zip: '12345' }))).toThrow(DecodeError);
    const found = checkProtoEvolution([v1], v2);
    expect(found.map((i) => i.kind)).toEqual(['WIRE_TYPE_CHANGED']);
    expect(found[0]!.reason, because('the reason names both types', NOTES)).toMatch(/string.*int32/);
  });

  it('a tag reused for another field is rejected, even when the old field was deleted versions ago', () => {
    const v1 = msg(name, { name: 'email', tag: 3, type: 'string' });
    const v2 = msg(name);
    const v3 = msg(name, { name: 'age', tag: 3, type: 'int32' });
    expect(kinds([v1], v2), because('deleting a field is safe…', NOTES)).toEqual([]);
    expect(kinds([v2], v3), because('…and v2 alone does not show the problem…', NOTES)).toEqual([]);
    const found = checkProtoEvolution([v1, v2], v3);
    expect(found.map((i) => `${i.kind} ${i.tag}`), because('…but tag 3 once meant email, and old data still holds emails under it', NOTES)).toEqual(['TAG_REUSED 3']);
    expect(found[0]!.reason).toMatch(/email/);
    expect(() => decodeProto(v3, encodeProto(v1, { userName: 'Ada', email: 'a@b.c' })), because('v3 reading v1 data trips over the old email', NOTES)).toThrow(DecodeError);
  });

  it('nested messages are checked field by field', () => {
    const A1 = protoMessage('Address', [{ name: 'zip', tag: 1, type: 'string' }]);
    const A2 = protoMessage('Address', [{ name: 'zip', tag: 1, type: 'fixed32' }]);
    const v1 = msg(name, { name: 'address', tag: 2, type: A1 });
    const v2 = msg(name, { name: 'address', tag: 2, type: A2 });
    expect(kinds([v1], v2)).toEqual(['WIRE_TYPE_CHANGED 1 Person.address.zip']);
  });
});
