/**
 * The fused training-mode batch norm (src/models/batchNorm.ts on the wasm kernels of
 * src/backend/wasm/batchNorm.ts) against tfjs-layers' own BatchNormalization on the cpu backend: the
 * output, the moving averages, and the gradients with respect to x, γ and β; the op against tf.moments +
 * tf.batchNorm with a loss that also reads the batch mean and variance; the SIMD passes bit for bit against their JavaScript reference; a
 * finite-difference check on wasm; no leaked buffers; inference and other backends untouched.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { BATCH_NORM_TRAIN, batchNormOptions } from '../../src/backend/wasm/batchNorm';
import { batchNormalization } from '../../src/models/batchNorm';
import { relErr } from './relErr';

interface Case {
  shape: number[];
  /** Mean and spread of x (an offset mean tests the centring). */
  mu: number;
  sd: number;
}

const CASES: Case[] = [
  { shape: [4, 5, 3, 8], mu: 0, sd: 1 },
  { shape: [3, 4, 4, 12], mu: 5, sd: 0.1 }, // 12 channels: the eight-wide passes and a 4-column tail
  { shape: [2, 3, 3, 7], mu: -2, sd: 3 }, // 7 channels: scalar columns only in the affine tail
  { shape: [6, 10], mu: 1, sd: 2 }, // rank 2 (a dense layer's batch norm)
  { shape: [1, 2, 2, 5], mu: 0, sd: 1 }, // 4 rows
];

/**
 * One training call of a batch-norm layer (γ, β and the moving statistics set from `seed`) on x, a loss
 * that weights y, and the gradients; returns host arrays: y, dx, dγ, dβ, moving mean, moving variance.
 */
function run(c: Case, seed: number, fused: boolean): Float32Array[] {
  const args = { momentum: 0.9, epsilon: 1e-5 };
  const layer = fused ? batchNormalization(args) : tf.layers.batchNormalization(args);
  const out = tf.tidy(() => {
    const ch = c.shape[c.shape.length - 1];
    const x = tf.add(tf.mul(tf.randomNormal(c.shape, 0, 1, 'float32', seed), c.sd), c.mu);
    layer.build(x.shape);
    layer.setWeights([
      tf.randomNormal([ch], 1, 0.3, 'float32', seed + 1),
      tf.randomNormal([ch], 0, 0.3, 'float32', seed + 2),
      tf.randomNormal([ch], 0, 0.3, 'float32', seed + 3),
      tf.randomUniform([ch], 0.5, 2, 'float32', seed + 4),
    ]);
    const w = tf.randomNormal(c.shape, 0, 1, 'float32', seed + 5);
    const f = (xx: tf.Tensor): tf.Scalar =>
      tf.sum(tf.mul(layer.apply(xx, { training: true }) as tf.Tensor, w));
    // γ and β are the layer's variables; x is differentiated separately (each call moves the averages)
    const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => f(x), vars);
    const dx = tf.grad(f)(x);
    const y = layer.apply(x, { training: true }) as tf.Tensor; // a third call: moving averages moved 3×
    const [, , mm, mv] = layer.getWeights();
    return [y, dx, grads[vars[0].name], grads[vars[1].name], mm, mv].map((t) => t.dataSync() as Float32Array);
  });
  for (const v of layer.weights) v.dispose();
  return out;
}

/**
 * The op itself, with a loss that also reads the batch mean and variance (so their gradients reach
 * the fused gradient): the kernel on wasm, tf.moments + tf.batchNorm elsewhere. Returns y, mean,
 * variance, dx, dγ, dβ.
 */
function runOp(c: Case, seed: number, fused: boolean): Float32Array[] {
  return tf.tidy(() => {
    const ch = c.shape[c.shape.length - 1];
    const axes = c.shape.slice(0, -1).map((_, i) => i);
    const x = tf.add(tf.mul(tf.randomNormal(c.shape, 0, 1, 'float32', seed), c.sd), c.mu);
    const gamma = tf.randomNormal([ch], 1, 0.3, 'float32', seed + 1);
    const beta = tf.randomNormal([ch], 0, 0.3, 'float32', seed + 2);
    const w = tf.randomNormal(c.shape, 0, 1, 'float32', seed + 5);
    const fwd = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor[] => {
      if (fused)
        return tf
          .engine()
          .runKernel(BATCH_NORM_TRAIN, { x: xx, gamma: g, beta: b }, { epsilon: 1e-3 }) as tf.Tensor[];
      const m = tf.moments(xx, axes);
      return [tf.batchNorm(xx, m.mean, m.variance, b, g, 1e-3), m.mean, m.variance];
    };
    const loss = (xx: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      const [y, m, v] = fwd(xx, g, b);
      return tf.addN([
        tf.sum(tf.mul(y, w)),
        tf.sum(tf.mul(m, 0.7)),
        tf.sum(tf.mul(tf.sqrt(v), -0.4)),
      ]) as tf.Scalar;
    };
    const [y, m, v] = fwd(x, gamma, beta);
    const [dx, dg, db] = tf.grads(loss)([x, gamma, beta]);
    return [y, m, v, dx, dg, db].map((t) => t.dataSync() as Float32Array);
  });
}

describe('fused training-mode batch norm (wasm)', function () {
  this.timeout(60_000);

  after(async () => {
    batchNormOptions.simd = true;
    await initBackend({ force: 'cpu' });
  });

  const expectClose = (ref: Float32Array[], got: Float32Array[], names: string[]) =>
    ref.forEach((r, i) => {
      const e = relErr(r, got[i]);
      assert.ok(e <= 1e-4, `${names[i]}: relative error ${e.toExponential(2)} > 1e-4`);
    });

  for (const c of CASES) {
    it(`layer matches tfjs-layers' BatchNormalization on cpu: [${c.shape}], mean ${c.mu}, sd ${c.sd}`, async () => {
      await initBackend({ force: 'cpu' });
      const ref = run(c, 11, false);
      await initBackend({ force: 'wasm' });
      assert.ok(tf.getKernel(BATCH_NORM_TRAIN, 'wasm'), 'the fused kernel is registered on wasm');
      expectClose(ref, run(c, 11, true), ['y', 'dx', 'dγ', 'dβ', 'moving mean', 'moving variance']);
    });
    it(`op matches tf.moments + tf.batchNorm on cpu, loss reading mean and variance: [${c.shape}]`, async () => {
      await initBackend({ force: 'cpu' });
      const ref = runOp(c, 12, false);
      await initBackend({ force: 'wasm' });
      expectClose(ref, runOp(c, 12, true), ['y', 'mean', 'variance', 'dx', 'dγ', 'dβ']);
    });
  }

  it('SIMD passes give the JavaScript passes’ results bit for bit', async () => {
    await initBackend({ force: 'wasm' });
    for (const c of CASES) {
      for (const f of [run, runOp]) {
        batchNormOptions.simd = true;
        const simd = f(c, 23, true);
        batchNormOptions.simd = false;
        const js = f(c, 23, true);
        batchNormOptions.simd = true;
        simd.forEach((s, i) => assert.deepEqual(s, js[i], `${f.name} [${c.shape}] output ${i} differs`));
      }
    }
  });

  it('the input gradient on wasm agrees with central finite differences', async () => {
    await initBackend({ force: 'wasm' });
    const shape = [3, 2, 2, 4];
    tf.tidy(() => {
      const layer = batchNormalization({ momentum: 0.9, epsilon: 1e-3 });
      layer.build(shape);
      layer.setWeights([
        tf.tensor1d([1.2, 0.7, -0.5, 2]),
        tf.tensor1d([0.1, -0.2, 0.3, 0]),
        tf.zeros([4]),
        tf.ones([4]),
      ]);
      const x = tf.randomNormal(shape, 0, 1, 'float32', 5);
      const w = tf.randomNormal(shape, 0, 1, 'float32', 6);
      const f = (xx: tf.Tensor) =>
        tf.sum(tf.mul(tf.square(layer.apply(xx, { training: true }) as tf.Tensor), w));
      const dx = tf.grad(f)(x).dataSync();
      const xs = x.dataSync();
      const h = 1e-2;
      for (const i of [0, 5, 17, 30, 47]) {
        const plus = Float32Array.from(xs);
        const minus = Float32Array.from(xs);
        plus[i] += h;
        minus[i] -= h;
        const fd =
          (f(tf.tensor(plus, shape)).dataSync()[0] - f(tf.tensor(minus, shape)).dataSync()[0]) / (2 * h);
        assert.ok(Math.abs(fd - dx[i]) <= 2e-2 * Math.max(1, Math.abs(fd)), `x[${i}]: ${dx[i]} vs ${fd}`);
      }
    });
  });

  it('frees every temporary buffer; inference and cpu run tfjs-layers’ own code', async () => {
    await initBackend({ force: 'wasm' });
    const c = CASES[0];
    run(c, 3, true); // warm up (module instantiation, lazily built kernels)
    const before = tf.memory().numTensors;
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const ids = backend.numDataIds();
    run(c, 3, true);
    runOp(c, 3, true);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
    assert.equal(backend.numDataIds(), ids, 'wasm buffers leaked');
    // Inference: the moving statistics, as the stock layer computes them.
    const infer = (fused: boolean) => {
      const layer = fused ? batchNormalization({}) : tf.layers.batchNormalization({});
      const y = tf.tidy(() => {
        const x = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 9);
        layer.build(x.shape);
        layer.setWeights([tf.fill([4], 1.5), tf.fill([4], 0.5), tf.fill([4], 0.2), tf.fill([4], 2)]);
        return (layer.apply(x) as tf.Tensor).dataSync();
      });
      for (const v of layer.weights) v.dispose();
      return y;
    };
    assert.deepEqual(infer(true), infer(false));
    await initBackend({ force: 'cpu' });
    assert.equal(tf.getKernel(BATCH_NORM_TRAIN, 'cpu'), undefined, 'cpu keeps tfjs-layers’ ops');
    const a = run(c, 4, true);
    const b = run(c, 4, false);
    a.forEach((x, i) => assert.deepEqual(x, b[i], `cpu output ${i} differs from the stock layer`));
  });
});
