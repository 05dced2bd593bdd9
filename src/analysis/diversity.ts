/**
 * A cheap mode-collapse alarm: the mean pairwise L2 distance between images, for generated samples
 * relative to real images (a ratio near 1: as varied as the data; far below 1: the generator
 * repeats itself). Pixel distances say nothing about quality, only about variety.
 *   const r = diversityRatio(fake, real);   // both [n, H, W, C] in [-1, 1]
 */
import * as tf from '@tensorflow/tfjs';

/** Squared distances [n, n] between the n ≥ 2 flattened images (on the device). */
function pairwiseSquared(images: tf.Tensor): { n: number; d2: tf.Tensor } {
  const n = images.shape[0];
  if (!Number.isInteger(n) || n < 2) throw new Error(`Expected at least 2 images, but got ${n}.`);
  const d2 = tf.tidy(() => {
    const x = images.reshape([n, -1]);
    const sq = tf.sum(tf.square(x), 1, true); // [n, 1]
    return tf.relu(tf.add(tf.sub(sq, tf.mul(2, tf.matMul(x, x, false, true))), sq.reshape([1, n]))); // [n, n]
  });
  return { n, d2 };
}

function meanUpperRoot(v: ArrayLike<number>, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) sum += Math.sqrt(v[i * n + j]);
  return sum / ((n * (n - 1)) / 2);
}

/** Mean L2 distance over all pairs i < j of the n ≥ 2 images (flattened). Synchronous read: cpu/wasm only. */
export function meanPairwiseDistance(images: tf.Tensor): number {
  const { n, d2 } = pairwiseSquared(images);
  const v = d2.dataSync();
  d2.dispose();
  return meanUpperRoot(v, n);
}

/** `meanPairwiseDistance`, read with `await data()`: works on every backend, WebGPU included. */
export async function meanPairwiseDistanceAsync(images: tf.Tensor): Promise<number> {
  const { n, d2 } = pairwiseSquared(images);
  try {
    return meanUpperRoot(await d2.data(), n);
  } finally {
    d2.dispose();
  }
}

/** meanPairwiseDistance(fake) / meanPairwiseDistance(real), with both values. Synchronous: cpu/wasm only. */
export function diversityRatio(
  fake: tf.Tensor,
  real: tf.Tensor,
): { fake: number; real: number; ratio: number } {
  const f = meanPairwiseDistance(fake);
  const r = meanPairwiseDistance(real);
  return { fake: f, real: r, ratio: f / r };
}

/** `diversityRatio`, read with `await data()`: works on every backend, WebGPU included. */
export async function diversityRatioAsync(
  fake: tf.Tensor,
  real: tf.Tensor,
): Promise<{ fake: number; real: number; ratio: number }> {
  const f = await meanPairwiseDistanceAsync(fake);
  const r = await meanPairwiseDistanceAsync(real);
  return { fake: f, real: r, ratio: f / r };
}
