import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { interpolate, latentWalk } from '../../src/analysis/latent';
import { nearestNeighbours } from '../../src/analysis/nearest';
import { parzenEstimate, parzenLogLikelihoods, toUnitPixels } from '../../src/metrics/parzen';
import { Rng } from '../../src/util/rng';

describe('analysis: nearest neighbours, latent walks, Parzen windows', () => {
  before(async () => {
    await initBackend({ force: 'wasm' });
  });

  it('finds the nearest reference example by brute force', () => {
    const rng = new Rng(4);
    const ref = tf.tensor4d(
      Array.from({ length: 300 * 16 }, () => rng.normal()),
      [300, 4, 4, 1],
    );
    const q = tf.tensor4d(
      Array.from({ length: 5 * 16 }, () => rng.normal()),
      [5, 4, 4, 1],
    );
    const r = nearestNeighbours(q, ref, 64);
    const rv = ref.reshape([300, 16]).arraySync() as number[][];
    const qv = q.reshape([5, 16]).arraySync() as number[][];
    qv.forEach((x, i) => {
      const dists = rv.map((y) => Math.sqrt(y.reduce((s, v, j) => s + (v - x[j]) ** 2, 0)));
      const best = dists.indexOf(Math.min(...dists));
      assert.equal(r.indices[i], best);
      assert.ok(Math.abs(r.distances[i] - dists[best]) < 1e-3);
    });
    tf.dispose([ref, q]);
  });

  it('interpolates linearly and spherically between endpoints', () => {
    const z0 = tf.tensor1d([1, 0, 0]);
    const z1 = tf.tensor1d([0, 1, 0]);
    const lin = interpolate(z0, z1, 3).arraySync();
    assert.deepEqual(lin[1], [0.5, 0.5, 0]);
    const sl = interpolate(z0, z1, 3, 'slerp').arraySync();
    assert.ok(Math.abs(Math.hypot(...sl[1]) - 1) < 1e-6, 'slerp keeps the norm of unit endpoints');
    assert.ok(Math.abs(sl[1][0] - Math.SQRT1_2) < 1e-6);
    const walk = latentWalk(
      tf.tensor2d([
        [0, 0],
        [1, 0],
        [1, 1],
      ]),
      4,
    );
    assert.deepEqual(walk.shape, [9, 2]);
    assert.deepEqual(walk.arraySync()[4], [1, 0]);
    assert.throws(() => interpolate(z0, z1, 1), /steps to be an integer ≥ 2/);
  });

  it('Parzen window: matches the closed form for one sample, and σ is chosen on validation', () => {
    const x = tf.tensor2d([[0.5, 0.5]]);
    const s = tf.tensor2d([[0.5, 0.7]]);
    const sigma = 0.2;
    const expected = -(0.2 ** 2) / (2 * sigma ** 2) - Math.log(2 * Math.PI * sigma ** 2);
    assert.ok(Math.abs(parzenLogLikelihoods(x, s, sigma)[0] - expected) < 1e-5);
    const rng = new Rng(9);
    const draw = (n: number) =>
      tf.tensor2d(
        Array.from({ length: n * 2 }, () => 0.5 + 0.1 * rng.normal()),
        [n, 2],
      );
    const [samples, val, test] = [draw(500), draw(200), draw(200)];
    const r = parzenEstimate(samples, val, test, [0.005, 0.03, 0.5]);
    assert.equal(r.sigma, 0.03);
    assert.ok(r.stderr > 0 && Number.isFinite(r.mean));
    const u = toUnitPixels(tf.tensor4d([-1, 0, 1, 1], [1, 2, 2, 1])).arraySync();
    assert.deepEqual(u, [[0, 0.5, 1, 1]]);
    tf.dispose([x, s, samples, val, test]);
  });
});
