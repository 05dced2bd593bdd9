// Probe: which BatchNorm statistics the sampling generator should use. The EMA of G averages BatchNorm's
// moving statistics along with the weights, but the averaged weights produce other activations than the
// live G whose statistics were averaged. Compared here, on a trained run, no retraining, same seeded z:
// the live G and the EMA G, each with its moving statistics, with batch statistics (training mode), and
// with "standing" statistics recomputed from the network's own activations (Brock et al. 2019, §3.1 / SWA's
// update_bn): 100 forward passes in training mode, which move the moving averages onto the model's own.
//   npx tsx scripts/exp/bnstats.ts runs/x [2000]
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { DigitMetrics } from '../../src/metrics/digits';
import { digitQuality } from '../../src/metrics/quality';
import { digitRow } from './score';
import { loadGenerator } from '../../src/train/checkpointModels';
import { sampleNoise } from '../../src/train/step';
import { Rng } from '../../src/util/rng';

const latents = (seed: number, n: number, dim: number) => sampleNoise(new Rng(seed), n, dim);

/** G(z) in batches of `batch`, in training mode (batch statistics) or inference mode. */
function sample(g: tf.LayersModel, z: tf.Tensor2D, batch: number, training: boolean): tf.Tensor4D {
  if (!training) return g.predict(z, { batchSize: batch }) as tf.Tensor4D;
  const parts: tf.Tensor[] = [];
  for (let i = 0; i < z.shape[0]; i += batch) {
    parts.push(
      tf.tidy(
        () =>
          g.apply(z.slice([i, 0], [Math.min(batch, z.shape[0] - i), -1]), { training: true }) as tf.Tensor,
      ),
    );
  }
  const out = tf.concat(parts) as tf.Tensor4D;
  tf.dispose(parts);
  return out;
}

/** Recompute BatchNorm's moving statistics from `passes` batches of G's own activations. */
function standing(g: tf.LayersModel, dim: number, passes: number, batch: number): void {
  for (let p = 0; p < passes; p++) {
    tf.tidy(() => {
      g.apply(latents(1000 + p, batch, dim), { training: true });
    });
  }
}

const movingMeans = (g: tf.LayersModel) =>
  g.weights.filter((w) => w.name.includes('moving_mean')).map((w) => w.read().dataSync().slice(0, 3));

async function main() {
  await initBackend();
  const run = process.argv[2];
  const n = Number(process.argv[3] ?? 2000);
  const { models, step } = loadGenerator(run);
  if (models.prior.modes > 0)
    throw new Error(`${run} draws z from a mixture prior; this probe assumes N(0, I).`);
  const metrics = await DigitMetrics.load();
  const z = latents(4242, n, models.latentDim);
  const row = async (label: string, imgs: tf.Tensor4D) => {
    const q = await digitQuality(metrics, imgs);
    imgs.dispose();
    console.log(JSON.stringify({ run, step, label, ...digitRow(q) }));
  };
  for (const [name, g] of [
    ['ema', models.ema!],
    ['live', models.generator],
  ] as const) {
    if (!g) continue;
    await row(`${name} moving`, sample(g, z, 250, false));
    await row(`${name} batch-250`, sample(g, z, 250, true));
    await row(`${name} batch-64`, sample(g, z, 64, true));
    const before = movingMeans(g);
    standing(g, models.latentDim, 100, 250);
    console.log(
      JSON.stringify({
        name,
        before: before.map((a) => Array.from(a)),
        after: movingMeans(g).map((a) => Array.from(a)),
      }),
    );
    await row(`${name} standing`, sample(g, z, 250, false));
  }
  z.dispose();
}
main();
