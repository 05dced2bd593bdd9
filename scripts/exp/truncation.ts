// Probe: sampling-time levers on a trained run's (averaged) G, no retraining: z scaled by a temperature ψ
// (z ~ N(0, ψ²)) and the truncation trick (Brock et al. 2019: each coordinate of z redrawn until |z_i| ≤ c).
// Scores 2,000 samples per setting with the digit metrics; the same seeded draws for every setting.
//   npx tsx scripts/exp/truncation.ts runs/x [2000]
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { DigitMetrics } from '../../src/metrics/digits';
import { digitQuality } from '../../src/metrics/quality';
import { digitRow } from './score';
import { samplingGenerator } from '../../src/models';
import { loadGenerator } from '../../src/train/checkpointModels';
import { Rng } from '../../src/util/rng';

/** n latent vectors: N(0, ψ²), or, with `c`, N(0, 1) with every coordinate redrawn until |z_i| ≤ c. */
function latents(seed: number, n: number, dim: number, psi: number, c?: number): tf.Tensor2D {
  const rng = new Rng(seed);
  const v = new Float32Array(n * dim);
  for (let i = 0; i < v.length; i++) {
    let x = rng.normal();
    if (c !== undefined) while (Math.abs(x) > c) x = rng.normal();
    v[i] = psi * x;
  }
  return tf.tensor2d(v, [n, dim]);
}

async function main() {
  await initBackend();
  const run = process.argv[2];
  const n = Number(process.argv[3] ?? 2000);
  const { models, step } = loadGenerator(run);
  if (models.prior.modes > 0)
    throw new Error(`${run} draws z from a mixture prior; this probe assumes N(0, I).`);
  const g = samplingGenerator(models);
  const metrics = await DigitMetrics.load();
  const settings: Array<{ psi: number; c?: number }> = [
    { psi: 1 },
    { psi: 0.8 },
    { psi: 0.6 },
    { psi: 0.4 },
    { psi: 1, c: 2 },
    { psi: 1, c: 1.5 },
    { psi: 1, c: 1 },
    { psi: 1, c: 0.5 },
  ];
  for (const s of settings) {
    const z = latents(4242, n, models.latentDim, s.psi, s.c);
    const imgs = g.predict(z, { batchSize: 250 }) as tf.Tensor4D;
    const q = await digitQuality(metrics, imgs);
    tf.dispose([z, imgs]);
    console.log(
      JSON.stringify({
        run,
        step,
        ...s,
        ...digitRow(q),
      }),
    );
  }
}
main();
