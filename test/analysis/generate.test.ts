/**
 * src/analysis/generate.ts, the code behind tutorial 02's Figures 2 and 3: seeded, batch-independent
 * generation in inference mode; nearest training examples found exactly; latent walks whose tiles are
 * G at evenly spaced points between the seeded endpoints.
 */
import { strict as assert } from 'assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { generateImages, interpolationFigure, nearestNeighbourFigure } from '../../src/analysis/generate';
import { imageGrid } from '../../src/plot';
import { sampleNoise } from '../../src/train/step';
import { Rng } from '../../src/util/rng';

const LATENT = 3;

/** A small seeded generator z → [4, 4, 1] in [-1, 1], with batch norm and dropout (inference mode matters). */
function toyGenerator(): tf.Sequential {
  const g = tf.sequential();
  g.add(
    tf.layers.dense({
      inputShape: [LATENT],
      units: 16,
      kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }),
    }),
  );
  g.add(tf.layers.batchNormalization());
  g.add(tf.layers.dropout({ rate: 0.5 }));
  g.add(tf.layers.activation({ activation: 'tanh' }));
  g.add(tf.layers.reshape({ targetShape: [4, 4, 1] }));
  // Non-trivial moving statistics, so that training-mode batch norm would give other values.
  const bn = g.layers[1] as unknown as { getWeights(): tf.Tensor[]; setWeights(w: tf.Tensor[]): void };
  const [gamma, beta] = bn.getWeights();
  bn.setWeights([gamma, beta, tf.fill([16], 0.3), tf.fill([16], 2)]);
  return g;
}

describe('analysis/generate (Figures 2 and 3)', () => {
  let G: tf.Sequential;
  before(async () => {
    await initBackend({ force: 'cpu' });
    G = toyGenerator();
  });
  after(() => G.dispose());

  it('generateImages: seeded, independent of the batch size (inference mode), no leaks', () => {
    const n0 = tf.memory().numTensors;
    const a = generateImages(G, LATENT, 7, 42);
    const b = generateImages(G, LATENT, 7, 42, 2);
    const c = generateImages(G, LATENT, 7, 43);
    assert.deepEqual(a.shape, [7, 4, 4, 1]);
    assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()), 'batches of 2 = one batch');
    assert.notDeepEqual(Array.from(c.dataSync()), Array.from(a.dataSync()), 'another seed, other images');
    // The same z as sampleNoise(Rng(42)) through G in inference mode.
    const expected = tf.tidy(() => G.predict(sampleNoise(new Rng(42), 7, LATENT)) as tf.Tensor);
    assert.deepEqual(Array.from(a.dataSync()), Array.from(expected.dataSync()));
    tf.dispose([a, b, c, expected]);
    assert.equal(tf.memory().numTensors, n0);
  });

  it('Figure 2: each sample above its exact nearest training image, with distances', () => {
    const training = generateImages(G, LATENT, 10, 7);
    // Samples: copies of training images 6, 1, 8, one nudged slightly.
    const samples = tf.tidy(() => {
      const picked = tf.gather(training, [6, 1, 8]) as tf.Tensor4D;
      return tf.add(
        picked,
        tf.tensor4d([0, 0, 0, 0.01], [1, 1, 4, 1]).pad([
          [2, 0],
          [0, 3],
          [0, 0],
          [0, 0],
        ]),
      ) as tf.Tensor4D;
    });
    const fig = nearestNeighbourFigure(samples, training);
    assert.deepEqual(Array.from(fig.indices), [6, 1, 8]);
    assert.equal(fig.distances[0], 0);
    assert.equal(fig.distances[1], 0);
    assert.ok(Math.abs(fig.distances[2] - 0.01) < 1e-4, `distance ${fig.distances[2]}`);
    // Top row the samples, bottom row the neighbours: the same layout as a grid of both.
    const both = tf.concat([samples, tf.gather(training, [6, 1, 8])]) as tf.Tensor4D;
    const want = imageGrid(both, { nrow: 3 });
    assert.deepEqual([fig.picture.width, fig.picture.height], [want.width, want.height]);
    assert.ok(Buffer.from(fig.picture.rgba.data).equals(Buffer.from(want.rgba.data)));
    assert.ok(fig.picture.height < fig.picture.width, 'two rows of three');
    tf.dispose([training, samples, both]);
  });

  it('Figure 3: one walk per row, tile k = G(z_a + k/(steps−1)·(z_b − z_a))', () => {
    const rows = 2;
    const steps = 5;
    const fig = interpolationFigure(G, LATENT, rows, steps, 11);
    const rng = new Rng(11);
    const z = tf.tidy(() => {
      const out: tf.Tensor2D[] = [];
      for (let r = 0; r < rows; r++) {
        const [za, zb] = tf.split(sampleNoise(rng, 2, LATENT), 2) as tf.Tensor2D[];
        for (let k = 0; k < steps; k++)
          out.push(tf.add(za, tf.mul(tf.sub(zb, za), k / (steps - 1))) as tf.Tensor2D);
      }
      return tf.concat(out);
    });
    const tiles = G.predict(z) as tf.Tensor4D;
    const want = imageGrid(tiles, { nrow: steps });
    assert.deepEqual([fig.width, fig.height], [want.width, want.height]);
    let maxDiff = 0;
    for (let i = 0; i < want.rgba.data.length; i++)
      maxDiff = Math.max(maxDiff, Math.abs(fig.rgba.data[i] - want.rgba.data[i]));
    assert.ok(maxDiff <= 1, `pixels differ by up to ${maxDiff} (rounding only)`);
    tf.dispose([z, tiles]);
  });
});
