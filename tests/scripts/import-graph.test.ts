import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportGraph } from '../../scripts/mutants-lib.js';

const WHY = 'check:mutants runs a mutant against the test files that load the file it changes';

/** A fake tree: absolute path to text. */
function tree(files: Record<string, string>): (path: string) => string | undefined {
  const byPath = new Map(Object.entries(files).map(([p, t]) => [resolve('/repo', p), t]));
  return (path) => byPath.get(resolve(path));
}

describe('the import graph that picks the tests of a mutant', () => {
  const read = tree({
    'tests/ch/a.test.ts': "import { x } from '@impl/ch/x.js';\nimport { h } from './support/h.js';\n",
    'tests/ch/support/h.ts': "export { y } from '../../../solutions/ch/y.js';\n",
    'tests/ch/b.test.ts': "const m = await import('@impl/ch/z.js');\nimport 'node:fs';\nimport { it } from 'vitest';\n",
    'tests/ch/c.test.ts': "const w = new URL('../../solutions/ch/worker.ts', import.meta.url);\n",
    'solutions/ch/x.ts': "import { z } from './z.js';\n",
    'solutions/ch/y.ts': '',
    'solutions/ch/z.ts': "import type { T } from './types.js';\n",
    'solutions/ch/types.ts': '',
    'solutions/ch/worker.ts': "import { y } from './y.js';\n",
  });
  const graph = new ImportGraph(resolve('/repo/solutions'), read);
  const loads = (test: string) => [...graph.closure(resolve('/repo', test))].map((p) => p.slice(resolve('/repo').length + 1).replace(/\\/g, '/')).sort();

  it('follows @impl aliases, relative imports, re-exports and type imports through every level', () => {
    expect(loads('tests/ch/a.test.ts'), WHY).toEqual([
      'solutions/ch/types.ts',
      'solutions/ch/x.ts',
      'solutions/ch/y.ts',
      'solutions/ch/z.ts',
      'tests/ch/a.test.ts',
      'tests/ch/support/h.ts',
    ]);
  });

  it('follows literal dynamic imports and worker entry points named by new URL, and skips packages', () => {
    expect(loads('tests/ch/b.test.ts'), WHY).toEqual(['solutions/ch/types.ts', 'solutions/ch/z.ts', 'tests/ch/b.test.ts']);
    expect(loads('tests/ch/c.test.ts'), WHY).toEqual(['solutions/ch/worker.ts', 'solutions/ch/y.ts', 'tests/ch/c.test.ts'].sort());
  });
});
