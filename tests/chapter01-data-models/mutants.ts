/**
 * Known-buggy versions of chapter 01's solutions. `npm run check:mutants -- chapter01` applies
 * each one to a copy of `solutions/` and proves that at least one test fails. Each is a mistake
 * learners really make; they double as "find the bug" exercises.
 */

import type { Mutant } from '../../shared/testing/mutant.js';

export const mutants: readonly Mutant[] = [
  {
    name: 'schema-accepts-fractional-int',
    description: 'an int column accepts any number, so 1.5 is stored as an int',
    file: 'chapter01-data-models/schema.ts',
    find: "return typeof value === 'number' && Number.isSafeInteger(value);",
    replace: "return typeof value === 'number';",
    tests: ['01-schema.test.ts'],
  },
  {
    name: 'insert-many-writes-row-by-row',
    description: 'insertMany writes each row as soon as it is validated, so a bad row leaves earlier rows stored',
    file: 'chapter01-data-models/table-storage.ts',
    find: "ops.push({ type: 'put', key, value: utf8(JSON.stringify(values)) });",
    replace: 'this.kv.put(key, utf8(JSON.stringify(values)));',
    tests: ['02-table-storage.test.ts'],
  },
  {
    name: 'null-equals-null',
    description: 'a comparison with null is evaluated like any other, so null = null is true',
    file: 'chapter01-data-models/expression.ts',
    find: 'if (a === null || b === null) return null;',
    replace: 'if (a === null || b === null) return op === "=" ? a === b : op === "<>" ? a !== b : null;',
    tests: ['03-expressions.test.ts', '05-joins.test.ts'],
  },
  {
    name: 'hash-join-drops-duplicate-keys',
    description: 'the hash table keeps one row per key, so a key repeated on the build side loses matches',
    file: 'chapter01-data-models/joins.ts',
    find: 'bucket.push(r);',
    replace: 'bucket[0] = r;',
    tests: ['05-joins.test.ts'],
  },
  {
    name: 'hash-join-matches-null-keys',
    description: 'the hash join forgets that null matches nothing, so null joins with null',
    file: 'chapter01-data-models/joins.ts',
    find: '    const key = l[leftColumn]!;\n    if (key === null) continue;',
    replace: '    const key = l[leftColumn]!;\n    if (key === null) {\n      for (const r of right.rows) if (r[rightColumn] === null) rows.push({ ...l, ...r });\n      continue;\n    }',
    tests: ['05-joins.test.ts'],
  },
  {
    name: 'count-column-counts-nulls',
    description: 'count(column) counts null values too, and avg divides by them',
    file: 'chapter01-data-models/aggregation.ts',
    find: '.filter((v) => v !== null);',
    replace: '.filter(() => true);',
    tests: ['06-aggregation.test.ts'],
  },
  {
    name: 'or-binds-tighter-than-and',
    description: 'the parser reads OR terms inside AND, so a OR b AND c means (a OR b) AND c',
    file: 'chapter01-data-models/sql-parser.ts',
    find: "while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.notExpr() };",
    replace:
      "while (this.acceptKeyword('AND') || this.acceptKeyword('OR')) left = { kind: this.peek(-1).text.toUpperCase() === 'OR' ? 'or' : 'and', left, right: this.notExpr() };",
    tests: ['07-sql-parser.test.ts'],
  },
  {
    name: 'limit-before-order-by',
    description: 'the executor cuts LIMIT rows before sorting, so it returns the first rows of the table, sorted',
    file: 'chapter01-data-models/sql-executor.ts',
    find: 'if (statement.orderBy.length > 0) {',
    replace:
      'if (statement.limit !== undefined) relation = limit(relation, statement.limit);\n  if (statement.orderBy.length > 0) {',
    tests: ['08-sql.test.ts'],
  },
];
