/**
 * Seeded weight initialisation, applied after a model is built. Radford et al. 2015, §4: "All weights
 * were initialized from a zero-centered Normal distribution with standard deviation 0.02"; the PyTorch
 * DCGAN tutorial's `weights_init` also draws BatchNorm γ ~ N(1, 0.02) and sets β = 0. tfjs initialisers
 * ignore their seed in some versions, so the values are drawn here from our own `Rng` and written in.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng';

/** Radford et al. 2015, §4: σ = 0.02 for every conv / dense kernel and around 1 for BatchNorm γ. */
export const RADFORD_INIT_STD = 0.02;

/** What a weight is, from its tfjs name (`…/kernel`, `…/gamma`, …). */
export type WeightRole = 'kernel' | 'bias' | 'gamma' | 'beta' | 'moving_mean' | 'moving_variance';

export function weightRole(name: string): WeightRole {
  const last = name.split('/').pop() ?? '';
  const base = last.replace(/_\d+$/, '');
  if (
    base === 'kernel' ||
    base === 'bias' ||
    base === 'gamma' ||
    base === 'beta' ||
    base === 'moving_mean' ||
    base === 'moving_variance'
  ) {
    return base;
  }
  throw new Error(`Cannot initialise weight "${name}": expected a kernel, bias, gamma, beta or moving stat.`);
}

function normalArray(rng: Rng, n: number, mean: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + std * rng.normal();
  return out;
}

/**
 * Overwrite every weight of `model` in place: kernels ~ N(0, std), γ ~ N(1, std), biases, β and the
 * moving mean = 0, moving variance = 1. The same seed gives the same weights on every backend.
 */
export function radfordInit(model: tf.LayersModel, seed: number, std = RADFORD_INIT_STD): void {
  const rng = new Rng(seed);
  for (const w of model.weights) {
    const shape = w.shape as number[];
    const n = shape.reduce((a, b) => a * b, 1);
    const role = weightRole(w.originalName);
    let values: Float32Array;
    if (role === 'kernel') values = normalArray(rng, n, 0, std);
    else if (role === 'gamma') values = normalArray(rng, n, 1, std);
    else if (role === 'moving_variance') values = new Float32Array(n).fill(1);
    else values = new Float32Array(n);
    const t = tf.tensor(values, shape, 'float32');
    w.write(t);
    t.dispose();
  }
}
