/**
 * Exit code 1: a command that ran but failed. `gan train` whose losses become NaN (a cpu kernel made to
 * return NaN, as a diverging run would) and `gan check-backend` against a backend with a faulty kernel
 * (wasm's LeakyRelu made to return wrong values). Both faults are injected through TensorFlow.js's
 * kernel registry in this process and removed afterwards.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { gan } from './capture';

/** Replace a registered kernel for the duration of `body`. */
async function withKernel<T>(
  name: string,
  backend: string,
  wrap: (orig: tf.KernelConfig) => tf.KernelFunc,
  body: () => Promise<T>,
): Promise<T> {
  const orig = tf.getKernel(name, backend);
  assert.ok(orig, `kernel ${name} on ${backend}`);
  tf.unregisterKernel(name, backend);
  tf.registerKernel({ ...orig, kernelFunc: wrap(orig) });
  try {
    return await body();
  } finally {
    tf.unregisterKernel(name, backend);
    tf.registerKernel(orig);
  }
}

const TINY = ['--ngf', '2', '--ndf', '2', '--latent-dim', '4', '--batch-size', '4', '--backend', 'cpu'];

describe('gan commands exit with 1 when they fail', function () {
  this.timeout(300_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gan-exit1-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('gan train: a diverging run exits 1, names the step and keeps the last good checkpoint', async () => {
    const out = path.join(tmp, 'run');
    const args = ['train', '--model', 'dcgan-28', '--dataset', 'mnist', '--out', out, ...TINY];
    let r = await gan(...args, '--max-steps', '2', '--no-progress');
    assert.equal(r.code, 0, r.err);
    const latest = fs.readFileSync(path.join(out, 'latest.json'), 'utf8');
    // softplus uses log1p: NaN from it is what a blown-up loss looks like.
    const nan: (o: tf.KernelConfig) => tf.KernelFunc = () => (a) => {
      const x = a.inputs.x as tf.TensorInfo;
      const size = x.shape.reduce((p, q) => p * q, 1);
      return (
        a.backend as unknown as { makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo }
      ).makeTensorInfo(x.shape, 'float32', new Float32Array(size).fill(NaN));
    };
    r = await withKernel('Log1p', 'cpu', nan, () =>
      gan('train', '--out', out, '--resume', '--max-steps', '4', '--backend', 'cpu', '--no-progress'),
    );
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /Training diverged at step 3/);
    assert.match(r.err, /last good checkpoint \(step 2\)/);
    assert.equal(fs.readFileSync(path.join(out, 'latest.json'), 'utf8'), latest, 'latest.json untouched');
  });

  it('gan check-backend --json: 0 with every case ok, 1 with a faulty kernel named', async () => {
    let r = await gan('check-backend', '--backend', 'wasm', '--no-steps', '--json');
    assert.equal(r.code, 0, r.err);
    let j = JSON.parse(r.out.trim());
    assert.equal(j.ok, true);
    assert.ok(j.cases.length >= 4, `${j.cases.length} cases`);
    assert.ok(j.cases.every((c: { ok: boolean }) => c.ok));
    const faulty: (o: tf.KernelConfig) => tf.KernelFunc = (orig) => (a) => {
      const y = orig.kernelFunc(a) as tf.TensorInfo;
      const heap = (
        a.backend as unknown as { typedArrayFromHeap(t: tf.TensorInfo): Float32Array }
      ).typedArrayFromHeap(y);
      for (let i = 0; i < heap.length; i++) heap[i] = heap[i] * 1.01 + 0.01;
      return y;
    };
    r = await withKernel('LeakyRelu', 'wasm', faulty, () =>
      gan('check-backend', '--backend', 'wasm', '--no-steps', '--json'),
    );
    assert.equal(r.code, 1, r.err);
    j = JSON.parse(r.out.trim());
    assert.equal(j.ok, false);
    const bad = j.cases.filter((c: { ok: boolean }) => !c.ok).map((c: { name: string }) => c.name);
    assert.ok(bad.length >= 1 && bad.length < j.cases.length, `failing cases: ${bad}`);
  });
});
