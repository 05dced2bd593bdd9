import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const gan = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [path.join(ROOT, 'bin', 'gan.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, GAN_BACKEND: '', ...env },
    timeout: 120_000,
  });

describe('gan CLI (compiled, via bin/gan.js)', () => {
  it('doctor --json prints one JSON object with the backend report, Jupyter and kernels', () => {
    const r = gan(['doctor', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, 'exactly one line of JSON');
    const j = JSON.parse(lines[0]);
    for (const k of ['backend', 'device', 'node', 'skipped', 'jupyter', 'kernels', 'datasets'])
      assert.ok(k in j, k);
    assert.equal(j.backend, 'wasm');
    assert.match(j.skipped['tfjs-node-gpu'], /^not installed$|native library is missing/);
    assert.equal(j.node, process.version);
    assert.equal(typeof j.jupyter.found, 'boolean');
    assert.ok(Array.isArray(j.kernels));
  });

  it('doctor prints a readable report', () => {
    const r = gan(['doctor']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Backend\s+wasm/);
    // npm keeps the optional package without its native library when its install step cannot download it
    assert.match(r.stdout, /skipped\s+tfjs-node-gpu: (not installed|.*native library is missing)/);
  });

  it('unknown commands and flags print usage and exit 2', () => {
    const a = gan(['frobnicate']);
    assert.equal(a.status, 2);
    assert.match(a.stderr, /unknown command 'frobnicate'/);
    const b = gan(['doctor', '--bogus']);
    assert.equal(b.status, 2);
    assert.match(b.stderr, /unknown option '--bogus'/);
    assert.match(b.stderr, /Usage: gan doctor/);
  });

  it('GAN_BACKEND=nonsense lists the valid backend names and exits 2', () => {
    const r = gan(['doctor', '--json'], { GAN_BACKEND: 'nonsense' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Unknown backend "nonsense".*wasm, cpu/);
  });
});
