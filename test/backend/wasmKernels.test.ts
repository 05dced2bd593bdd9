/**
 * The fast wasm training kernels (src/backend/wasm/) against the cpu backend's kernels on random
 * inputs: conv weight/input gradients and conv2dTranspose (strides 1 and 2, same/valid/explicit
 * padding, odd sizes, batch 1, non-square kernels and strides), transposed matmul, Tile, Sum/Mean;
 * a finite-difference check of the conv gradients on wasm; no leaked wasm buffers.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { transposeCost } from '../../src/backend/wasm/batchMatMul';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { elementwiseOptions, elementwiseSimd } from '../../src/backend/wasm/activation';
import { heapInfo, runKernel } from '../../src/backend/wasm/heap';
import { sumRowsRange } from '../../src/backend/wasm/reduceRows';
import { TRAINING_KERNELS } from '../../src/backend/wasm/kernels';
import { MIN_PHASE_CHANNELS, directInputStats } from '../../src/backend/wasm/conv2dBackpropInput';
import { directPlan, directStats } from '../../src/backend/wasm/conv2dBackpropFilter';
import { poolStats } from '../../src/backend/wasm/pool';
import { directConvStats } from '../../src/backend/wasm/conv2d';
import { relErr } from './relErr';

type Values = Float32Array | Int32Array | Uint8Array;

/** Run `f` on a backend and return its outputs as host arrays (tensors freed). */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor | tf.Tensor[]): Promise<Values[]> {
  await initBackend({ force: backend });
  return tf.tidy(() => {
    const out = f();
    return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Values);
  });
}

async function expectSameOnWasm(f: () => tf.Tensor | tf.Tensor[], tol = 1e-4): Promise<void> {
  const ref = await on('cpu', f);
  const got = await on('wasm', f);
  ref.forEach((r, i) => {
    const e = relErr(r, got[i]);
    assert.ok(e <= tol, `output ${i}: relative error ${e.toExponential(2)} > ${tol}`);
  });
}

/** Seeded normal tensor (the same values on every backend). */
function rnd(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', seed);
}

interface ConvCase {
  x: [number, number, number, number];
  w: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
}

const CONV_CASES: ConvCase[] = [
  { x: [2, 9, 7, 3], w: [3, 2, 3, 5], strides: 2, pad: 'same' }, // odd sizes, non-square kernel
  { x: [1, 8, 8, 4], w: [4, 4, 4, 6], strides: 2, pad: 'same' }, // batch 1, the DCGAN layer shape
  { x: [2, 7, 9, 2], w: [3, 3, 2, 3], strides: 1, pad: 'valid' },
  { x: [3, 11, 10, 3], w: [4, 3, 3, 2], strides: 2, pad: 'valid' }, // stride does not divide: last rows unused
  { x: [2, 6, 5, 3], w: [1, 1, 3, 4], strides: 1, pad: 'same' },
  { x: [2, 8, 9, 2], w: [4, 4, 2, 3], strides: 2, pad: 1 }, // PyTorch-style explicit padding
  { x: [1, 9, 8, 3], w: [3, 2, 3, 2], strides: [1, 2], pad: 'same' }, // non-square strides
  { x: [2, 1, 1, 5], w: [4, 4, 5, 3], strides: 1, pad: 3 }, // the 1×1 → 4×4 first layer of DCGAN-64's G
  { x: [2, 7, 7, 3], w: [1, 1, 3, 4], strides: 2, pad: 'valid' }, // phases no kernel tap reaches
  { x: [1, 8, 7, 2], w: [2, 2, 2, 3], strides: 3, pad: 'same' }, // kernel smaller than the stride
  { x: [2, 5, 6, 2], w: [5, 3, 2, 2], strides: [2, 3], pad: 'valid' }, // dy rows cropped per phase
  { x: [2, 4, 5, 3], w: [2, 2, 3, 2], strides: 1, pad: 3 }, // padding wider than the kernel: GEMM + col2im
  { x: [2, 9, 8, 3], w: [4, 4, 3, 5], strides: 2, pad: 4 }, // the same with a stride
];

// The same geometries with more input channels: below MIN_PHASE_CHANNELS Conv2DBackpropInput runs as GEMM +
// col2im, from it as one XNNPACK convolution per stride phase, and with a multiple of 8 as conv.wat's conv_tiles
// per phase; every path sees every geometry.
const BASE_CASES = [...CONV_CASES];
for (const channels of [MIN_PHASE_CHANNELS + 4, 8, 16])
  CONV_CASES.push(
    ...BASE_CASES.map((c): ConvCase => ({
      ...c,
      x: [c.x[0], c.x[1], c.x[2], channels],
      w: [c.w[0], c.w[1], channels, c.w[3]],
    })),
  );
// The DCGAN layer shape with 8 channels (direct input gradient), and one big enough for two cores.
const DIRECT_INPUT_CASE = CONV_CASES[BASE_CASES.length * 2 + 1];
const TWO_CORES_INPUT_CASE: ConvCase = { x: [8, 16, 16, 16], w: [4, 4, 16, 16], strides: 2, pad: 'same' };

// And with kw·ci a multiple of 4 and co of 8: the weight gradient then runs directly (conv.wat), not as an
// XNNPACK convolution; then three DCGAN first layers (1 and 3 channels), the last big enough for two cores.
const DIRECT_CASES: ConvCase[] = [
  ...CONV_CASES.slice(0, 14).map((c): ConvCase => ({
    ...c,
    x: [c.x[0], c.x[1], c.x[2], 4],
    w: [c.w[0], c.w[1], 4, 8],
  })),
  { x: [2, 8, 8, 1], w: [4, 4, 1, 8], strides: 2, pad: 'same' },
  { x: [2, 10, 10, 3], w: [4, 4, 3, 16], strides: 2, pad: 1 },
  { x: [8, 16, 16, 3], w: [4, 4, 3, 16], strides: 2, pad: 1 },
];
// 512 rows of dW: dy packed first (and a direct forward convolution)
const PACKED_CASE: ConvCase = { x: [3, 9, 8, 32], w: [4, 4, 32, 16], strides: 2, pad: 'same' };
const TWO_CORES_CASE = DIRECT_CASES[DIRECT_CASES.length - 1];
// Every convolution direct (forward too: kw·ci ≥ conv2dOptions.minRun): odd sizes, non-square kernel and strides.
const DIRECT_FORWARD_CASES: ConvCase[] = [
  PACKED_CASE,
  TWO_CORES_INPUT_CASE,
  { x: [2, 9, 7, 16], w: [3, 2, 16, 8], strides: [1, 2], pad: 'same' },
  { x: [3, 11, 10, 8], w: [4, 4, 8, 8], strides: 2, pad: 'valid' },
  { x: [2, 6, 5, 8], w: [5, 4, 8, 16], strides: 1, pad: 2 },
];
DIRECT_CASES.push(...DIRECT_FORWARD_CASES);
CONV_CASES.push(...DIRECT_CASES);

function label(c: ConvCase): string {
  return `x [${c.x}] w [${c.w}] strides ${JSON.stringify(c.strides)} pad ${c.pad}`;
}

describe('wasm training kernels vs the cpu backend', function () {
  this.timeout(60_000);

  before(async () => {
    const report = await initBackend({ force: 'wasm' });
    assert.match(String(report.details.trainingKernels), /Conv2DBackpropFilter/);
    // The kernels under test are ours, not the package's.
    for (const [name, fn] of Object.entries(TRAINING_KERNELS))
      assert.equal(tf.getKernel(name, 'wasm').kernelFunc, fn);
  });

  after(async () => {
    await initBackend({ force: 'cpu' });
  });

  for (const c of CONV_CASES) {
    it(`conv2d gradients (Conv2DBackpropFilter, Conv2DBackpropInput): ${label(c)}`, async () => {
      const calls = directStats.calls;
      const inputCalls = directInputStats.calls;
      const convCalls = directConvStats.calls;
      const tasks = poolStats.tasks;
      await expectSameOnWasm(() => {
        const x = rnd(c.x, 1) as tf.Tensor4D;
        const w = rnd(c.w, 2) as tf.Tensor4D;
        const y = tf.conv2d(x, w, c.strides, c.pad);
        const r = rnd(y.shape, 3);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r)),
        )([x, w]);
        return [y, dx, dw];
      });
      assert.equal(directStats.calls > calls, DIRECT_CASES.includes(c), 'the direct weight gradient ran');
      const directInput = directInputStats.calls > inputCalls;
      if (c.x[3] % 8 !== 0) assert.ok(!directInput, 'the direct input gradient needs 8k channels');
      if (c === DIRECT_INPUT_CASE || c === TWO_CORES_INPUT_CASE)
        assert.ok(directInput, 'direct input gradient');
      assert.equal(directConvStats.calls > convCalls, DIRECT_FORWARD_CASES.includes(c), 'direct convolution');
      const twoCores = c === TWO_CORES_CASE || c === TWO_CORES_INPUT_CASE;
      if (twoCores && heapInfo(tf.findBackend('wasm') as unknown as BackendWasm).threads > 1)
        assert.ok(poolStats.tasks > tasks, 'on two cores');
    });

    it(`conv2dTranspose forward and gradients: ${label(c)}`, async () => {
      await expectSameOnWasm(() => {
        // conv2dTranspose maps the conv's output shape back to its input shape.
        const w = rnd(c.w, 4) as tf.Tensor4D;
        const yShape = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, w, c.strides, c.pad).shape;
        const dy = rnd(yShape, 5) as tf.Tensor4D;
        const out = tf.conv2dTranspose(dy, w, c.x, c.strides, c.pad);
        const r = rnd(c.x, 6);
        const [gdy, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, c.x, c.strides, c.pad), r)),
        )([dy, w]);
        return [out, gdy, gw];
      });
    });
  }

  const MATMUL_CASES: Array<[number[], number[], boolean, boolean]> = [
    [[7, 5], [7, 3], true, false], // xᵀ·dy: a dense layer's weight gradient
    [[5, 7], [3, 7], false, true], // dy·Wᵀ: a dense layer's input gradient
    [[7, 5], [3, 7], true, true],
    [[2, 6, 4], [2, 6, 3], true, false], // batched
    [[3, 4, 6], [1, 5, 6], false, true], // batch broadcast
    [[1, 1], [1, 9], true, false], // batch 1
    [[2, 9], [30, 9], false, true], // cheaper as (B·Aᵀ)ᵀ: the swapped plan
    [[4, 30], [4, 2], true, false], // swapped plan for transposeA
    [[3, 2, 9], [1, 30, 9], false, true], // swapped plan with batch broadcast
  ];
  for (const [sa, sb, ta, tb] of MATMUL_CASES) {
    it(`BatchMatMul [${sa}]${ta ? 'ᵀ' : ''} × [${sb}]${tb ? 'ᵀ' : ''}`, async () => {
      await expectSameOnWasm(() => tf.matMul(rnd(sa, 7), rnd(sb, 8), ta, tb));
    });
  }

  it('BatchMatMul with mismatched inner sizes throws a clear error', async () => {
    await initBackend({ force: 'wasm' });
    assert.throws(() => tf.matMul(tf.ones([3, 4]), tf.ones([5, 4]), true, true), /inner shapes/);
  });

  it('Tile: float32, int32 and bool, every axis, reps of 1', async () => {
    await expectSameOnWasm(() => [
      tf.tile(rnd([1, 1, 1, 5], 9), [3, 4, 2, 1]), // the batch-norm gradient's pattern
      tf.tile(rnd([2, 3, 1], 10), [2, 1, 4]),
      tf.tile(tf.tensor1d([1, 2, 3], 'int32'), [3]),
      tf.tile(tf.tensor2d([[true], [false]], [2, 1], 'bool'), [2, 3]),
      tf.tile(rnd([2, 2], 11), [1, 1]),
    ]);
  });

  for (const simd of [true, false]) {
    const how = simd ? 'WebAssembly SIMD' : 'JavaScript';
    it(`LeakyRelu, its gradient, Greater against a scalar, Select, row sums (${how}): bit for bit the originals`, async () => {
      await initBackend({ force: 'wasm' });
      const backend = tf.backend() as BackendWasm;
      assert.ok(elementwiseSimd(backend), 'the SIMD module did not instantiate');
      elementwiseOptions.simd = simd;
      try {
        const special = [0, -0, NaN, Infinity, -Infinity, 1e-40, -1e-40, 3.4e38, -3.4e38, 1, -1, 0.5];
        // 12 + 4·5·7·3 + 1 = 433 elements: whole SIMD vectors and a tail.
        const values = [...special, ...(rnd([4, 5, 7, 3], 25).dataSync() as Float32Array), 2];
        const x = tf.tensor4d(values, [1, 1, values.length, 1]);
        const dy = tf.tensor4d(
          Array.from({ length: values.length }, (_, i) => (i % 7) - 3.5),
          x.shape,
        );
        const original = (name: string, inputs: object, attrs: object = {}): number[] => {
          const info = runKernel(name, backend, inputs, attrs);
          const out = Array.from(tf.engine().makeTensorFromTensorInfo(info).dataSync());
          backend.disposeData(info.dataId);
          return out;
        };
        const bits = (xs: ArrayLike<number>): string =>
          Buffer.from(new Float32Array(Array.from(xs)).buffer).toString('hex');
        for (const alpha of [0.2, 0.01, 0.3]) {
          const ours = tf.leakyRelu(x, alpha);
          assert.equal(
            bits(ours.dataSync()),
            bits(original('LeakyRelu', { x }, { alpha })),
            `alpha ${alpha}`,
          );
          ours.dispose();
          const [g] = tf.grads((a: tf.Tensor) => tf.mul(tf.leakyRelu(a, alpha), dy))([x]);
          const mask = original('Greater', { a: x, b: tf.scalar(0) });
          const dyv = dy.dataSync();
          const want = mask.map((m, i) => (m ? dyv[i] : Math.fround(dyv[i] * Math.fround(alpha))));
          assert.equal(bits(g.dataSync()), bits(want), `gradient, alpha ${alpha}`);
          g.dispose();
        }
        for (const s of [0, -1, 0.5, NaN]) {
          const b = tf.scalar(s);
          assert.deepEqual(
            Array.from(tf.greater(x, b).dataSync()),
            original('Greater', { a: x, b }),
            `x > ${s}`,
          );
          b.dispose();
        }
        const cond = tf.greater(dy, 0);
        const sel = tf.where(cond, x, dy);
        assert.equal(bits(sel.dataSync()), bits(original('Select', { condition: cond, t: x, e: dy })));
        // Row sums (Sum/Mean over leading axes): against the JavaScript rows kernel and the original.
        for (const shape of [
          [433, 1],
          [37, 13],
          [8, 9, 16],
          [5, 3],
        ]) {
          const r = rnd(shape, 29);
          const axes = shape.slice(0, -1).map((_, i) => i);
          const sum = tf.sum(r, axes);
          const mean = tf.mean(r, axes);
          const o = original('Sum', { x: r }, { axis: axes, keepDims: false });
          const rv = r.dataSync();
          const inner = shape[shape.length - 1];
          const want = new Float32Array(inner);
          sumRowsRange(rv as Float32Array, want, rv.length / inner, inner, 1, 0, inner);
          assert.equal(bits(sum.dataSync()), bits(want), `sum [${shape}]`);
          assert.ok(
            relErr(new Float32Array(o), sum.dataSync() as Float32Array) < 1e-5,
            `sum [${shape}] against the original kernel`,
          );
          sumRowsRange(rv as Float32Array, want, rv.length / inner, inner, 1 / (rv.length / inner), 0, inner);
          assert.equal(bits(mean.dataSync()), bits(want), `mean [${shape}]`);
        }
        tf.dispose([x, dy, cond, sel]);
        await expectSameOnWasm(() => {
          const a = rnd([3, 4, 5], 26);
          return [
            tf.leakyRelu(a, 0.2),
            tf.cast(tf.greater(a, 0.1), 'float32'),
            tf.cast(tf.greater(a, a), 'float32'),
            tf.where(tf.greater(a, 0), a, tf.neg(a)),
            tf.where(tf.tensor1d([true, false, true, true, false], 'bool'), a, tf.zerosLike(a)), // broadcast
          ];
        });
      } finally {
        elementwiseOptions.simd = true;
      }
    });
  }

  it('under a tape, conv and dense layers compute only the gradients asked for (same values)', async () => {
    await initBackend({ force: 'wasm' });
    const conv = tf.layers.conv2d({
      filters: 6,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      seed: 1,
    } as never);
    const dense = tf.layers.dense({ units: 3, kernelInitializer: 'glorotUniform' });
    const model = tf.sequential({
      layers: [tf.layers.inputLayer({ inputShape: [8, 8, 2] }), conv, tf.layers.flatten(), dense],
    });
    const x = rnd([4, 8, 8, 2], 30) as tf.Tensor4D;
    const loss = (input: tf.Tensor): tf.Scalar => tf.sum(tf.square(model.apply(input) as tf.Tensor));
    const kernelsOf = async (f: () => void): Promise<string[]> =>
      (await tf.profile(() => tf.tidy(f))).kernels.map((k) => k.name);
    const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
    // The weights' gradients (D's update): no gradient of the input images.
    const forWeights = await kernelsOf(() => void tf.variableGrads(() => loss(x), weights));
    assert.ok(forWeights.includes('Conv2DBackpropFilter'), forWeights.join());
    assert.ok(
      !forWeights.includes('Conv2DBackpropInput'),
      'computed the input gradient: ' + forWeights.join(),
    );
    // The input's gradient (G's update through D): no weight gradients.
    const forInput = await kernelsOf(() => void tf.grad(loss)(x));
    assert.ok(forInput.includes('Conv2DBackpropInput'), forInput.join());
    assert.ok(!forInput.includes('Conv2DBackpropFilter'), 'computed a weight gradient: ' + forInput.join());
    // Outside a tape the fused kernels still run.
    assert.ok((await kernelsOf(() => void loss(x))).includes('FusedConv2D'));
    // Same values as the cpu backend's fused path.
    await expectSameOnWasm(() => {
      const { value, grads } = tf.variableGrads(() => loss(x), weights);
      return [value, tf.grad(loss)(x), ...weights.map((w) => grads[w.name])];
    });
    model.dispose();
    x.dispose();
  });

  it('Sum and Mean over leading axes (and others, via the original kernels)', async () => {
    await expectSameOnWasm(() => {
      const x = rnd([3, 5, 4, 6], 12);
      return [
        tf.sum(x, [0, 1, 2]),
        tf.mean(x, [0, 1, 2], true),
        tf.sum(rnd([7, 3, 5], 27), [0]), // 7 rows: four at a time, then the rest one by one
        tf.mean(rnd([2, 11, 6], 28), [0, 1]),
        tf.sum(x, 0),
        tf.mean(x, [1, 0]),
        tf.sum(x, [1, 2]),
        tf.sum(x),
        tf.mean(x, -1),
        tf.sum(
          tf.tensor2d(
            [
              [1, 2],
              [3, 4],
            ],
            [2, 2],
            'int32',
          ),
          0,
        ),
      ];
    });
  });

  it('Identity (tf.clone) shares the buffer and survives disposing its source', async () => {
    await expectSameOnWasm(() => {
      const x = rnd([3, 4], 21);
      const y = tf.clone(x);
      x.dispose();
      return [tf.add(y, 1)];
    });
  });

  it('col2im and leading-axis sums split over two cores give the same results', async () => {
    const report = await initBackend({ force: 'wasm' });
    const f = (): tf.Tensor[] => {
      // Padding wider than the kernel: the GEMM + col2im path (others are one convolution per phase).
      const dy = rnd([16, 16, 16, 40], 22) as tf.Tensor4D;
      const w = rnd([3, 3, 16, 40], 23) as tf.Tensor4D;
      const x = rnd([16, 32, 32, 32], 24);
      return [tf.conv2dTranspose(dy, w, [16, 10, 10, 16], 1, 4), tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1])];
    };
    // The row sums run on the helper worker where the SIMD module is off (elsewhere they are one SIMD pass).
    elementwiseOptions.simd = false;
    // The helper worker starts asynchronously; the first call runs on the main thread alone.
    tf.tidy(f);
    await new Promise((r) => setTimeout(r, 300));
    const before = poolStats.tasks;
    await expectSameOnWasm(f);
    elementwiseOptions.simd = true;
    if (Number(report.details.wasmThreads) >= 2)
      assert.ok(poolStats.tasks >= before + 3, 'helper worker unused');
  });

  it('conv gradients on wasm agree with central finite differences', async () => {
    await initBackend({ force: 'wasm' });
    tf.tidy(() => {
      const x = rnd([2, 7, 6, 3], 13) as tf.Tensor4D;
      const w = tf.mul(rnd([4, 3, 3, 2], 14), 0.5) as tf.Tensor4D;
      // f is quadratic in each argument, so central differences are exact up to rounding.
      const f = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Scalar => tf.sum(tf.square(tf.conv2d(a, b, 2, 'same')));
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a as tf.Tensor4D, b as tf.Tensor4D))([
        x,
        w,
      ]);
      const eps = 1e-2;
      const check = (t: tf.Tensor4D, g: tf.Tensor, which: 0 | 1): void => {
        const base = t.dataSync();
        const grad = g.dataSync();
        for (const i of [0, 5, 17, Math.floor(base.length / 2), base.length - 1]) {
          const plus = base.slice();
          const minus = base.slice();
          plus[i] += eps;
          minus[i] -= eps;
          const tp = tf.tensor(plus, t.shape) as tf.Tensor4D;
          const tm = tf.tensor(minus, t.shape) as tf.Tensor4D;
          const fp = which === 0 ? f(tp, w) : f(x, tp);
          const fm = which === 0 ? f(tm, w) : f(x, tm);
          const numeric = (fp.dataSync()[0] - fm.dataSync()[0]) / (2 * eps);
          const err = Math.abs(numeric - grad[i]) / Math.max(1, Math.abs(grad[i]));
          assert.ok(
            err < 2e-2,
            `d f / d ${which === 0 ? 'x' : 'w'}[${i}]: numeric ${numeric}, analytic ${grad[i]}`,
          );
        }
      };
      check(x, dx, 0);
      check(w, dw, 1);
    });
  });

  it('frees every temporary wasm buffer', async () => {
    await initBackend({ force: 'wasm' });
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const run = (): void =>
      tf
        .tidy(() => {
          const x = rnd([2, 8, 8, 3], 15) as tf.Tensor4D;
          const w = rnd([4, 4, 3, 4], 16) as tf.Tensor4D;
          const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')),
          )([x, w]);
          const t = tf.conv2dTranspose(rnd([2, 4, 4, 4], 17) as tf.Tensor4D, w, [2, 8, 8, 3], 2, 'same');
          const m = tf.matMul(rnd([5, 3], 18), rnd([5, 2], 19), true, false);
          const s = tf.sum(tf.tile(rnd([1, 1, 1, 3], 20), [2, 2, 2, 1]), [0, 1, 2]);
          return [dx, dw, t, m, s].map((v) => tf.sum(v));
        })
        .forEach((v) => v.dispose());
    run();
    const tensors = tf.memory().numTensors;
    const ids = backend.numDataIds();
    run();
    assert.equal(tf.memory().numTensors, tensors);
    assert.equal(backend.numDataIds(), ids);
  });
});

describe('transposed matmul plan', () => {
  it('picks the plan that moves fewer elements', () => {
    // dy [64, 784] · W[1024, 784]ᵀ: transposing W moves 802,816 elements; the swapped plan 115,712.
    const c = transposeCost(64, 784, 1024, false, true);
    assert.equal(c.direct, 784 * 1024);
    assert.equal(c.swapped, 64 * 784 + 64 * 1024);
  });
});

describe('conv weight gradient plan', () => {
  it('computes directly where the tiles fit (kw·ci % 4, co % 8)', () => {
    assert.equal(directPlan(4, 3, 64), true, "dcgan-64's first layer");
    assert.equal(directPlan(4, 1, 16), true, "dcgan-28's first layer");
    assert.equal(directPlan(3, 3, 64), false, 'kw·ci = 9');
    assert.equal(directPlan(4, 3, 12), false, 'co = 12');
  });
});
