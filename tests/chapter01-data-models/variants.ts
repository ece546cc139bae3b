/**
 * Correct versions of chapter 01's solutions that differ from the reference in ways a learner's
 * code often does. `npm run check:mutants -- chapter01` applies each one to a copy of `solutions/`
 * and requires every test to pass: a test that fails on one of them asks for more than the notes
 * promise.
 *
 * Spoiler: each `find` is a piece of the reference solution.
 */

import type { Variant } from '../../shared/testing/mutant.js';

export const variants: readonly Variant[] = [
  {
    name: 'hash-join-builds-on-left',
    description: 'the hash table is built from the left input and probed with the right: the same rows in another order, and the same type errors',
    edits: [
      {
        file: 'chapter01-data-models/joins.ts',
        find:
          '  const table = new Map<Value, Row[]>();\n' +
          '  const rightTypes = new Map<string, Value>(); // typeof key -> one key of that type, for the message\n' +
          '  for (const r of right.rows) {\n' +
          '    const key = r[rightColumn]!;\n' +
          '    if (key === null) continue;\n' +
          '    if (!rightTypes.has(typeof key)) rightTypes.set(typeof key, key);\n' +
          '    let bucket = table.get(key);\n' +
          '    if (bucket === undefined) {\n' +
          '      bucket = [];\n' +
          '      table.set(key, bucket);\n' +
          '    }\n' +
          '    bucket.push(r);\n' +
          '  }\n' +
          '\n' +
          '  // Probe: each left row meets its bucket, in order, so the output order is nested-loop order.\n' +
          '  const rows: Row[] = [];\n' +
          '  for (const l of left.rows) {\n' +
          '    const key = l[leftColumn]!;\n' +
          '    if (key === null) continue;\n' +
          '    for (const [type, other] of rightTypes) {\n' +
          '      if (type !== typeof key) {\n' +
          '        throw new QueryError(\n' +
          '          `cannot join ${leftColumn} = ${rightColumn}: ${typeName(key)} ${showValue(key)} meets ${typeName(other)} ${showValue(other)}`,\n' +
          '        );\n' +
          '      }\n' +
          '    }\n' +
          '    for (const r of table.get(key) ?? []) rows.push({ ...l, ...r });\n' +
          '  }\n',
        replace:
          '  // Built on the left input and probed with the right: the same multiset, in another order.\n' +
          '  const table = new Map<Value, Row[]>();\n' +
          '  const leftTypes = new Map<string, Value>();\n' +
          '  for (const l of left.rows) {\n' +
          '    const key = l[leftColumn]!;\n' +
          '    if (key === null) continue;\n' +
          '    if (!leftTypes.has(typeof key)) leftTypes.set(typeof key, key);\n' +
          '    const bucket = table.get(key);\n' +
          '    if (bucket === undefined) table.set(key, [l]);\n' +
          '    else bucket.push(l);\n' +
          '  }\n' +
          '  const rows: Row[] = [];\n' +
          '  for (const r of right.rows) {\n' +
          '    const key = r[rightColumn]!;\n' +
          '    if (key === null) continue;\n' +
          '    for (const [type, other] of leftTypes) {\n' +
          '      if (type !== typeof key) throw new QueryError(`cannot join ${leftColumn} = ${rightColumn}: ${showValue(other)} meets ${showValue(key)}`);\n' +
          '    }\n' +
          '    for (const l of table.get(key) ?? []) rows.push({ ...l, ...r });\n' +
          '  }\n',
      },
    ],
    tests: ['05-joins.test.ts', '08-sql.test.ts'],
  },
  {
    name: 'rows-without-prototype',
    description: 'stored rows are rebuilt on Object.create(null) by assignment, which the notes allow: with no prototype, __proto__ is an ordinary key',
    edits: [
      {
        file: 'chapter01-data-models/table-storage.ts',
        find: 'return Object.fromEntries(schema.columns.map((column, i) => [column.name, values[i] ?? null]));',
        replace:
          'const row = Object.create(null) as Record<string, Value>;\n' +
          '  schema.columns.forEach((column, i) => {\n' +
          '    row[column.name] = values[i] ?? null;\n' +
          '  });\n' +
          '  return row;',
      },
    ],
    tests: ['02-table-storage.test.ts', '04-query.test.ts', '08-sql.test.ts'],
  },
  {
    name: 'evaluate-checks-depth-once',
    description: 'evaluate measures the depth once with checkDepth and then recurses without counting',
    edits: [
      {
        file: 'chapter01-data-models/expression.ts',
        find:
          'export function evaluate(expr: Expr, row: Row): Value {\n' +
          '  return evaluateAt(expr, row, 1);\n' +
          '}',
        replace:
          'export function evaluate(expr: Expr, row: Row): Value {\n' +
          '  checkDepth(expr, \'expression\');\n' +
          '  return evaluateAt(expr, row, Number.NEGATIVE_INFINITY);\n' +
          '}',
      },
    ],
    tests: ['03-expressions.test.ts', '04-query.test.ts', '05-joins.test.ts', '08-sql.test.ts'],
  },
  {
    name: 'aggregates-named-as-written',
    description: 'the executor names each aggregate as it was written, so sum(x) and sum(t.x) are computed twice under two names: slower, but the same results',
    edits: [
      {
        file: 'chapter01-data-models/sql-executor.ts',
        find: 'const name = `${fn}(${column ?? \'*\'})`;',
        replace: 'const name = `${fn}(${written ?? \'*\'})`;',
      },
    ],
    tests: ['08-sql.test.ts'],
  },
  {
    name: 'documents-without-prototype',
    description: 'denormalize builds documents on Object.create(null) and assigns fields, which keeps __proto__ as an ordinary field',
    edits: [
      {
        file: 'chapter01-data-models/normalize.ts',
        find: '  const doc: Record<string, JsonValue> = {};\n  for (const field of shape.fields) {',
        replace:
          '  const doc = Object.create(null) as Record<string, JsonValue>;\n' +
          '  for (const field of shape.fields) {',
      },
      {
        file: 'chapter01-data-models/normalize.ts',
        find: '      if (!isJsonObject(own(target, part))) define(target, part, {});',
        replace:
          '      if (!isJsonObject(own(target, part))) target[part] = Object.create(null) as Record<string, JsonValue>;',
      },
      {
        file: 'chapter01-data-models/normalize.ts',
        find: '    define(target, parts[parts.length - 1]!, own(row, field) ?? null);',
        replace: '    target[parts[parts.length - 1]!] = own(row, field) ?? null;',
      },
    ],
    tests: ['12-normalize.test.ts'],
  },
];
