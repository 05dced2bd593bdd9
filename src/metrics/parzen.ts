/**
 * Gaussian Parzen-window log-likelihood (Breuleux et al. 2011), the protocol of Goodfellow et al. 2014
 * Table 1: fit an isotropic Gaussian kernel density to G's samples, choose σ on a validation set, and
 * report the mean log-likelihood of the test set ± its standard error. Pixels in [0, 1], as in the paper.
 * log p(x) = logsumexp_i(−‖x − s_i‖² / 2σ²) − log N − (d/2)·log(2πσ²). Known to be a poor estimator in
 * high dimension (Theis et al. 2016) — reported for comparison with the paper, not as a quality score.
 */
import * as tf from '@tensorflow/tfjs';

/** log-sum-exp terms of `x` [n, d] under the window of `samples` [N, d], one [b] tensor per batch of x. */
function* parzenBatches(
  x: tf.Tensor2D,
  samples: tf.Tensor2D,
  sigma: number,
  batch: number,
): Generator<{ start: number; lse: tf.Tensor }, void, void> {
  if (!(sigma > 0)) throw new Error(`Expected sigma > 0, but got ${sigma}.`);
  const [n, d] = x.shape;
  const N = samples.shape[0];
  if (samples.shape[1] !== d)
    throw new Error(`Expected samples with ${d} values each, but got ${samples.shape[1]}.`);
  const sNorm = tf.tidy(() => tf.sum(tf.square(samples), 1).reshape([1, N]));
  try {
    for (let s = 0; s < n; s += batch) {
      const b = Math.min(batch, n - s);
      const lse = tf.tidy(() => {
        const xb = x.slice(s, b);
        const d2 = tf.add(
          tf.sub(tf.sum(tf.square(xb), 1, true), tf.mul(2, tf.matMul(xb, samples, false, true))),
          sNorm,
        );
        return tf.logSumExp(tf.div(tf.relu(d2), -2 * sigma * sigma), 1);
      });
      try {
        yield { start: s, lse };
      } finally {
        lse.dispose();
      }
    }
  } finally {
    sNorm.dispose();
  }
}

function parzenConst(N: number, d: number, sigma: number): number {
  return -Math.log(N) - (d / 2) * Math.log(2 * Math.PI * sigma * sigma);
}

/**
 * Per-example log-likelihoods of `x` [n, d] under the Parzen window of `samples` [N, d] (both in [0, 1]).
 * Synchronous reads: cpu/wasm only (see parzenLogLikelihoodsAsync).
 */
export function parzenLogLikelihoods(
  x: tf.Tensor2D,
  samples: tf.Tensor2D,
  sigma: number,
  batch = 100,
): Float64Array {
  const out = new Float64Array(x.shape[0]);
  const c = parzenConst(samples.shape[0], x.shape[1], sigma);
  for (const { start, lse } of parzenBatches(x, samples, sigma, batch)) {
    const v = lse.dataSync();
    for (let i = 0; i < v.length; i++) out[start + i] = v[i] + c;
  }
  return out;
}

/** `parzenLogLikelihoods`, read with `await data()`: works on every backend, WebGPU included. */
export async function parzenLogLikelihoodsAsync(
  x: tf.Tensor2D,
  samples: tf.Tensor2D,
  sigma: number,
  batch = 100,
): Promise<Float64Array> {
  const out = new Float64Array(x.shape[0]);
  const c = parzenConst(samples.shape[0], x.shape[1], sigma);
  for (const { start, lse } of parzenBatches(x, samples, sigma, batch)) {
    const v = await lse.data();
    for (let i = 0; i < v.length; i++) out[start + i] = v[i] + c;
  }
  return out;
}

export interface ParzenResult {
  sigma: number;
  /** Mean test log-likelihood (nats). */
  mean: number;
  /** Standard error of the mean across test examples. */
  stderr: number;
  /** Validation mean log-likelihood for each σ tried. */
  validation: Array<{ sigma: number; mean: number }>;
}

function meanAndStderr(v: Float64Array): { mean: number; stderr: number } {
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  return { mean: m, stderr: Math.sqrt(s / Math.max(1, v.length - 1) / v.length) };
}

const DEFAULT_SIGMAS = [0.05, 0.08, 0.1, 0.12, 0.15, 0.18, 0.2, 0.23, 0.26, 0.3, 0.35, 0.4, 0.5];

/** Choose σ on `validation` from `sigmas`, then score `test`. All tensors [n, d] in [0, 1]. Synchronous: cpu/wasm only. */
export function parzenEstimate(
  samples: tf.Tensor2D,
  validation: tf.Tensor2D,
  test: tf.Tensor2D,
  sigmas: readonly number[] = DEFAULT_SIGMAS,
): ParzenResult {
  const val = sigmas.map((sigma) => ({
    sigma,
    mean: meanAndStderr(parzenLogLikelihoods(validation, samples, sigma)).mean,
  }));
  const best = val.reduce((a, b) => (b.mean > a.mean ? b : a));
  const t = meanAndStderr(parzenLogLikelihoods(test, samples, best.sigma));
  return { sigma: best.sigma, mean: t.mean, stderr: t.stderr, validation: val };
}

/** `parzenEstimate`, read with `await data()`: works on every backend, WebGPU included. */
export async function parzenEstimateAsync(
  samples: tf.Tensor2D,
  validation: tf.Tensor2D,
  test: tf.Tensor2D,
  sigmas: readonly number[] = DEFAULT_SIGMAS,
): Promise<ParzenResult> {
  const val: Array<{ sigma: number; mean: number }> = [];
  for (const sigma of sigmas) {
    val.push({
      sigma,
      mean: meanAndStderr(await parzenLogLikelihoodsAsync(validation, samples, sigma)).mean,
    });
  }
  const best = val.reduce((a, b) => (b.mean > a.mean ? b : a));
  const t = meanAndStderr(await parzenLogLikelihoodsAsync(test, samples, best.sigma));
  return { sigma: best.sigma, mean: t.mean, stderr: t.stderr, validation: val };
}

/** Images [n, H, W, C] in [-1, 1] → [n, H·W·C] in [0, 1] (the paper's pixel scale). */
export function toUnitPixels(images: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => tf.div(tf.add(images.reshape([images.shape[0], -1]), 1), 2) as tf.Tensor2D);
}
