/**
 * The quality numbers `gan evaluate` and the tutorials report for generated digits: how many samples
 * our LeNet (src/metrics/classifier.ts, 98.4 % on held-out digits) classifies confidently, how many
 * classes appear, how far the class histogram is from uniform, and classifier-FID against the
 * 2,000 held-out test digits (src/metrics/digits.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { DigitMetrics } from './digits';

export interface DigitQuality {
  /** Share of samples whose most likely class has p > `threshold` (default 0.9). */
  confident: number;
  /** Classes predicted for at least 1 % of the samples. */
  classesCovered: number;
  /** KL(class histogram ‖ uniform) in nats: 0 balanced, log 10 = 2.30 one class only. */
  klToUniform: number;
  /** Fréchet distance in the classifier's 128-d feature space (lower is better). */
  classifierFid: number;
  /** Samples scored. */
  n: number;
}

/** Largest softmax probability per image, [N], read asynchronously in batches. */
export async function maxClassProbability(
  model: tf.LayersModel,
  images: tf.Tensor4D,
  batchSize = 500,
): Promise<Float32Array> {
  const n = images.shape[0];
  const out = new Float32Array(n);
  for (let s = 0; s < n; s += batchSize) {
    const b = Math.min(batchSize, n - s);
    const p = tf.tidy(() =>
      tf.max(tf.softmax(model.predict(images.slice([s, 0, 0, 0], [b, -1, -1, -1])) as tf.Tensor), 1),
    );
    out.set((await p.data()) as Float32Array, s);
    p.dispose();
  }
  return out;
}

/** Score generated digits [N, 28, 28, 1] in [-1, 1]. */
export async function digitQuality(
  metrics: DigitMetrics,
  images: tf.Tensor4D,
  threshold = 0.9,
): Promise<DigitQuality> {
  const p = await maxClassProbability(metrics.model, images);
  let confident = 0;
  for (const v of p) if (v > threshold) confident++;
  const s = await metrics.scoreAsync(images);
  return {
    confident: confident / p.length,
    classesCovered: s.coverage.classesCovered,
    klToUniform: s.coverage.klToUniform,
    classifierFid: s.classifierFid,
    n: p.length,
  };
}
