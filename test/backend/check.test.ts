import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { checkBackend, relError } from '../../src/backend/check';

describe('backend correctness check (gan check-backend)', () => {
  it('relative error catches a wrong kernel output', () => {
    assert.equal(relError([Float32Array.from([1, 2, 3])], [Float32Array.from([1, 2, 3])]), 0);
    assert.ok(relError([Float32Array.from([1, 2, 3])], [Float32Array.from([1, 2, 3.1])]) > 1e-2);
    assert.throws(
      () => relError([new Float32Array(3)], [new Float32Array(2)]),
      /2 values on the target, 3 on cpu/,
    );
  });

  it('wasm kernels agree with cpu', async () => {
    const r = await checkBackend('wasm', { steps: false });
    assert.equal(r.backend.backend, 'wasm');
    assert.ok(r.cases.length >= 4, `${r.cases.length} cases`);
    for (const c of r.cases) assert.ok(c.ok, `${c.name}: ${c.relError}`);
    assert.equal(r.ok, true);
  });

  it('the CLI fails with 2 on an unknown backend (exit codes 0 and 1 with --json: test/cli/exitCodes.test.ts)', () => {
    const bin = path.join(__dirname, '..', '..', 'bin', 'gan.js');
    const bad = spawnSync(process.execPath, [bin, 'check-backend', '--backend', 'nope'], {
      encoding: 'utf8',
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Unknown backend "nope"/);
  });
});
