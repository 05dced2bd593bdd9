/**
 * The direct products of the wasm backend (src/backend/wasm/directMatMul.ts, conv.wat's mm_tiles) and its Add
 * (activation.ts, elementwise.wat's add_rows): bit for bit the XNNPACK kernels they replace — for a dense layer's
 * three products on the models' shapes and on odd ones (rows not a multiple of 4, columns not a multiple of 8), and a
 * transposed convolution's GEMM — taken where they apply, the stock kernels elsewhere, no leaked buffers; and seeded
 * training steps of the MLP and the DCGANs give the same weights with them as without, so the tutorials'
 * trajectories are unchanged.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../../src/backend';
import { addStats, elementwiseOptions } from '../../src/backend/wasm/activation';
import { batchMatMulOptions } from '../../src/backend/wasm/batchMatMul';
import { directSimd } from '../../src/backend/wasm/directConv';
import { directProductStats } from '../../src/backend/wasm/directMatMul';
import { buildModels, disposeModels, type ModelName } from '../../src/models';
import { createTrainStep } from '../../src/train/step';

/** Elements of x and y that differ as bit patterns (−0 ≠ +0, NaN = NaN). */
function differing(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assert.equal(x.length, y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) d++;
  return d;
}

/** f's result on wasm with our kernels on (`ours`) or off, and whether the direct product ran. */
function run(f: () => tf.Tensor, ours: boolean): { values: Float32Array; shape: number[]; direct: boolean } {
  batchMatMulOptions.direct = ours;
  elementwiseOptions.add = ours;
  const calls = directProductStats.calls;
  try {
    return tf.tidy(() => {
      const r = f();
      return {
        values: r.dataSync() as Float32Array,
        shape: r.shape,
        direct: directProductStats.calls > calls,
      };
    });
  } finally {
    batchMatMulOptions.direct = true;
    elementwiseOptions.add = true;
  }
}

describe('wasm direct products (mm_tiles) and Add (add_rows)', function () {
  this.timeout(120_000);
  before(async () => {
    await initBackend({ force: 'wasm' });
  });

  it('loads conv.wat here (so the comparisons below test mm_tiles)', () => {
    assert.ok(directSimd(tf.backend() as BackendWasm));
  });

  // [m, k, n]: x [m, k], W [k, n], dy [m, n]
  const shapes: Array<[number, number, number]> = [
    [64, 100, 256], // the MLP generator's first layer
    [64, 1024, 784], // its last
    [64, 784, 512],
    [64, 256, 1], // the discriminator's logit: n padded to 8
    [64, 100, 12544], // dcgan-28's first layer
    [13, 37, 24], // rows not a multiple of 4 (nor of 8: x·Wᵀ stays on XNNPACK)
    [6, 5, 3],
    [1000, 64, 40], // rows in several ranges of the pieces' grid
    [4096, 64, 48], // a transposed convolution's GEMM (conv2dBackpropInput.ts): many pixels, a small filter
    [12, 300, 200], // x·Wᵀ with W the larger side and 12 rows: the stock path
  ];
  for (const [m, k, n] of shapes) {
    it(`[${m}, ${k}] · [${k}, ${n}], its input and weight gradients: the XNNPACK bits, no leaks`, () => {
      const x = tf.randomNormal([m, k], 0, 1, 'float32', 1) as tf.Tensor2D;
      const w = tf.randomNormal([k, n], 0, 1, 'float32', 2) as tf.Tensor2D;
      const dy = tf.randomNormal([m, n], 0, 1, 'float32', 3) as tf.Tensor2D;
      const products: Array<[string, () => tf.Tensor, boolean]> = [
        ['x·W', () => tf.matMul(x, w), true],
        // W transposed where it is the smaller side, else dy and the result (then m a multiple of 8)
        ['dy·Wᵀ', () => tf.matMul(dy, w, false, true), k * n < m * (k + n) || m % 8 === 0],
        ['xᵀ·dy', () => tf.matMul(x, dy, true, false), true],
      ];
      const backend = tf.backend() as unknown as { numDataIds(): number };
      for (const [name, f, direct] of products) {
        const ids = backend.numDataIds();
        const ours = run(f, true);
        assert.equal(backend.numDataIds(), ids, `${name}: no buffer left on the heap`);
        const stock = run(f, false);
        assert.equal(ours.direct, direct, `${name}: direct path taken: ${ours.direct}`);
        assert.equal(stock.direct, false);
        assert.deepEqual(ours.shape, stock.shape);
        assert.equal(differing(ours.values, stock.values), 0, `${name}: elements differing`);
      }
      tf.dispose([x, w, dy]);
    });
  }

  it('leaves batched and doubly transposed products to the stock path (and still gets them right)', () => {
    const a = tf.randomNormal([3, 8, 5], 0, 1, 'float32', 4);
    const b = tf.randomNormal([3, 5, 16], 0, 1, 'float32', 5);
    const ours = run(() => tf.matMul(a, b), true);
    assert.equal(ours.direct, false);
    const cpu = tf.tidy(() => {
      const [av, bv] = [a.arraySync() as number[][][], b.arraySync() as number[][][]];
      return av.map((am, i) =>
        am.map((row) => bv[i][0].map((_, j) => row.reduce((s, v, kk) => s + v * bv[i][kk][j], 0))),
      );
    });
    const got = Array.from(ours.values);
    const want = cpu.flat(2);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-4, `element ${i}: ${v} vs ${want[i]}`));
    const c = tf.randomNormal([5, 8], 0, 1, 'float32', 6);
    const d = tf.randomNormal([16, 5], 0, 1, 'float32', 7);
    assert.equal(run(() => tf.matMul(c, d, true, true), true).direct, false);
    assert.throws(() => tf.matMul(c, d), /inner shapes/);
    tf.dispose([a, b, c, d]);
  });

  it('Add: a bias over rows, same shapes and a one-element row take add_rows, with the stock bits', () => {
    const cases: Array<[number[], number[], boolean]> = [
      [[64, 512], [512], true],
      [[512], [64, 512], true],
      [[64, 14, 14, 64], [64], true],
      [[64, 28, 28, 1], [1, 1, 1, 1], true],
      [[4, 4, 256, 130], [4, 4, 256, 130], true], // not a multiple of 4 in the last axis
      [[3, 5], [3, 1], false], // a column: the stock kernel
      [[3, 5], [], false], // a scalar: the stock kernel
    ];
    for (const [sa, sb, ownPath] of cases) {
      const a = tf.randomNormal(sa, 0, 1, 'float32', 8);
      const b = tf.randomNormal(sb, 0, 1, 'float32', 9);
      const calls = addStats.calls;
      const ours = run(() => tf.add(a, b), true);
      assert.equal(addStats.calls > calls, ownPath, `[${sa}] + [${sb}]: add_rows taken`);
      const stock = run(() => tf.add(a, b), false);
      assert.deepEqual(ours.shape, stock.shape);
      assert.equal(differing(ours.values, stock.values), 0, `[${sa}] + [${sb}]`);
      tf.dispose([a, b]);
    }
  });

  for (const [model, batch, steps] of [
    ['mlp-gan', 64, 3],
    ['dcgan-28', 8, 2],
    // G's 1×1 → 4×4 first layer and its RGB last layer: GEMM + col2im (conv2dBackpropInput.ts) on mm_tiles
    ['dcgan-64', 2, 1],
  ] as Array<[ModelName, number, number]>) {
    it(`${model}: ${steps} seeded step${steps > 1 ? 's' : ''} give the same weights and losses with and without them`, async () => {
      const train = async (ours: boolean) => {
        batchMatMulOptions.direct = ours;
        elementwiseOptions.add = ours;
        const calls = directProductStats.calls;
        try {
          const models = buildModels(model, { seed: 7 });
          const step = createTrainStep(models, { seed: 8 });
          const real = tf.randomUniform([batch, ...models.imageShape], -1, 1, 'float32', 9) as tf.Tensor4D;
          const losses = [];
          for (let i = 0; i < steps; i++) losses.push(await step(real));
          const weights = [models.generator, models.discriminator].flatMap((net) =>
            net.trainableWeights.map((w) => w.read().dataSync() as Float32Array),
          );
          real.dispose();
          step.dispose();
          disposeModels(models);
          return { losses, weights, direct: directProductStats.calls - calls };
        } finally {
          batchMatMulOptions.direct = true;
          elementwiseOptions.add = true;
        }
      };
      const ours = await train(true);
      const stock = await train(false);
      assert.ok(ours.direct > 0, 'the direct products ran');
      assert.equal(stock.direct, 0);
      assert.deepEqual(ours.losses, stock.losses);
      assert.equal(ours.weights.length, stock.weights.length);
      ours.weights.forEach((w, i) => assert.equal(differing(w, stock.weights[i]), 0, `weight ${i}`));
    });
  }
});
