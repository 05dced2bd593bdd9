/**
 * Walks in latent space: linear interpolation (Goodfellow et al. 2014, Figure 3) and spherical
 * interpolation (slerp, White 2016 — better suited to Gaussian z, whose mass sits near a sphere).
 * Smooth transitions in G(z) along a walk suggest G has not memorised isolated examples.
 */
import * as tf from '@tensorflow/tfjs';

export type InterpolationKind = 'linear' | 'slerp';

/** `steps` points from z0 to z1 (both [latentDim]), as [steps, latentDim]. */
export function interpolate(
  z0: tf.Tensor1D,
  z1: tf.Tensor1D,
  steps: number,
  kind: InterpolationKind = 'linear',
): tf.Tensor2D {
  if (!Number.isInteger(steps) || steps < 2)
    throw new Error(`Expected steps to be an integer ≥ 2, but got ${steps}.`);
  if (z0.shape[0] !== z1.shape[0])
    throw new Error(`Expected endpoints of one size, but got ${z0.shape[0]} and ${z1.shape[0]}.`);
  return tf.tidy(() => {
    const t = tf.linspace(0, 1, steps).reshape([steps, 1]);
    if (kind === 'linear') return tf.add(tf.mul(tf.sub(1, t), z0), tf.mul(t, z1)) as tf.Tensor2D;
    const cos = tf
      .sum(tf.mul(z0, z1))
      .div(tf.norm(z0).mul(tf.norm(z1)))
      .clipByValue(-1, 1);
    const omega = tf.acos(cos);
    const sinO = tf.sin(omega);
    // (Anti)parallel endpoints (sin ω < 1e-6) fall back to linear, decided on the device: no read back
    // (WebGPU in Node has no synchronous read). `lin` is 1 there, 0 otherwise; sin ω + lin is never ~0.
    const lin = tf.cast(tf.less(sinO, 1e-6), 'float32');
    const keep = tf.sub(1, lin);
    const sinSafe = tf.add(sinO, lin);
    const a = tf.add(
      tf.mul(lin, tf.sub(1, t)),
      tf.mul(keep, tf.sin(tf.mul(tf.sub(1, t), omega)).div(sinSafe)),
    );
    const b = tf.add(tf.mul(lin, t), tf.mul(keep, tf.sin(tf.mul(t, omega)).div(sinSafe)));
    return tf.add(tf.mul(a, z0), tf.mul(b, z1)) as tf.Tensor2D;
  });
}

/** A walk through several anchor points: `(anchors.length − 1) · stepsPerLeg + 1` rows. */
export function latentWalk(
  anchors: tf.Tensor2D,
  stepsPerLeg: number,
  kind: InterpolationKind = 'linear',
): tf.Tensor2D {
  const k = anchors.shape[0];
  if (k < 2) throw new Error(`Expected at least 2 anchor points, but got ${k}.`);
  return tf.tidy(() => {
    const legs: tf.Tensor2D[] = [];
    for (let i = 0; i + 1 < k; i++) {
      const leg = interpolate(anchors.gather(i).as1D(), anchors.gather(i + 1).as1D(), stepsPerLeg + 1, kind);
      legs.push(i + 2 < k ? leg.slice(0, stepsPerLeg) : leg);
    }
    return tf.concat(legs) as tf.Tensor2D;
  });
}
