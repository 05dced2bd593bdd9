/**
 * Drawing from a trained generator for figures and metrics: seeded noise (the same z on every
 * backend), inference-mode batches, and the figure layouts of Goodfellow et al. 2014 (Figures 2, 3).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng';
import { sampleNoise } from '../train/step';
import type { Latent } from '../models/prior';
import { imageGrid, type Picture } from '../plot';
import { latentWalk, type InterpolationKind } from './latent';
import { nearestNeighbours } from './nearest';

/**
 * G(z) for n seeded z, in inference mode, batch by batch: [n, H, W, C] in [-1, 1]. `latent`: the model's
 * prior (`models.prior`), or a bare size for N(0, I).
 */
export function generateImages(
  generator: tf.LayersModel,
  latent: Latent,
  n: number,
  seed: number,
  batch = 256,
): tf.Tensor4D {
  const rng = new Rng(seed);
  const parts: tf.Tensor4D[] = [];
  for (let s = 0; s < n; s += batch) {
    const b = Math.min(batch, n - s);
    parts.push(
      tf.tidy(() => {
        const z = sampleNoise(rng, b, latent);
        return generator.predict(z) as tf.Tensor4D;
      }),
    );
  }
  const out = tf.concat(parts) as tf.Tensor4D;
  tf.dispose(parts);
  return out;
}

/**
 * Figure 2 of the paper: random (not cherry-picked) samples, each above its nearest training example
 * in pixel space (L2). Top row: samples; bottom row: nearest training images; distances returned.
 */
export function nearestNeighbourFigure(
  samples: tf.Tensor4D,
  training: tf.Tensor4D,
): { picture: Picture; distances: Float32Array; indices: Int32Array } {
  const { indices, distances } = nearestNeighbours(samples, training);
  const neighbours = tf.gather(training, tf.tensor1d(indices, 'int32'));
  const both = tf.concat([samples, neighbours]) as tf.Tensor4D;
  const picture = imageGrid(both, { nrow: samples.shape[0] });
  tf.dispose([neighbours, both]);
  return { picture, distances, indices };
}

/** Figure 3: `rows` walks between random z pairs (drawn from `latent`), `steps` images each, one walk per row. */
export function interpolationFigure(
  generator: tf.LayersModel,
  latent: Latent,
  rows: number,
  steps: number,
  seed: number,
  kind: InterpolationKind = 'linear',
): Picture {
  const rng = new Rng(seed);
  const imgs = tf.tidy(() => {
    const walks: tf.Tensor2D[] = [];
    for (let r = 0; r < rows; r++) walks.push(latentWalk(sampleNoise(rng, 2, latent), steps - 1, kind));
    return generator.predict(tf.concat(walks)) as tf.Tensor4D;
  });
  const picture = imageGrid(imgs, { nrow: steps });
  imgs.dispose();
  return picture;
}
