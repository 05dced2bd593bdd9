/** Losses against values computed by hand (and by float64 closed forms), gradients included. */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import {
  bceFromLogits,
  discriminatorLoss,
  generatorLossMinimax,
  generatorLossNonSaturating,
} from '../../src/train/losses';

const sig = (x: number) => 1 / (1 + Math.exp(-x));
const close = (a: number, b: number, tol = 1e-5) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

describe('losses', () => {
  before(async () => {
    await initBackend({ force: 'cpu' });
  });

  it('BCE from logits equals −[y log σ + (1−y) log(1−σ)]', () => {
    const l = [2, -1, 0, 0.5];
    for (const y of [1, 0, 0.9]) {
      const expected =
        l.reduce((s, x) => s - (y * Math.log(sig(x)) + (1 - y) * Math.log(1 - sig(x))), 0) / l.length;
      close(
        tf.tidy(() => bceFromLogits(tf.tensor1d(l), y).dataSync()[0]),
        expected,
      );
    }
    // By hand: BCE(0, 1) = log 2; BCE(2, 1) = log(1 + e^−2) = 0.126928.
    close(bceFromLogits(tf.scalar(0), 1).dataSync()[0], Math.LN2);
    close(bceFromLogits(tf.scalar(2), 1).dataSync()[0], 0.126928);
  });

  it('discriminator loss: 2 log 2 at D = ½ (the optimum of Goodfellow et al. Thm 1); smoothing is one-sided', () => {
    close(discriminatorLoss(tf.zeros([4, 1]), tf.zeros([4, 1])).dataSync()[0], 2 * Math.LN2);
    // real ℓ = 1, fake ℓ = −1, s = 0.1: BCE(1, 0.9) + BCE(−1, 0)
    const bce = (x: number, y: number) => -(y * Math.log(sig(x)) + (1 - y) * Math.log(1 - sig(x)));
    close(
      discriminatorLoss(tf.ones([3, 1]), tf.fill([3, 1], -1), 0.1).dataSync()[0],
      bce(1, 0.9) + bce(-1, 0),
    );
    assert.throws(() => discriminatorLoss(tf.zeros([1]), tf.zeros([1]), 1), /labelSmoothing/);
  });

  it('generator losses: minimax = mean log(1 − D), non-saturating = −mean log D', () => {
    const l = [3, -2, 0.25];
    const mm = l.reduce((s, x) => s + Math.log(1 - sig(x)), 0) / 3;
    const ns = l.reduce((s, x) => s - Math.log(sig(x)), 0) / 3;
    close(generatorLossMinimax(tf.tensor1d(l)).dataSync()[0], mm);
    close(generatorLossNonSaturating(tf.tensor1d(l)).dataSync()[0], ns);
  });

  it('stays finite for extreme logits', () => {
    const l = tf.tensor1d([-200, 200]);
    for (const v of [
      bceFromLogits(l, 1),
      bceFromLogits(l, 0),
      generatorLossMinimax(l),
      generatorLossNonSaturating(l),
      discriminatorLoss(l, l),
    ]) {
      assert.ok(Number.isFinite(v.dataSync()[0]));
    }
    close(generatorLossNonSaturating(tf.scalar(-200)).dataSync()[0], 200);
  });

  it('minimax saturates when D rejects fakes, non-saturating does not (Goodfellow et al. 2014, §3)', () => {
    const at = tf.scalar(-8); // D(G(z)) = σ(−8) ≈ 3e−4
    const gMm = tf
      .grad((x: tf.Tensor) => generatorLossMinimax(x))(at)
      .dataSync()[0];
    const gNs = tf
      .grad((x: tf.Tensor) => generatorLossNonSaturating(x))(at)
      .dataSync()[0];
    close(gMm, -sig(-8)); // d/dℓ log(1 − σ(ℓ)) = −σ(ℓ)
    close(gNs, -(1 - sig(-8))); // d/dℓ −log σ(ℓ) = −(1 − σ(ℓ))
    assert.ok(Math.abs(gNs) > 1000 * Math.abs(gMm));
  });
});
