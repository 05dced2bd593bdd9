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
    for (const c of r.cases) assert.ok(c.ok, `${c.name}: ${c.relError}`);
  });

  it('the CLI prints JSON and fails loudly on an unknown backend', () => {
    const bin = path.join(__dirname, '..', '..', 'bin', 'gan.js');
    const bad = spawnSync(process.execPath, [bin, 'check-backend', '--backend', 'nope'], {
      encoding: 'utf8',
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Unknown backend "nope"/);
  });
});
