import { describe, expect, it } from 'vitest';
import { because } from '../../shared/testing/explain.js';
import { parseAvroSchema, type AvroSchemaJson } from '@impl/chapter03-encoding/avro-schema.js';
import { checkCompatibility, explainCompatibility, readerCanRead, type CompatibilityMode } from '@impl/chapter03-encoding/compatibility.js';
import { evolutionRules } from './evolution-rules.js';

const NOTES = '3.5 Compatibility checking';
const parse = (json: AvroSchemaJson) => parseAvroSchema(json);

describe('3.5 compatibility: every rule of the notes', () => {
  for (const rule of evolutionRules) {
    it(`${rule.name}: backward ${rule.backward ?? 'ok'}, forward ${rule.forward ?? 'ok'}`, () => {
      const v1 = parse(rule.v1);
      const v2 = parse(rule.v2);
      const backward = readerCanRead(v2, v1).map((i) => i.kind);
      const forward = readerCanRead(v1, v2).map((i) => i.kind);
      expect(backward, because(`${rule.name}: can the new schema read old data?`, NOTES)).toEqual(rule.backward === null ? [] : [rule.backward]);
      expect(forward, because(`${rule.name}: can the old schema read new data?`, NOTES)).toEqual(rule.forward === null ? [] : [rule.forward]);
      const verdict = (mode: CompatibilityMode) => checkCompatibility(mode, v2, [v1]).compatible;
      expect(verdict('BACKWARD')).toBe(rule.backward === null);
      expect(verdict('FORWARD')).toBe(rule.forward === null);
      expect(verdict('FULL'), because('FULL means both BACKWARD and FORWARD', NOTES)).toBe(rule.backward === null && rule.forward === null);
      expect(verdict('NONE'), because('NONE accepts anything', NOTES)).toBe(true);
    });
  }
});

describe('3.5 compatibility: reasons and history', () => {
  const v1 = parse({ type: 'record', name: 'User', fields: [{ name: 'id', type: 'int' }] });
  const v2 = parse({ type: 'record', name: 'User', fields: [{ name: 'id', type: 'int' }, { name: 'email', type: 'string', default: '' }] });
  const v3 = parse({ type: 'record', name: 'User', fields: [{ name: 'id', type: 'int' }, { name: 'email', type: 'string' }] });

  it('a field added without a default is explained with its path and reason', () => {
    const found = readerCanRead(v3, v1);
    expect(found).toHaveLength(1);
    expect(found[0]!.kind).toBe('READER_FIELD_MISSING_DEFAULT');
    expect(found[0]!.path, because('the path names the field', NOTES)).toBe('User.email');
    expect(found[0]!.reason).toMatch(/email/);
  });

  it('non-transitive modes compare with the latest version only; transitive ones with all', () => {
    expect(checkCompatibility('BACKWARD', v3, [v1, v2]).compatible, because('v3 reads v2 data: v2 always writes email', NOTES)).toBe(true);
    const transitive = checkCompatibility('BACKWARD_TRANSITIVE', v3, [v1, v2]);
    expect(transitive.compatible, because('v3 cannot read v1 data: v1 never wrote email and v3 has no default', NOTES)).toBe(false);
    expect(transitive.problems.map((p) => [p.version, p.direction])).toEqual([[1, 'backward']]);
  });

  it('forward transitive: every older reader must read the candidate', () => {
    const old1 = parse({ type: 'record', name: 'User', fields: [{ name: 'id', type: 'int' }, { name: 'email', type: 'string' }] });
    const old2 = parse({ type: 'record', name: 'User', fields: [{ name: 'id', type: 'int' }, { name: 'email', type: 'string', default: '' }] });
    const candidate = parse({ type: 'record', name: 'User', fields: [{ name: 'id', type: 'int' }] });
    expect(checkCompatibility('FORWARD', candidate, [old1, old2]).compatible, because('v2 readers fill the missing email from their default', NOTES)).toBe(true);
    const result = checkCompatibility('FORWARD_TRANSITIVE', candidate, [old1, old2]);
    expect(result.compatible, because('v1 readers have no default for email', NOTES)).toBe(false);
    expect(result.problems.map((p) => [p.version, p.direction])).toEqual([[1, 'forward']]);
    expect(checkCompatibility('FULL_TRANSITIVE', candidate, [old1, old2]).compatible).toBe(false);
  });

  it('an empty history accepts any first version', () => {
    expect(checkCompatibility('FULL_TRANSITIVE', v3, []).compatible).toBe(true);
  });

  it('the explanation names the version, the direction, the kind, the path and the reason', () => {
    const text = explainCompatibility(checkCompatibility('FULL', v3, [v1]));
    expect(text, because('a rejected client must learn what to change', NOTES)).toMatch(/version 1/);
    expect(text).toMatch(/READER_FIELD_MISSING_DEFAULT at User\.email/);
    expect(explainCompatibility(checkCompatibility('FULL', v2, [v1]))).toBe('compatible');
  });

  it('several problems in one schema are all reported', () => {
    const a = parse({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'x', type: 'string' },
        { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B'] } },
      ],
    });
    const b = parse({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'x', type: 'int' },
        { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A'] } },
        { name: 'y', type: 'int' },
      ],
    });
    const kinds = readerCanRead(b, a).map((i) => `${i.kind} ${i.path}`);
    expect(kinds.sort()).toEqual(['MISSING_ENUM_SYMBOLS R.e', 'READER_FIELD_MISSING_DEFAULT R.y', 'TYPE_MISMATCH R.x']);
  });
});
