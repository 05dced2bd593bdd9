/**
 * Backend correctness check: the kernels our models train with (convolutions and their two gradients,
 * transposed convolutions, matrix products with transposes, batch norm, LeakyReLU) and one full
 * training step of tiny versions of the three models, computed on a target backend and on the cpu
 * reference, compared by relative error. `gan check-backend` runs it; the GPU verification uses it.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendReport } from './index';
import { buildModels, disposeModels, type ModelName } from '../models';
import { createTrainStep } from '../train/step';
import { Rng } from '../util/rng';

export interface CheckCase {
  name: string;
  /** Relative error ‖target − cpu‖ / ‖cpu‖ over all outputs. */
  relError: number;
  tolerance: number;
  ok: boolean;
}

export interface CheckReport {
  backend: BackendReport;
  cases: CheckCase[];
  ok: boolean;
  seconds: number;
}

type Compute = () => Promise<Float32Array[]>;

/**
 * Read tensors back and free them. Asynchronous: tfjs-backend-webgpu in Node has no synchronous read
 * (its dataSync draws through OffscreenCanvas, which exists only in browsers).
 */
async function readAll(ts: tf.Tensor[]): Promise<Float32Array[]> {
  try {
    return (await Promise.all(ts.map((t) => t.data()))) as Float32Array[];
  } finally {
    for (const t of ts) t.dispose();
  }
}

function randomTensor(rng: Rng, shape: number[]): tf.Tensor {
  return tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
}

/** Cases are built from a seed so both backends see identical inputs. */
function kernelCases(): Array<{ name: string; tolerance: number; run: Compute }> {
  const conv = (name: string, x: number[], f: number[], strides: number, pad: 'same' | 'valid') => ({
    name: `conv2d ${name}: forward, dX, dW`,
    tolerance: 1e-4,
    run: () =>
      readAll(
        tf.tidy(() => {
          const rng = new Rng(11);
          const xs = randomTensor(rng, x) as tf.Tensor4D;
          const fs = randomTensor(rng, f) as tf.Tensor4D;
          const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad))),
          );
          const [dx, dw] = g([xs, fs]);
          return [tf.conv2d(xs, fs, strides, pad), dx, dw];
        }),
      ),
  });
  const convT = (
    name: string,
    x: number[],
    f: number[],
    out: number[],
    strides: number,
    pad: 'same' | 'valid',
  ) => ({
    name: `conv2dTranspose ${name}: forward, dX, dW`,
    tolerance: 1e-4,
    run: () =>
      readAll(
        tf.tidy(() => {
          const rng = new Rng(12);
          const xs = randomTensor(rng, x) as tf.Tensor4D;
          const fs = randomTensor(rng, f) as tf.Tensor4D;
          const fn = (a: tf.Tensor, b: tf.Tensor) =>
            tf.conv2dTranspose(
              a as tf.Tensor4D,
              b as tf.Tensor4D,
              out as [number, number, number, number],
              strides,
              pad,
            );
          const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(fn(a, b))))([xs, fs]);
          return [fn(xs, fs), dx, dw];
        }),
      ),
  });
  const mm = (ta: boolean, tb: boolean) => ({
    name: `matMul transposeA=${ta} transposeB=${tb}`,
    tolerance: 1e-4,
    run: () =>
      readAll(
        tf.tidy(() => {
          const rng = new Rng(13);
          const a = randomTensor(rng, ta ? [37, 19] : [19, 37]) as tf.Tensor2D;
          const b = randomTensor(rng, tb ? [23, 37] : [37, 23]) as tf.Tensor2D;
          return [tf.matMul(a, b, ta, tb)];
        }),
      ),
  });
  return [
    conv('s2 same 4×4 (D layers)', [3, 16, 16, 5], [4, 4, 5, 7], 2, 'same'),
    conv('s1 valid 4×4 odd (last D layer)', [2, 7, 7, 6], [4, 4, 6, 1], 1, 'valid'),
    conv('s1 same non-square 3×5', [1, 9, 11, 2], [3, 5, 2, 3], 1, 'same'),
    convT('s2 same 4×4 (G layers)', [3, 8, 8, 6], [4, 4, 5, 6], [3, 16, 16, 5], 2, 'same'),
    convT('s1 valid 1×1 → 4×4 (first G layer)', [2, 1, 1, 8], [4, 4, 6, 8], [2, 4, 4, 6], 1, 'valid'),
    mm(false, false),
    mm(true, false),
    mm(false, true),
    mm(true, true),
    {
      name: 'batchNorm + leakyRelu: forward and gradients',
      tolerance: 1e-4,
      run: () =>
        readAll(
          tf.tidy(() => {
            const rng = new Rng(14);
            const x = randomTensor(rng, [4, 5, 5, 6]);
            const gamma = randomTensor(rng, [6]);
            const beta = randomTensor(rng, [6]);
            const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
              const { mean, variance } = tf.moments(a, [0, 1, 2]);
              return tf.leakyRelu(tf.batchNorm(a, mean, variance, b, g, 1e-5), 0.2);
            };
            const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
              tf.sum(tf.square(f(a, g, b))),
            )([x, gamma, beta]);
            return [f(x, gamma, beta), ...grads];
          }),
        ),
    },
  ];
}

/** Tiny configs of the models check-backend steps (dcgan-32 shares dcgan-64's layers). */
const TINY: Partial<Record<string, object>> = {
  'mlp-gan': { latentDim: 8, gHidden: [16, 32], dHidden: [24, 8], imageShape: [6, 5, 1] },
  'dcgan-28': { latentDim: 8, ngf: 4, ndf: 4 },
  'dcgan-64': { latentDim: 8, ngf: 2, ndf: 2 },
};

function stepCase(name: ModelName, batch: number) {
  return {
    name: `training step ${name} (tiny): losses and Adam updates of 2 steps`,
    tolerance: 2e-3,
    run: async (): Promise<Float32Array[]> => {
      const models = buildModels(name, { seed: 3, config: TINY[name] as never });
      const step = createTrainStep(models, { seed: 4 });
      const real = tf.randomUniform([batch, ...models.imageShape], -1, 1, 'float32', 5) as tf.Tensor4D;
      try {
        const r = [await step(real), await step(real)];
        const weights = await Promise.all(
          [...models.generator.trainableWeights, ...models.discriminator.trainableWeights].map(
            (w) => w.read().data() as Promise<Float32Array>,
          ),
        );
        return [Float32Array.from(r.flatMap((s) => [s.dLoss, s.gLoss, s.dReal, s.dFake])), ...weights];
      } finally {
        real.dispose();
        step.dispose();
        disposeModels(models);
      }
    },
  };
}

export function relError(a: Float32Array[], b: Float32Array[]): number {
  let num = 0;
  let den = 0;
  a.forEach((x, i) => {
    const y = b[i];
    if (!y || y.length !== x.length)
      throw new Error(`Output ${i} has ${y?.length} values on the target, ${x.length} on cpu.`);
    for (let j = 0; j < x.length; j++) {
      num += (x[j] - y[j]) ** 2;
      den += x[j] ** 2;
    }
  });
  return Math.sqrt(num / Math.max(den, 1e-30));
}

/**
 * Run every case on `backend` (a ladder name, e.g. 'webgpu' or 'wasm') and on 'cpu'; the target
 * backend is left active afterwards.
 */
export async function checkBackend(backend: string, options: { steps?: boolean } = {}): Promise<CheckReport> {
  const t0 = Date.now();
  const cases = [
    ...kernelCases(),
    ...(options.steps === false
      ? []
      : [stepCase('mlp-gan', 5), stepCase('dcgan-28', 3), stepCase('dcgan-64', 2)]),
  ];
  await initBackend({ force: 'cpu' });
  const reference: Float32Array[][] = [];
  for (const c of cases) reference.push(await c.run());
  const report = await initBackend({ force: backend });
  const results: CheckCase[] = [];
  for (const [i, c] of cases.entries()) {
    const e = relError(reference[i], await c.run());
    results.push({ name: c.name, relError: e, tolerance: c.tolerance, ok: e <= c.tolerance });
  }
  return {
    backend: report,
    cases: results,
    ok: results.every((c) => c.ok),
    seconds: (Date.now() - t0) / 1000,
  };
}
