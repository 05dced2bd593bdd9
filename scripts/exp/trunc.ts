// Exploration: how the digit metrics of a run's (EMA) generator move when z is drawn with a smaller
// spread (the "truncation trick", Brock et al. 2019 §3.1; here a plain scale of z).
//   npx tsx scripts/exp/trunc.ts runs/x 1,0.8,0.6
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend';
import { DigitMetrics } from '../../src/metrics/digits';
import { digitQuality } from '../../src/metrics/quality';
import { samplingGenerator } from '../../src/models';
import { loadGenerator } from '../../src/train/engine';

async function main() {
  await initBackend();
  const run = process.argv[2];
  const scales = (process.argv[3] ?? '1,0.8,0.7,0.6,0.5').split(',').map(Number);
  const { models, step } = loadGenerator(run);
  if (models.prior.modes > 0)
    throw new Error(`${run} draws z from a mixture prior; this probe assumes N(0, I).`);
  const g = samplingGenerator(models);
  const metrics = await DigitMetrics.load();
  for (const s of scales) {
    for (const training of [false, true]) {
      const parts = [0, 1, 2, 3].map((i) =>
        tf.tidy(
          () =>
            g.apply(tf.randomNormal([250, models.latentDim], 0, s, 'float32', 7 + i), {
              training,
            }) as tf.Tensor4D,
        ),
      );
      const imgs = tf.concat(parts) as tf.Tensor4D;
      tf.dispose(parts);
      const q = await digitQuality(metrics, imgs);
      imgs.dispose();
      console.log(
        JSON.stringify({
          run,
          step,
          scale: s,
          training,
          conf: +q.confident.toFixed(3),
          cls: q.classesCovered,
          kl: +q.klToUniform.toFixed(3),
          fid: +q.classifierFid.toFixed(1),
        }),
      );
    }
  }
}
main();
