/**
 * Known-buggy versions of chapter 01's solutions. `npm run check:mutants -- chapter01` applies
 * each one to a copy of `solutions/` and proves that at least one test fails. Each is a mistake
 * learners really make; they double as "find the bug" exercises.
 *
 * Spoiler: each `find` is a line of the reference solution. Finish the chapter's exercises
 * before reading this file.
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
  {
    name: 'path-stops-at-first-array-element',
    description: '[*] takes only the first element of an array, as if it were [0]',
    file: 'chapter01-data-models/document-path.ts',
    find: 'for (const item of items) next.push(item);',
    replace: 'if (items.length > 0) next.push(items[0]!);',
    tests: ['09-document-paths.test.ts', '10-document-store.test.ts'],
  },
  {
    name: 'schema-on-read-shares-defaults',
    description: 'every read returns the same default object, so changing one document changes the next',
    file: 'chapter01-data-models/document-schema.ts',
    find: 'return structuredClone(schema.default);',
    replace: 'return schema.default;',
    tests: ['11-schema-on-read.test.ts'],
  },
  {
    name: 'normalize-drops-unknown-fields',
    description: 'a field the shape does not list is skipped instead of rejected, and silently lost',
    file: 'chapter01-data-models/normalize.ts',
    find: "throw new ShapeError(fieldPath(path, name), 'the shape has no such field, so normalising would lose it');",
    replace: 'continue;',
    tests: ['12-normalize.test.ts'],
  },
  {
    name: 'denormalize-ignores-position',
    description: 'child rows are reassembled in table order, as if tables kept the order rows were inserted in',
    file: 'chapter01-data-models/normalize.ts',
    find: "for (const group of groups.values()) group.sort((a, b) => (a['_position'] as number) - (b['_position'] as number));",
    replace: '',
    tests: ['12-normalize.test.ts'],
  },
  {
    name: 'relabel-leaves-stale-label-index',
    description: 'changing a vertex label adds the new label index entry but keeps the old one',
    file: 'chapter01-data-models/graph-store.ts',
    find: "if (old !== undefined && old.label !== label) ops.push({ type: 'delete', key: encodeKey(['label', old.label, id]) });",
    replace: '',
    tests: ['13-graph-storage.test.ts'],
  },
  {
    name: 'remove-vertex-leaves-incoming-edges',
    description: 'removing a vertex deletes its outgoing edges but leaves edges pointing at it',
    file: 'chapter01-data-models/graph-store.ts',
    find: "for (const e of this.edges(id, 'in')) {",
    replace: 'for (const e of [] as Edge[]) {',
    tests: ['13-graph-storage.test.ts'],
  },
  {
    name: 'pattern-ignores-repeated-variable',
    description: 'a variable used twice in a pattern may bind two different vertices',
    file: 'chapter01-data-models/graph-pattern.ts',
    find: 'if (bound !== undefined && bound <= i && path[bound] !== id) continue;',
    replace: '',
    tests: ['14-graph-patterns.test.ts'],
  },
  {
    name: 'reachable-visits-each-vertex-once',
    description: 'the visited set ignores the hop count, so a vertex first seen too early is never counted',
    file: 'chapter01-data-models/graph-paths.ts',
    find: 'const state = `${capped}:${id}`;',
    replace: 'const state = id;',
    tests: ['15-graph-paths.test.ts'],
  },
  {
    name: 'reachable-forgets-visited',
    description: 'the traversal keeps no visited set and walks around a cycle forever',
    file: 'chapter01-data-models/graph-paths.ts',
    find: 'if (seen.has(state)) continue;',
    replace: '',
    tests: ['15-graph-paths.test.ts'],
  },
  {
    name: 'shortest-path-depth-first',
    description: 'the search takes the newest vertex off the queue (depth-first), which finds a path but not the shortest',
    file: 'chapter01-data-models/graph-paths.ts',
    find: 'const id = queue.shift()!;',
    replace: 'const id = queue.pop()!;',
    tests: ['15-graph-paths.test.ts'],
  },
];
