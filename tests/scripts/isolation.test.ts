import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isolationFlags, tools } from '../../scripts/lib.js';

// Two test files share a module and each expects to be the first to change it. In one worker
// without isolation the second to run sees the first one's change; with verify's isolation flags
// neither does. The configuration says `isolate: false`, as the workshop's own does.
const dir = mkdtempSync(join(tmpdir(), 'ddia-isolation-'));
writeFileSync(join(dir, 'state.js'), 'export const box = { value: 0 };\n');
for (const name of ['a', 'b']) {
  writeFileSync(
    join(dir, `${name}.test.js`),
    `import { box } from './state.js';\ntest('${name} sees the module fresh', () => { expect(box.value).toBe(0); box.value = 1; });\n`,
  );
}
writeFileSync(join(dir, 'vitest.config.js'), "export default { test: { isolate: false, pool: 'threads', maxWorkers: 1, globals: true } };\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(flags: readonly string[]) {
  const result = spawnSync(process.execPath, [tools.vitest, 'run', '--root', dir, ...flags], { cwd: dir, encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

describe("verify's check:isolation", () => {
  it('its flags give every test file fresh module state, even under a configuration that shares it', () => {
    const shared = run([]);
    expect(shared.status, `without the flags, one file must see the other's change (else this test proves nothing):\n${shared.output}`).toBe(1);
    const isolated = run(isolationFlags);
    expect(isolated.status, `with ${isolationFlags.join(' ')} both files must see fresh state:\n${isolated.output}`).toBe(0);
  });
});
