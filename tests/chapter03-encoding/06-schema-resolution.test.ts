import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { encodeAvro } from '@impl/chapter03-encoding/avro-binary.js';
import { createResolver } from '@impl/chapter03-encoding/avro-resolution.js';
import { parseAvroSchema, type AvroSchemaJson, type AvroValue } from '@impl/chapter03-encoding/avro-schema.js';
import { ResolutionError } from '@impl/chapter03-encoding/errors.js';
import { evolutionRules, type Outcome } from './evolution-rules.js';

const NOTES = '3.4 Schema resolution';
const show = (v: AvroValue) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));

function read(writerJson: AvroSchemaJson, readerJson: AvroSchemaJson, value: AvroValue): AvroValue {
  const writer = parseAvroSchema(writerJson);
  const reader = parseAvroSchema(readerJson);
  return createResolver(writer, reader).decode(encodeAvro(writer, value));
}

function expectOutcome(run: () => AvroValue, outcome: Outcome, invariant: string): void {
  if ('error' in outcome) {
    expect(run, because(`${invariant}: this must be refused with a ResolutionError`, NOTES)).toThrow(ResolutionError);
  } else {
    expect(run(), because(invariant, NOTES)).toEqual(outcome.value);
  }
}

describe('3.4 schema resolution: old and new readers x old and new writers', () => {
  for (const rule of evolutionRules) {
    describe(rule.name, () => {
      it('old writer, old reader: reads its own data', () => {
        for (const v of rule.oldValues) expect(read(rule.v1, rule.v1, v)).toEqual(v);
      });
      it('new writer, new reader: reads its own data', () => {
        for (const v of rule.newValues) expect(read(rule.v2, rule.v2, v)).toEqual(v);
      });
      it('old writer, new reader (backward compatibility)', () => {
        rule.oldValues.forEach((v, i) => {
          expectOutcome(() => read(rule.v1, rule.v2, v), rule.newReadsOld[i]!, `${rule.name}: a new reader reading ${show(v)}`);
        });
      });
      it('new writer, old reader (forward compatibility)', () => {
        rule.newValues.forEach((v, i) => {
          expectOutcome(() => read(rule.v2, rule.v1, v), rule.oldReadsNew[i]!, `${rule.name}: an old reader reading ${show(v)}`);
        });
      });
    });
  }
});

describe('3.4 schema resolution: details', () => {
  it('a reader field takes its default when the writer lacks it, a fresh copy each time', () => {
    const writer = parseAvroSchema({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }] });
    const reader = parseAvroSchema({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'int' },
        { name: 'tags', type: { type: 'array', items: 'string' }, default: ['x'] },
      ],
    });
    const resolver = createResolver(writer, reader);
    const first = resolver.decode(encodeAvro(writer, { a: 1 })) as { tags: string[] };
    expect(first, because("a missing field is filled from the reader's default", NOTES)).toEqual({ a: 1, tags: ['x'] });
    first.tags.push('changed');
    expect(resolver.decode(encodeAvro(writer, { a: 2 })), because('a default is copied, so changing one decoded value leaves the next alone', NOTES)).toEqual({ a: 2, tags: ['x'] });
  });

  it('fields are matched by name, not position: reordered fields resolve', () => {
    const writer = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }] };
    const reader = { type: 'record', name: 'R', fields: [{ name: 'b', type: 'string' }, { name: 'a', type: 'long' }] };
    expect(read(writer, reader, { a: 1, b: 'x' })).toEqual({ b: 'x', a: 1 });
  });

  it('a removed field is skipped, whatever its type, including arrays, maps and unions', () => {
    const writer = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'gone1', type: { type: 'array', items: 'string' } },
        { name: 'keep', type: 'int' },
        { name: 'gone2', type: { type: 'map', values: ['null', 'double'] } },
        { name: 'gone3', type: { type: 'fixed', name: 'F', size: 3 } },
        { name: 'last', type: 'string' },
      ],
    };
    const reader = { type: 'record', name: 'R', fields: [{ name: 'keep', type: 'int' }, { name: 'last', type: 'string' }] };
    const value = { gone1: ['a', 'b'], keep: 7, gone2: new Map([['k', 1.5], ['n', null]]), gone3: Uint8Array.of(1, 2, 3), last: 'end' };
    expect(read(writer, reader, value), because('skipping must consume exactly the removed field', NOTES)).toEqual({ keep: 7, last: 'end' });
  });

  it("the reader's union takes the first branch that matches the writer's type", () => {
    expect(read('int', ['null', 'string', 'long'], 5), because('int is read as the long branch by promotion', NOTES)).toBe(5);
    expect(read('string', ['null', 'bytes'], 'hi'), because('string is read as the bytes branch', NOTES)).toEqual(new TextEncoder().encode('hi'));
    expect(() => createResolver(parseAvroSchema('boolean'), parseAvroSchema(['null', 'string']))).toThrow(ResolutionError);
  });

  it("both sides unions: each datum's branch is resolved against the reader's union", () => {
    const writer: AvroSchemaJson = ['null', 'int', 'string'];
    const reader: AvroSchemaJson = ['string', 'long', 'null'];
    expect(read(writer, reader, null)).toBe(null);
    expect(read(writer, reader, 3)).toBe(3);
    expect(read(writer, reader, 'x')).toBe('x');
    expect(() => read(['null', 'boolean'], ['null', 'string'], true), because("a branch the reader's union lacks fails when it is read", NOTES)).toThrow(ResolutionError);
    expect(read(['null', 'boolean'], ['null', 'string'], null), because('…but data that took another branch still reads', NOTES)).toBe(null);
  });

  it('resolution errors say where and why', () => {
    const writer = parseAvroSchema({ type: 'record', name: 'User', fields: [{ name: 'id', type: 'string' }] });
    const reader = parseAvroSchema({ type: 'record', name: 'User', fields: [{ name: 'id', type: 'int' }] });
    try {
      createResolver(writer, reader);
      expect.unreachable('resolution should have failed');
    } catch (error) {
      expect(error).toBeInstanceOf(ResolutionError);
      expect((error as ResolutionError).path, because('the path names the field', NOTES)).toBe('User.id');
      expect((error as ResolutionError).reason).toMatch(/string.*int/);
    }
  });

  it('recursive records resolve', () => {
    const v1 = { type: 'record', name: 'Node', fields: [{ name: 'v', type: 'int' }, { name: 'next', type: ['null', 'Node'] }] };
    const v2 = {
      type: 'record',
      name: 'Node',
      fields: [
        { name: 'v', type: 'long' },
        { name: 'label', type: 'string', default: '' },
        { name: 'next', type: ['null', 'Node'] },
      ],
    };
    expect(read(v1, v2, { v: 1, next: { v: 2, next: null } })).toEqual({ v: 1, label: '', next: { v: 2, label: '', next: null } });
  });
});
